package dev.warden.checkpoint;

import dev.warden.UserError;
import dev.warden.spec.CheckpointSpec;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Random;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Each framework's naming and completeness rules, judged at a clock the test controls. */
class LayoutTest {
    @TempDir
    Path root;

    private final Random random = new Random(3);
    private MutableClock clock;

    @BeforeEach
    void setUp() {
        clock = MutableClock.now();
    }

    private List<Checkpoint> scan(String layout) {
        return scan(CheckpointSpec.of(null, layout).withSettle("30s"));
    }

    private List<Checkpoint> scan(CheckpointSpec spec) {
        return Checkpoints.scan(root, CheckpointSettings.from(spec, root), clock);
    }

    private void old(Path p) {
        Fixtures.age(p, clock, Duration.ofHours(1));
    }

    @Test
    void huggingFaceNeedsTrainerStateAndSortsByStepNumber() throws Exception {
        old(Fixtures.hfCheckpoint(root, 1000, random));
        old(Fixtures.hfCheckpoint(root, 200, random));
        Path partial = Fixtures.hfCheckpoint(root, 1500, random);
        Files.delete(partial.resolve("trainer_state.json"));
        old(partial);
        Files.createDirectories(root.resolve("tmp-checkpoint-1600"));
        Files.createDirectories(root.resolve("checkpoint-50.corrupt-20260101T000000Z"));
        Files.createDirectories(root.resolve("runs"));

        List<Checkpoint> all = scan("huggingface");

        assertThat(all).extracting(Checkpoint::step).containsExactly(200L, 1000L, 1500L);
        assertThat(all).extracting(Checkpoint::complete).containsExactly(true, true, false);
        assertThat(all.get(2).why()).isEqualTo("no trainer_state.json yet");
        assertThat(all.get(0).why()).isEqualTo("trainer_state.json present");
    }

    @Test
    void markerIsNotEnoughWhileFilesAreStillBeingWritten() {
        Fixtures.hfCheckpoint(root, 10, random); // written "now": rng_state.pth may still follow trainer_state.json
        Checkpoint c = scan("huggingface").get(0);
        assertThat(c.complete()).isFalse();
        assertThat(c.quiet()).isFalse();
        assertThat(c.why()).startsWith("written ");

        clock.advance(Duration.ofSeconds(6));
        assertThat(scan("huggingface").get(0).complete()).isTrue();
    }

    @Test
    void aCheckpointSealedAfterItsLastWriteIsCompleteWithoutWaitingAgain() throws Exception {
        Path c = Fixtures.hfCheckpoint(root, 40, random); // written and sealed "now", by a run whose trainer has exited
        Sealer.seal(c, Algorithm.SHA256, Fingerprints.NONE, Sealer.Options.defaults().withStep(40L));

        Checkpoint sealed = scan("huggingface").get(0);
        assertThat(sealed.complete()).isTrue();
        assertThat(sealed.quiet()).isTrue();
        assertThat(sealed.why()).isEqualTo("trainer_state.json present, sealed, unchanged since");

        Files.writeString(c.resolve("rng_state.pth"), "written after the seal");
        Files.setLastModifiedTime(c.resolve("rng_state.pth"), java.nio.file.attribute.FileTime.fromMillis(
                Files.getLastModifiedTime(SealPaths.of(c).record()).toMillis() + 1000));
        Checkpoint changed = scan("huggingface").get(0);
        assertThat(changed.complete()).isFalse();
        assertThat(changed.why()).startsWith("written ");
    }

    @Test
    void truncatedSafetensorsIsNotComplete() throws Exception {
        Path c = Fixtures.hfCheckpoint(root, 10, random);
        byte[] st = Files.readAllBytes(c.resolve("model.safetensors"));
        Files.write(c.resolve("model.safetensors"), Arrays.copyOf(st, st.length - 100));
        old(c);

        Checkpoint found = scan("huggingface").get(0);
        assertThat(found.complete()).isFalse();
        assertThat(found.why()).contains("model.safetensors").contains("header says " + st.length + " bytes, file has " + (st.length - 100));
    }

    @Test
    void lightningTrustsWholeZipsAndNeverItsLastLink() throws Exception {
        Path a = Fixtures.file(root.resolve("epoch=0-step=100.ckpt"), Fixtures.zip(random, 4000));
        byte[] whole = Fixtures.zip(random, 4000);
        Path cut = Fixtures.file(root.resolve("epoch=1-step=200.ckpt"), Arrays.copyOf(whole, whole.length - 30));
        Files.createSymbolicLink(root.resolve("last.ckpt"), Path.of("epoch=1-step=200.ckpt"));
        Path legacy = Fixtures.file(root.resolve("epoch=2-step=300.ckpt"), Fixtures.random(random, 500)); // not a zip
        old(a);
        old(cut);

        List<Checkpoint> all = scan("lightning");

        assertThat(all).extracting(Checkpoint::name).containsExactly("epoch=0-step=100.ckpt", "epoch=1-step=200.ckpt", "epoch=2-step=300.ckpt");
        assertThat(all.get(0).complete()).isTrue();
        assertThat(all.get(1).complete()).isFalse();
        assertThat(all.get(1).why()).contains("zip archive without its end record");
        assertThat(all.get(2).complete()).as("no marker: waits for the settle time").isFalse();
        old(legacy);
        assertThat(scan("lightning").get(2).complete()).isTrue();
    }

