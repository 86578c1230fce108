package dev.warden.checkpoint;

import dev.warden.UserError;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.RandomAccessFile;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import java.util.Random;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class BackupTest {
    @TempDir
    Path dir;

    private final Random random = new Random(21);

    private static Map<String, String> snapshot(Path p) throws Exception {
        Map<String, String> m = new HashMap<>();
        try (Stream<Path> s = Files.walk(p)) {
            for (Path f : s.filter(Files::isRegularFile).toList()) {
                m.put(p.relativize(f).toString(), Files.size(f) + "@" + Files.getLastModifiedTime(f) + "#"
                        + java.util.Arrays.hashCode(Files.readAllBytes(f)));
            }
        }
        return m;
    }

    @Test
    void copyIsVerifiedAndTheSourceIsUntouched() throws Exception {
        Path src = Fixtures.hfCheckpoint(dir.resolve("run"), 700, random);
        Sealer.seal(src, Algorithm.SHA256, Fingerprints.NONE);
        Map<String, String> before = snapshot(src);
        Path dest = Files.createDirectories(dir.resolve("backup"));

        Backup.Result r = Backup.copy(src, dest, Progress.NONE);

        assertThat(r.copy()).isEqualTo(dest.resolve("checkpoint-700"));
        assertThat(r.report().ok()).isTrue();
        assertThat(Verifier.verify(r.copy()).ok()).isTrue();
        assertThat(snapshot(src)).isEqualTo(before);
        assertThat(Fixtures.names(dest)).containsExactly("checkpoint-700"); // no staging left behind
    }

    @Test
    void singleFileCheckpointIsCopiedWithItsSeal() throws Exception {
        Path src = Fixtures.file(dir.resolve("run/epoch=1-step=50.ckpt"), Fixtures.zip(random, 3000));
        Sealer.seal(src, Algorithm.XXH128, Fingerprints.NONE);

        Backup.Result r = Backup.copy(src, dir.resolve("offsite"), Progress.NONE);

        assertThat(Fixtures.names(dir.resolve("offsite"))).containsExactly(
                "epoch=1-step=50.ckpt", "epoch=1-step=50.ckpt.warden.seal.json", "epoch=1-step=50.ckpt.warden.xxh128");
        assertThat(Verifier.verify(r.copy()).ok()).isTrue();
    }

    @Test
    void corruptSourceGivesNoCopyAndSaysWhy() throws Exception {
        Path src = Fixtures.hfCheckpoint(dir.resolve("run"), 700, random);
        Sealer.seal(src, Algorithm.SHA256, Fingerprints.NONE);
        try (RandomAccessFile f = new RandomAccessFile(src.resolve("optimizer.pt").toFile(), "rw")) {
            f.seek(100);
            f.write(f.read() ^ 0xff);
        }
        Path dest = Files.createDirectories(dir.resolve("backup"));

        assertThatThrownBy(() -> Backup.copy(src, dest, Progress.NONE))
                .isInstanceOf(UserError.class).hasMessageContaining("does not match its seal")
                .hasMessageContaining("optimizer.pt").hasMessageContaining("warden ckpt verify");
        assertThat(Fixtures.names(dest)).isEmpty();
    }

    @Test
    void refusesUnsealedSourcesAndExistingTargets() throws Exception {
        Path src = Fixtures.hfCheckpoint(dir.resolve("run"), 700, random);
        assertThatThrownBy(() -> Backup.copy(src, dir.resolve("b"), Progress.NONE))
                .isInstanceOf(UserError.class).hasMessageContaining("not sealed").hasMessageContaining("warden ckpt seal");
        Sealer.seal(src, Algorithm.SHA256, Fingerprints.NONE);
        Files.createDirectories(dir.resolve("b/checkpoint-700"));
        Files.writeString(dir.resolve("b/checkpoint-700/keep.txt"), "mine");
        assertThatThrownBy(() -> Backup.copy(src, dir.resolve("b"), Progress.NONE))
                .isInstanceOf(UserError.class).hasMessageContaining("already exists");
        assertThat(dir.resolve("b/checkpoint-700/keep.txt")).hasContent("mine");
    }
}
