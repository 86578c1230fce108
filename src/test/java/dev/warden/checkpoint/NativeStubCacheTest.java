package dev.warden.checkpoint;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.RandomAccessFile;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/** A fresh `warden ckpt` process hashes natively with JNA's stub kept in the user's cache, not unpacked each time. */
class NativeStubCacheTest {
    @Test
    void aFreshVerifyKeepsJnasStubInTheCacheAndHashesNatively(@TempDir Path tmp) throws Exception {
        assumeTrue(Files.exists(Path.of("/usr/lib/x86_64-linux-gnu/libxxhash.so.0")), "libxxhash not installed here");
        Path ckpt = Files.createDirectories(tmp.resolve("checkpoint-1"));
        try (RandomAccessFile f = new RandomAccessFile(ckpt.resolve("model.bin").toFile(), "rw")) {
            f.setLength(NativeDigesters.WORTH_IT_BYTES); // holes: big enough for the native path, nothing on disk
        }
        Path cache = tmp.resolve("cache");

        for (List<String> args : List.of(List.of("seal", "--fast"), List.of("verify", "--stats"), List.of("verify", "--stats"))) {
            String out = warden(tmp, cache, args, ckpt);
            if (args.get(0).equals("verify")) {
                assertThat(out).contains(": ok: 1 files").contains("stats: hashed with native libxxhash");
            }
        }
        try (Stream<Path> s = Files.walk(cache.resolve("warden"))) {
            assertThat(s.filter(p -> p.getFileName().toString().equals("libjnidispatch.so")).toList()).singleElement()
                    .satisfies(p -> assertThat(p.getParent().getFileName().toString()).startsWith("jna-"));
        }
    }

    private static String warden(Path tmp, Path cache, List<String> args, Path ckpt) throws Exception {
        List<String> cmd = new java.util.ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp", System.getProperty("java.class.path"), "dev.warden.cli.Main", "ckpt"));
        cmd.addAll(args);
        cmd.add(ckpt.toString());
        Path log = tmp.resolve("out-" + System.nanoTime());
        ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(log.toFile());
        pb.environment().put("XDG_CACHE_HOME", cache.toString());
        pb.environment().remove("WARDEN_NATIVE_HASH");
        Process p = pb.start();
        assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
        String out = Files.readString(log, StandardCharsets.UTF_8);
        assertThat(p.exitValue()).as(out).isZero();
        return out;
    }
}