    @Test
    void deepSpeedSettlesAndIgnoresLatestFile() {
        Path done = Fixtures.file(root.resolve("global_step100/mp_rank_00_model_states.pt"), Fixtures.zip(random, 100)).getParent();
        old(done);
        Fixtures.file(root.resolve("global_step200/mp_rank_00_model_states.pt"), Fixtures.zip(random, 100));
        Fixtures.file(root.resolve("latest"), "global_step200"); // written before the final barrier

        List<Checkpoint> all = scan("deepspeed");

        assertThat(all).extracting(Checkpoint::step).containsExactly(100L, 200L);
        assertThat(all).extracting(Checkpoint::complete).containsExactly(true, false);
        assertThat(all.get(1).why()).contains("waiting until unchanged for 30s");
        clock.advance(Duration.ofSeconds(31));
        assertThat(scan("deepspeed")).allMatch(Checkpoint::complete);
    }

    @Test
    void orbaxTempDirsAreIncompleteAndCommitMarkersRuleWhenUsed() throws Exception {
        old(Fixtures.file(root.resolve("100/default/data.bin"), "x").getParent().getParent());
        old(Fixtures.file(root.resolve("200.orbax-checkpoint-tmp-1712345678/default/data.bin"), "y").getParent().getParent());

        List<Checkpoint> all = scan("orbax");
        assertThat(all).extracting(Checkpoint::step).containsExactly(100L, 200L);
        assertThat(all).extracting(Checkpoint::complete).containsExactly(true, false);
        assertThat(all.get(1).why()).contains("temp directory");

        // on a filesystem without atomic rename Orbax writes commit_success.txt: then a step without it is partial
        old(Fixtures.file(root.resolve("300/commit_success.txt"), "ok").getParent());
        List<Checkpoint> again = scan("orbax");
        assertThat(again).extracting(Checkpoint::complete).containsExactly(false, false, true);
    }

    @Test
    void nemoUnfinishedMarkerMeansPartial() {
        old(Fixtures.file(root.resolve("megatron_gpt--val_loss=2.10-step=100-consumed_samples=800.0.ckpt"), Fixtures.zip(random, 100)));
        Path dist = Fixtures.file(root.resolve("megatron_gpt--val_loss=2.00-step=200-consumed_samples=1600.0/weights/0.distcp"), "w")
                .getParent().getParent();
        old(dist);
        Fixtures.file(root.resolve("megatron_gpt--val_loss=2.00-step=200-consumed_samples=1600.0-unfinished"), "");
        Fixtures.file(root.resolve("megatron_gpt--val_loss=2.00-step=200-consumed_samples=1600.0-last.ckpt"), "copy");

        List<Checkpoint> all = scan("nemo");

        assertThat(all).extracting(Checkpoint::step).containsExactly(100L, 200L);
        assertThat(all).extracting(Checkpoint::complete).containsExactly(true, false);
        assertThat(all.get(1).why()).contains("-unfinished marker present");
    }

    @Test
    void torchDistributedCheckpointIsCompleteOnceMetadataIsWritten() {
        old(Fixtures.file(root.resolve("step_100/__0_0.distcp"), "a").getParent());
        Fixtures.file(root.resolve("step_100/.metadata"), "m");
        old(root.resolve("step_100"));
        old(Fixtures.file(root.resolve("step_200/__0_0.distcp"), "a").getParent());

        List<Checkpoint> all = scan("torch_dcp");

        assertThat(all).extracting(Checkpoint::complete).containsExactly(true, false);
        assertThat(all.get(1).why()).isEqualTo("no .metadata yet (written last)");
    }

    @Test
    void genericGlobAndStepRegex() {
        old(Fixtures.file(root.resolve("model_s7.pt"), "a"));
        old(Fixtures.file(root.resolve("model_s12.pt"), "b"));
        old(Fixtures.file(root.resolve("notes-2024.txt"), "not a checkpoint"));
        CheckpointSpec spec = new CheckpointSpec(null, "generic", "model_*.pt", "_s(\\d+)", null, null, null, "30s", null, null, null, null);

        assertThat(scan(spec)).extracting(Checkpoint::step).containsExactly(7L, 12L);
    }

    @Test
    void layoutIsDetectedFromTheNames() throws Exception {
        Files.createDirectories(root.resolve("global_step5"));
        assertThat(Layout.detect(root).kind()).isEqualTo(Layout.Kind.DEEPSPEED);
        Files.createDirectories(root.resolve("checkpoint-5"));
        assertThat(Layout.detect(root).kind()).isEqualTo(Layout.Kind.HUGGINGFACE);
    }

    @Test
    void missingRootHasNoCheckpoints() {
        assertThat(Checkpoints.scan(root.resolve("not-yet"), CheckpointSpec.of(null, "huggingface"))).isEmpty();
    }

    @Test
    void badSpecValuesNameTheValueAndTheFix() {
        assertThatThrownBy(() -> CheckpointSettings.from(CheckpointSpec.of(null, "keras"), root))
                .isInstanceOf(UserError.class).hasMessageContaining("`keras`").hasMessageContaining("huggingface");
        assertThatThrownBy(() -> CheckpointSettings.from(CheckpointSpec.of(null, null).withSettle("soon"), root))
                .isInstanceOf(UserError.class).hasMessageContaining("settle").hasMessageContaining("soon");
        assertThatThrownBy(() -> CheckpointSettings.from(CheckpointSpec.of(null, null).withSeal("sometimes", null), root))
                .isInstanceOf(UserError.class).hasMessageContaining("auto or off");
        assertThatThrownBy(() -> CheckpointSettings.from(CheckpointSpec.of(null, null).withSeal("auto", "md5"), root))
                .isInstanceOf(UserError.class).hasMessageContaining("sha256 or xxh128");
        assertThatThrownBy(() -> CheckpointSettings.from(new CheckpointSpec(null, "generic", "*", "step_(\\d+", null, null, null,
                null, null, null, null, null), root)).isInstanceOf(UserError.class).hasMessageContaining("step_regex");
    }
}
