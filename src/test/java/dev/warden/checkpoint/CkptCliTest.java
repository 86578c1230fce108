package dev.warden.checkpoint;

import dev.warden.cli.Main;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.PrintWriter;
import java.io.RandomAccessFile;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Instant;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/** What a user reads and the exit codes scripts see, for every `warden ckpt` verb. */
class CkptCliTest {
    @TempDir
    Path dir;

    record Result(int exit, String out, String err) {}

    private static Result warden(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int code = Main.execute(new PrintWriter(out), new PrintWriter(err), args);
        return new Result(code, out.toString(), err.toString());
    }

    private Path checkpoint(String name, String... files) throws Exception {
        Path c = Files.createDirectories(dir.resolve(name));
        for (String f : files) {
            Files.writeString(c.resolve(f), "content of " + f);
        }
        try (Stream<Path> s = Files.walk(c)) {
            for (Path p : s.toList()) {
                Files.setLastModifiedTime(p, FileTime.from(Instant.now().minusSeconds(3600)));
            }
        }
        return c;
    }

    @Test
    void sealPrintsWhatItSealedAndHowToCheckWithoutWarden() throws Exception {
        Path c = checkpoint("checkpoint-10", "model.bin", "trainer_state.json", "file with space.txt");

        Result r = warden("ckpt", "seal", c.toString());

        assertThat(r.exit()).isZero();
        assertThat(r.out()).contains("sealed " + c + ": 3 files").contains("(sha256)")
                .contains("check without Warden: cd " + c + " && sha256sum -c warden.sha256");
        assertThat(r.err()).isEmpty();
        assertThat(warden("ckpt", "seal", "--fast", c.toString()).out()).contains("(xxh128)").contains("xxhsum -c warden.xxh128");
    }

    @Test
    void verifyExitsZeroWhenWholeAndOneWithEveryProblemListed() throws Exception {
        Path c = checkpoint("checkpoint-10", "a.bin", "b.bin", "trainer_state.json");
        warden("ckpt", "seal", c.toString());
        assertThat(warden("ckpt", "verify", c.toString())).satisfies(r -> {
            assertThat(r.exit()).isZero();
            assertThat(r.out()).contains(": ok: 3 files");
        });

        Files.delete(c.resolve("a.bin"));
        try (RandomAccessFile f = new RandomAccessFile(c.resolve("b.bin").toFile(), "rw")) {
            f.write('X');
        }
        Files.writeString(c.resolve("new\nline.bin"), "late");

        Result r = warden("ckpt", "verify", c.toString());

        assertThat(r.exit()).isEqualTo(1);
        assertThat(r.out()).contains("CORRUPT: 3 problems")
                .contains("  missing: a.bin")
                .contains("  extra (added after sealing): new\\nline.bin (4 B)")
                .contains("  content changed: b.bin");
    }

    @Test
    void listShowsStepStateAndSeal() throws Exception {
        Path done = checkpoint("checkpoint-200", "model.bin", "trainer_state.json");
        checkpoint("checkpoint-1000", "model.bin");
        warden("ckpt", "seal", done.toString());

        Result r = warden("ckpt", "list", dir.toString());

        assertThat(r.exit()).isZero();
        assertThat(r.out().lines().toList()).containsExactly(
                "STEP       STATE      SEALED   NAME (layout huggingface)",
                "200        complete   yes      checkpoint-200  (trainer_state.json present)",
                "1000       partial    no       checkpoint-1000  (no trainer_state.json yet)");
    }

    @Test
    void latestPrintsThePathOrExitsOne() throws Exception {
        Path older = checkpoint("checkpoint-100", "model.bin", "trainer_state.json");
        Path newer = checkpoint("checkpoint-200", "model.bin", "trainer_state.json");
        assertThat(warden("ckpt", "latest", dir.toString())).satisfies(r -> {
            assertThat(r.exit()).isEqualTo(1);
            assertThat(r.err()).contains("no checkpoint in " + dir + " verifies").contains("--unsealed seal");
        });
        warden("ckpt", "seal", older.toString());
        warden("ckpt", "seal", newer.toString());
        Files.writeString(newer.resolve("model.bin"), "overwritten by a confused script");
        Files.setLastModifiedTime(newer.resolve("model.bin"), FileTime.from(Instant.now().minusSeconds(3600)));

        Result r = warden("ckpt", "latest", dir.toString());

        assertThat(r.exit()).isZero();
        assertThat(r.out().trim()).isEqualTo(older.toString());
        assertThat(r.err()).contains("checkpoint checkpoint-200 failed verification and moved to checkpoint-200.corrupt-");
    }

    @Test
    void backupCopiesAndVerifies() throws Exception {
        Path c = checkpoint("checkpoint-5", "model.bin", "trainer_state.json");
        warden("ckpt", "seal", c.toString());
        Path dest = Files.createDirectories(dir.resolve("safe"));

        Result r = warden("ckpt", "backup", c.toString(), dest.toString());

        assertThat(r.exit()).isZero();
        assertThat(r.out()).contains("copied and verified: " + dest.resolve("checkpoint-5")).contains("ok: 2 files");
    }

    @Test
    void pruneListsFirstAndRemovesOnlyWithYes() throws Exception {
        for (int s = 1; s <= 4; s++) {
            Path c = checkpoint("checkpoint-" + s * 100, "model.bin", "trainer_state.json");
            warden("ckpt", "seal", c.toString());
        }

        Result dry = warden("ckpt", "prune", dir.toString(), "--keep-last", "2");

        assertThat(dry.exit()).isZero();
        assertThat(dry.out()).contains("newest valid (kept): checkpoint-400").contains("would remove 2:")
                .contains(dir.resolve("checkpoint-100").toString()).contains("run again with --yes");
        assertThat(dir.resolve("checkpoint-100")).exists();

        Result real = warden("ckpt", "prune", dir.toString(), "--keep-last", "2", "--yes");

        assertThat(real.out()).contains("removed 2:");
        assertThat(dir.resolve("checkpoint-100")).doesNotExist();
        assertThat(dir.resolve("checkpoint-200")).doesNotExist();
        assertThat(dir.resolve("checkpoint-300")).exists();
    }

    @Test
    void badInputIsOneLineWithoutAStackTrace() throws Exception {
        Result missing = warden("ckpt", "verify", dir.resolve("nope").toString());
        assertThat(missing.exit()).isEqualTo(2);
        assertThat(missing.err().trim()).isEqualTo("warden: checkpoint " + dir.resolve("nope") + " does not exist; check the path");

        Path c = checkpoint("checkpoint-1", "a.bin");
        Files.createSymbolicLink(c.resolve("passwd"), Path.of("/etc/passwd"));
        Result escaping = warden("ckpt", "seal", c.toString());
        assertThat(escaping.exit()).isEqualTo(78);
        assertThat(escaping.err().lines()).singleElement().asString()
                .contains("symbolic link leaves the checkpoint: passwd -> /etc/passwd").doesNotContain("Exception");

        Result layout = warden("ckpt", "list", dir.toString(), "--layout", "keras");
        assertThat(layout.err().trim()).startsWith("warden: checkpoint layout `keras` is not known");
    }
}
