package dev.warden.cli;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * `warden ckpt seal|verify DIR` skip picocli; a user must not be able to tell. `ckpt seal -- DIR` still goes through
 * picocli (the fast path leaves `--` to it), so the two are compared line for line.
 */
class CkptFastPathTest {
    @TempDir
    Path dir;

    record Result(int exit, String out, String err) {}

    private static Result warden(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int code = Main.execute(new PrintWriter(out), new PrintWriter(err), args);
        return new Result(code, out.toString(), err.toString());
    }

    /** The same command line through picocli: the options first, then `--` and the path. */
    private static Result throughPicocli(String verb, String path, String... options) {
        List<String> args = new ArrayList<>(List.of("ckpt", verb));
        args.addAll(List.of(options));
        args.add("--");
        args.add(path);
        return warden(args.toArray(String[]::new));
    }

    private static Result fast(String verb, String path, String... options) {
        List<String> args = new ArrayList<>(List.of("ckpt", verb));
        args.addAll(List.of(options));
        args.add(path);
        assertThat(CkptFastPath.parse(args.toArray(String[]::new))).as("takes the fast path").isNotNull();
        return warden(args.toArray(String[]::new));
    }

    @Test
    void sealAndVerifyReadAndExitAsThroughPicocli() throws Exception {
        Path c = Files.createDirectories(dir.resolve("checkpoint-7"));
        Files.writeString(c.resolve("model.bin"), "weights");
        Files.writeString(c.resolve("trainer_state.json"), "{}");

        for (String[] options : List.of(new String[0], new String[] {"--fast"})) {
            Result picocli = throughPicocli("seal", c.toString(), options);
            assertThat(picocli.exit()).isZero();
            assertThat(fast("seal", c.toString(), options)).isEqualTo(picocli);
            assertThat(fast("verify", c.toString())).isEqualTo(throughPicocli("verify", c.toString())).extracting(Result::exit).isEqualTo(0);
        }

        Files.writeString(c.resolve("model.bin"), "WEIGHTS");
        Result corrupt = fast("verify", c.toString());
        assertThat(corrupt.exit()).isEqualTo(1);
        assertThat(corrupt.out()).contains("content changed: model.bin");
        assertThat(corrupt).isEqualTo(throughPicocli("verify", c.toString()));
    }

    @Test
    void errorsAreTheSameOneLine() throws Exception {
        String missing = dir.resolve("nope").toString();
        Result r = fast("verify", missing);
        assertThat(r.exit()).isEqualTo(2);
        assertThat(r.err().trim()).isEqualTo("warden: checkpoint " + missing + " does not exist; check the path");
        assertThat(r).isEqualTo(throughPicocli("verify", missing));

        Path c = Files.createDirectories(dir.resolve("checkpoint-1"));
        Files.writeString(c.resolve("a.bin"), "a");
        Files.createSymbolicLink(c.resolve("passwd"), Path.of("/etc/passwd"));
        Result escaping = fast("seal", c.toString(), "--stats");
        assertThat(escaping.exit()).isEqualTo(78);
        assertThat(escaping.err().lines()).singleElement().asString().contains("symbolic link leaves the checkpoint");
        assertThat(escaping).isEqualTo(throughPicocli("seal", c.toString(), "--stats"));
    }

    @Test
    void everythingButThePlainFormIsLeftToPicocli() {
        assertThat(CkptFastPath.parse("ckpt", "seal", "--fast", "--stats", "d")).isEqualTo(
                new CkptFastPath.Parsed(true, Path.of("d"), true, true));
        assertThat(CkptFastPath.parse("ckpt", "verify", "d", "--stats")).isEqualTo(
                new CkptFastPath.Parsed(false, Path.of("d"), false, true));
        for (String[] args : List.of(
                new String[] {"ckpt", "seal"}, new String[] {"ckpt", "seal", "--help"}, new String[] {"ckpt", "seal", "-h", "d"},
                new String[] {"ckpt", "verify", "--fast", "d"}, new String[] {"ckpt", "seal", "--fast", "--fast", "d"},
                new String[] {"ckpt", "seal", "a", "b"}, new String[] {"ckpt", "seal", "--", "d"}, new String[] {"ckpt", "seal", "@args"},
                new String[] {"ckpt", "seal", ""}, new String[] {"ckpt", "seal", "--fast=true", "d"}, new String[] {"ckpt", "list", "d"},
                new String[] {"ckpt", "seal", "bad\0path"}, new String[] {"run", "seal", "d"})) {
            assertThat(CkptFastPath.parse(args)).as(String.join(" ", args)).isNull();
        }
        Result help = warden("ckpt", "seal", "--help");
        assertThat(help.exit()).isZero();
        assertThat(help.out()).contains("Usage: warden ckpt seal");
    }
}
