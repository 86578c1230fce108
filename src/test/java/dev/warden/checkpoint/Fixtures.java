package dev.warden.checkpoint;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Random;
import java.util.stream.Stream;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;

/** Small checkpoints on disk for tests: random bytes, old mtimes, zip files like torch.save writes. */
final class Fixtures {
    private Fixtures() {}

    static Path file(Path p, byte[] content) {
        try {
            Files.createDirectories(p.toAbsolutePath().getParent());
            Files.write(p, content);
            return p;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static Path file(Path p, String content) {
        return file(p, content.getBytes(java.nio.charset.StandardCharsets.UTF_8));
    }

    static byte[] random(Random r, int size) {
        byte[] b = new byte[size];
        r.nextBytes(b);
        return b;
    }

    /** A Hugging Face style checkpoint directory: weights, optimizer, trainer_state.json. */
    static Path hfCheckpoint(Path root, long step, Random r) {
        Path dir = root.resolve("checkpoint-" + step);
        file(dir.resolve("model.safetensors"), safetensors(r, 3000));
        file(dir.resolve("optimizer.pt"), zip(r, 2000));
        file(dir.resolve("trainer_state.json"), "{\"global_step\": " + step + "}");
        return dir;
    }

    /** A minimal valid safetensors file: 8-byte header length, JSON header, data. */
    static byte[] safetensors(Random r, int dataBytes) {
        String header = "{\"w\":{\"dtype\":\"U8\",\"shape\":[" + dataBytes + "],\"data_offsets\":[0," + dataBytes + "]}}";
        byte[] h = header.getBytes(java.nio.charset.StandardCharsets.UTF_8);
        java.nio.ByteBuffer b = java.nio.ByteBuffer.allocate(8 + h.length + dataBytes).order(java.nio.ByteOrder.LITTLE_ENDIAN);
        b.putLong(h.length).put(h).put(random(r, dataBytes));
        return b.array();
    }

    /** A zip archive like torch.save writes (local headers ... central directory ... end record). */
    static byte[] zip(Random r, int dataBytes) {
        try (var bytes = new java.io.ByteArrayOutputStream(); var z = new ZipOutputStream(bytes)) {
            z.setLevel(0);
            z.putNextEntry(new ZipEntry("archive/data.pkl"));
            z.write(random(r, dataBytes));
            z.closeEntry();
            z.finish();
            return bytes.toByteArray();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Sets every file under p (and p) to an mtime `age` before the clock's now: "written long ago". */
    static void age(Path p, Clock clock, Duration age) {
        FileTime t = FileTime.from(clock.instant().minus(age));
        try (Stream<Path> s = Files.walk(p)) {
            for (Path q : s.toList()) {
                if (!Files.isSymbolicLink(q)) {
                    Files.setLastModifiedTime(q, t);
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static Instant mtime(Path p) {
        try {
            return Files.getLastModifiedTime(p).toInstant();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static List<String> names(Path dir) {
        try (Stream<Path> s = Files.list(dir)) {
            return s.map(p -> p.getFileName().toString()).sorted().toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static boolean onPath(String tool) {
        String path = System.getenv("PATH");
        if (path == null) {
            return false;
        }
        for (String dir : path.split(":")) {
            if (Files.isExecutable(Path.of(dir, tool))) {
                return true;
            }
        }
        return false;
    }

    /** Runs a tool in a directory; returns exit code and combined output. */
    record Run(int exit, String output) {}

    static Run run(Path dir, String... command) {
        try {
            Process p = new ProcessBuilder(command).directory(dir.toFile()).redirectErrorStream(true).start();
            String out = new String(p.getInputStream().readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
            return new Run(p.waitFor(), out);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
