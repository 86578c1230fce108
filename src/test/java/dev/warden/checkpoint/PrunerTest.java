package dev.warden.checkpoint;

import dev.warden.spec.CheckpointSpec;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.RandomAccessFile;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Random;

import static org.assertj.core.api.Assertions.assertThat;

class PrunerTest {
    @TempDir
    Path root;

    private final Random random = new Random(31);
    private final MutableClock clock = MutableClock.now();

    private Path sealed(long step) {
        Path c = Fixtures.hfCheckpoint(root, step, random);
        Sealer.seal(c, Algorithm.XXH128, Fingerprints.NONE);
        Fixtures.age(c, clock, Duration.ofHours(1));
        return c;
    }

    private CheckpointSettings settings() {
        return CheckpointSettings.from(CheckpointSpec.of(null, "huggingface"), root);
    }

    @Test
    void removesOnlyOldSealedCheckpointsOutsideTheKeepRules() {
        for (long s = 100; s <= 600; s += 100) {
            sealed(s);
        }
        Path unsealed = Fixtures.hfCheckpoint(root, 50, random);
        Fixtures.age(unsealed, clock, Duration.ofHours(1));

        Pruner.Plan plan = Pruner.plan(root, settings(), 2, 200);

        assertThat(plan.newestValid().step()).isEqualTo(600);
        assertThat(plan.remove()).extracting(Checkpoint::step).containsExactly(100L, 300L);
        assertThat(root.resolve("checkpoint-100")).exists(); // planning removes nothing

        List<Path> removed = Pruner.remove(plan);

        assertThat(removed).extracting(p -> p.getFileName().toString()).containsExactly("checkpoint-100", "checkpoint-300");
        assertThat(Fixtures.names(root)).containsExactly("checkpoint-200", "checkpoint-400", "checkpoint-50", "checkpoint-500", "checkpoint-600");
    }

    @Test
    void corruptNewestIsKeptAndTheNewestValidOneIsNeverRemoved() throws Exception {
        sealed(100);
        sealed(200);
        Path bad = sealed(300);
        try (RandomAccessFile f = new RandomAccessFile(bad.resolve("optimizer.pt").toFile(), "rw")) {
            f.setLength(10);
        }
        Fixtures.age(bad, clock, Duration.ofHours(1));

        Pruner.Plan plan = Pruner.plan(root, settings(), 0, 0);

        assertThat(plan.newestValid().step()).isEqualTo(200);
        assertThat(plan.corrupt()).extracting(q -> q.checkpoint().step()).containsExactly(300L);
        assertThat(plan.remove()).extracting(Checkpoint::step).containsExactly(100L);
        assertThat(bad).exists(); // reported, not renamed, not removed
    }

    @Test
    void nothingVerifiesNothingRemoved() {
        Path only = Fixtures.hfCheckpoint(root, 100, random);
        Fixtures.age(only, clock, Duration.ofHours(1));
        Pruner.Plan plan = Pruner.plan(root, settings(), 0, 0);
        assertThat(plan.newestValid()).isNull();
        assertThat(plan.remove()).isEmpty();
    }
}
