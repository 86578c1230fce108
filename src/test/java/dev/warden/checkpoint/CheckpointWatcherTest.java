package dev.warden.checkpoint;

import dev.warden.spec.CheckpointSpec;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

class CheckpointWatcherTest {
    @TempDir
    Path root;

    private final Random random = new Random(5);
    private final MutableClock clock = MutableClock.now();
    private final List<CheckpointWatcher.Event> events = new ArrayList<>();
    private CheckpointWatcher watcher;

    private CheckpointWatcher watch(String seal, String layout) {
        CheckpointSettings s = CheckpointSettings.from(CheckpointSpec.of(null, layout).withSettle("60s").withSeal(seal, "sha256"), root);
        Fingerprints fp = new Fingerprints(new Fingerprints.Dataset("ab".repeat(32), 1, 5, List.of("data.jsonl")), null);
        watcher = new CheckpointWatcher(root, s, fp, clock, 1);
        return watcher;
    }

    @AfterEach
    void close() {
        if (watcher != null) {
            watcher.close();
        }
    }

    private List<CheckpointWatcher.Event> pollUntilEvent() {
        await().atMost(Duration.ofSeconds(10)).until(() -> {
            events.addAll(watcher.poll());
            return !events.isEmpty();
        });
        return events;
    }

    @Test
    void newCheckpointIsSealedWithTheRunsFingerprintsOnceComplete() throws Exception {
        Path old = Fixtures.hfCheckpoint(root, 100, random);
        Fixtures.age(old, clock, Duration.ofHours(1));
        watch("auto", "huggingface");

        Path c = root.resolve("checkpoint-200");
        Fixtures.file(c.resolve("model.safetensors"), Fixtures.safetensors(random, 100));
        assertThat(watcher.poll()).isEmpty(); // no trainer_state.json yet
        Fixtures.file(c.resolve("trainer_state.json"), "{}");
        assertThat(watcher.poll()).isEmpty(); // marker present, but written this instant
        clock.advance(Duration.ofSeconds(6));

        List<CheckpointWatcher.Event> got = pollUntilEvent();

        assertThat(got).singleElement().isInstanceOfSatisfying(CheckpointWatcher.Event.Sealed.class, s -> {
            assertThat(s.checkpoint().path()).isEqualTo(c);
            assertThat(s.seal().dataset().value()).isEqualTo("ab".repeat(32));
        });
        assertThat(Verifier.verify(c).ok()).isTrue();
        assertThat(SealPaths.of(old).sealed()).as("checkpoints from before the run are left alone").isFalse();
        assertThat(watcher.poll()).isEmpty(); // reported once
    }

    @Test
    void sealOffReportsCompletionWithoutSealing() {
        watch("off", "huggingface");
        Path c = Fixtures.hfCheckpoint(root, 300, random);
        clock.advance(Duration.ofSeconds(6));

        assertThat(pollUntilEvent()).singleElement().isInstanceOf(CheckpointWatcher.Event.Completed.class);
        assertThat(SealPaths.of(c).sealed()).isFalse();
    }

    @Test
    void settleOnlyLayoutWaitsForTheSettleTime() {
        watch("auto", "deepspeed");
        Fixtures.file(root.resolve("global_step10/mp_rank_00_model_states.pt"), Fixtures.zip(random, 100));
        clock.advance(Duration.ofSeconds(30));
        assertThat(watcher.poll()).isEmpty();
        clock.advance(Duration.ofSeconds(31));
        assertThat(pollUntilEvent()).singleElement().isInstanceOf(CheckpointWatcher.Event.Sealed.class);
    }

    @Test
    void afterACrashASettleOnlyCheckpointIsNotSealedEarly() {
        CheckpointWatcher w = watch("auto", "deepspeed");
        Fixtures.file(root.resolve("global_step10/mp_rank_00_model_states.pt"), Fixtures.zip(random, 100));
        clock.advance(Duration.ofSeconds(6));

        assertThat(w.finish(false, Duration.ofSeconds(10))).isEmpty();
        assertThat(SealPaths.of(root.resolve("global_step10")).sealed()).isFalse();
    }

    @Test
    void afterACleanExitFinishSealsWithoutWaitingOutTheSettleTime() {
        CheckpointWatcher w = watch("auto", "deepspeed");
        Fixtures.file(root.resolve("global_step20/mp_rank_00_model_states.pt"), Fixtures.zip(random, 100));
        clock.advance(Duration.ofSeconds(6));

        assertThat(w.finish(true, Duration.ofSeconds(10))).singleElement()
                .isInstanceOf(CheckpointWatcher.Event.Sealed.class);
        assertThat(Verifier.verify(root.resolve("global_step20")).ok()).isTrue();
        assertThat(w.poll()).as("polling after finish is harmless").isEmpty();
    }

    @Test
    void aRunThatDiesMidSaveLeavesTheCheckpointMarkedUnfinished() {
        CheckpointWatcher w = watch("auto", "deepspeed");
        Path c = root.resolve("global_step30");
        Fixtures.file(c.resolve("mp_rank_00_model_states.pt"), Fixtures.zip(random, 100));
        assertThat(w.poll()).isEmpty();
        assertThat(SealPaths.of(c).unfinished()).exists();
        w.close(); // the supervisor is killed with the trainer: nobody removes the marker

        clock.advance(Duration.ofHours(1)); // long after: by mtimes alone it would look settled
        CheckpointSettings s = CheckpointSettings.from(CheckpointSpec.of(null, "deepspeed").withSettle("60s"), root);
        List<Checkpoint> found = Checkpoints.scan(root, s, clock);
        assertThat(found).singleElement().satisfies(k -> {
            assertThat(k.complete()).isFalse();
            assertThat(k.why()).contains("the run stopped while this was being written");
        });
        assertThat(Checkpoints.latestValid(root, s, UnsealedPolicy.SEAL, true, clock, q -> {})).isEmpty();
        assertThat(SealPaths.of(c).sealed()).isFalse();
    }

    @Test
    void markerGoesOnceTheCheckpointIsSealed() {
        CheckpointWatcher w = watch("auto", "deepspeed");
        Path c = root.resolve("global_step40");
        Fixtures.file(c.resolve("mp_rank_00_model_states.pt"), Fixtures.zip(random, 100));
        w.poll();
        assertThat(SealPaths.of(c).unfinished()).exists();
        clock.advance(Duration.ofSeconds(61));

        assertThat(pollUntilEvent()).singleElement().isInstanceOf(CheckpointWatcher.Event.Sealed.class);
        assertThat(SealPaths.of(c).unfinished()).doesNotExist();
        assertThat(Verifier.verify(c).ok()).isTrue();
    }

    @Test
    void activityChangesWhileACheckpointGrows() throws Exception {
        watch("auto", "huggingface");
        CheckpointWatcher.Activity before = watcher.activity();
        Path f = Fixtures.file(root.resolve("checkpoint-5/model.safetensors"), "part");
        CheckpointWatcher.Activity during = watcher.activity();
        Files.write(f, "more".getBytes(), java.nio.file.StandardOpenOption.APPEND);
        CheckpointWatcher.Activity later = watcher.activity();

        assertThat(during).isNotEqualTo(before);
        assertThat(later.totalBytes()).isEqualTo(during.totalBytes() + 4);
        assertThat(watcher.activity()).isEqualTo(later);
    }
}
