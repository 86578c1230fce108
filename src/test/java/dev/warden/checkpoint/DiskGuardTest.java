package dev.warden.checkpoint;

import dev.warden.spec.Sizes;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.Random;

import static org.assertj.core.api.Assertions.assertThat;

class DiskGuardTest {
    @TempDir
    Path root;

    @Test
    void passesWhenFreeSpaceCoversTheFactor() throws Exception {
        Path c = Fixtures.hfCheckpoint(root, 100, new Random(1));
        long size = CheckpointFiles.list(c).totalBytes();

        DiskGuard.Result r = DiskGuard.check(root, 3);

        assertThat(r.ok()).isTrue();
        assertThat(r.newestBytes()).isEqualTo(size);
        assertThat(r.neededBytes()).isEqualTo(3 * size);
        assertThat(r.freeBytes()).isGreaterThanOrEqualTo(r.neededBytes());
    }

    @Test
    void failsWithBothNumbersWhenTheNewestCheckpointNeedsMoreThanIsFree() {
        Fixtures.hfCheckpoint(root, 100, new Random(1));
        Fixtures.hfCheckpoint(root, 200, new Random(2));
        double factor = 1e15; // no disk has this much room

        DiskGuard.Result r = DiskGuard.check(root, factor);

        assertThat(r.ok()).isFalse();
        assertThat(r.newest().getFileName().toString()).isEqualTo("checkpoint-200");
        assertThat(r.message()).contains("only " + Sizes.format(r.freeBytes()) + " free")
                .contains("need " + Sizes.format(r.neededBytes())).contains("checkpoint-200");
    }

    @Test
    void noCheckpointYetPasses() {
        DiskGuard.Result r = DiskGuard.check(root.resolve("not-created-yet"), 3);
        assertThat(r.ok()).isTrue();
        assertThat(r.neededBytes()).isZero();
        assertThat(r.freeBytes()).isPositive();
        assertThat(r.message()).contains("no checkpoint");
    }
}
