package dev.warden.checkpoint;

import dev.warden.spec.CheckpointSpec;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Random;

import static org.assertj.core.api.Assertions.assertThat;

/** The users' incident: a 4000-step checkpoint resumed against a new dataset "finished" in 0.9 minutes. */
class FingerprintPolicyTest {
    @TempDir
    Path specDir;

    private Path root;
    private MutableClock clock;
    private final Random random = new Random(11);
    private String oldDataset;

    @BeforeEach
    void setUp() {
        root = specDir.resolve("out");
        clock = MutableClock.now();
        Fixtures.file(specDir.resolve("data/leo.jsonl"), "{\"text\": \"leo\"}\n".repeat(40));
        Fixtures.file(specDir.resolve("train.yaml"), "lora:\n  r: 64\n  alpha: 128\n");
        oldDataset = fingerprints(spec(null, null)).dataset().value();
        for (long step : new long[] {3500, 4000}) {
            Path c = Fixtures.hfCheckpoint(root, step, random);
            Sealer.seal(c, Algorithm.SHA256, fingerprints(spec(null, null)));
            Fixtures.age(c, clock, Duration.ofHours(1));
        }
    }

    private CheckpointSpec spec(String onDataset, String onConfig) {
        return CheckpointSpec.of("out", "huggingface").withFingerprint(new CheckpointSpec.Fingerprint(List.of("data"),
                new CheckpointSpec.ConfigKeys("train.yaml", List.of("lora.r", "lora.alpha"))), onDataset, onConfig);
    }

    private Fingerprints fingerprints(CheckpointSpec spec) {
        return Fingerprints.compute(spec, specDir, FingerprintCache.none());
    }

    private ResumeDecision apply(CheckpointSpec spec) {
        return FingerprintPolicy.apply(root, spec, specDir, FingerprintCache.none(), clock);
    }

    private void switchDataset() throws Exception {
        Files.delete(specDir.resolve("data/leo.jsonl"));
        Fixtures.file(specDir.resolve("data/syllo.jsonl"), "{\"text\": \"syllo\"}\n".repeat(25));
    }

    @Test
    void unchangedDatasetAndConfigResume() {
        ResumeDecision d = apply(spec(null, null));
        assertThat(d).isInstanceOf(ResumeDecision.Resume.class);
        assertThat(d.describe()).contains("match");
    }

    @Test
    void newDatasetArchivesOldCheckpointsAndStartsFresh() throws Exception {
        switchDataset();

        ResumeDecision d = apply(spec("archive", null));

        assertThat(d).isInstanceOfSatisfying(ResumeDecision.Archived.class, a -> {
            assertThat(a.archiveDir().getParent()).isEqualTo(root.resolve("archive"));
            assertThat(Fixtures.names(a.archiveDir())).containsExactly("checkpoint-3500", "checkpoint-4000");
            assertThat(a.describe()).contains("dataset changed").contains("starting from step 0");
        });
        assertThat(Checkpoints.scan(root, spec(null, null))).isEmpty();
        assertThat(Checkpoints.latestValid(root, spec(null, null), q -> {})).isEmpty();
        // nothing deleted: the archived checkpoints still verify
        ResumeDecision.Archived a = (ResumeDecision.Archived) d;
        assertThat(Verifier.verify(a.archiveDir().resolve("checkpoint-4000")).ok()).isTrue();
    }

    @Test
    void newDatasetWithRefuseListsOldAndNewValues() throws Exception {
        switchDataset();

        ResumeDecision d = apply(spec("refuse", null));

        assertThat(d).isInstanceOf(ResumeDecision.Refused.class);
        assertThat(d.describe()).contains("dataset changed since checkpoint-4000 was sealed")
                .contains("was 1 file, 640 B, fingerprint " + oldDataset.substring(0, 12))
                .contains("now 1 file, 450 B, fingerprint " + d.current().dataset().value().substring(0, 12));
        assertThat(Fixtures.names(root)).contains("checkpoint-3500", "checkpoint-4000");
        assertThat(((ResumeDecision.Refused) d).toUserError().exitCode()).isEqualTo(78);
        assertThat(oldDataset).isNotEqualTo(d.current().dataset().value());
    }

    @Test
    void newDatasetWithContinueResumesAndSaysSo() throws Exception {
        switchDataset();
        ResumeDecision d = apply(spec("continue", null));
        assertThat(d).isInstanceOf(ResumeDecision.Resume.class);
        assertThat(d.describe()).contains("dataset changed").contains("continuing");
    }

    @Test
    void loraRankChangeIsRefusedByDefaultNamingTheKey() throws Exception {
        Files.writeString(specDir.resolve("train.yaml"), "lora:\n  r: 128\n  alpha: 128\n");

        ResumeDecision d = apply(spec(null, null));

        assertThat(d).isInstanceOf(ResumeDecision.Refused.class);
        assertThat(d.describe()).contains("lora.r 64 -> 128").doesNotContain("lora.alpha");
    }

    @Test
    void configChangeCanBeLetThrough() throws Exception {
        Files.writeString(specDir.resolve("train.yaml"), "lora:\n  r: 128\n  alpha: 128\n");
        ResumeDecision d = apply(spec(null, "continue"));
        assertThat(d).isInstanceOf(ResumeDecision.Resume.class);
        assertThat(d.describe()).contains("lora.r 64 -> 128");
    }

    @Test
    void noFingerprintConfiguredResumesWithoutComparing() {
        ResumeDecision d = FingerprintPolicy.apply(root, CheckpointSpec.of("out", "huggingface"), specDir, FingerprintCache.none(), clock);
        assertThat(d).isInstanceOf(ResumeDecision.Resume.class);
        assertThat(d.describe()).contains("no fingerprint configured");
    }
}
