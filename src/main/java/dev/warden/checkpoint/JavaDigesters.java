package dev.warden.checkpoint;

import com.dynatrace.hash4j.hashing.HashStream128;
import com.dynatrace.hash4j.hashing.HashValue128;
import com.dynatrace.hash4j.hashing.Hashing;

import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.function.LongConsumer;

/**
 * Pure-Java digesters: MessageDigest SHA-256 (the JIT uses the CPU's SHA instructions, but only in C2-compiled
 * code) and hash4j's streaming XXH3-128. Each worker thread reuses one 1 MiB buffer.
 */
final class JavaDigesters {
    static final int BUFFER = 1 << 20;
    private static final ThreadLocal<byte[]> BUFFERS = ThreadLocal.withInitial(() -> new byte[BUFFER]);

    private JavaDigesters() {}

    static final FileDigester SHA256 = new FileDigester() {
        @Override
        public FileDigest digest(Path file, LongConsumer bytesRead) throws IOException {
            MessageDigest md = sha256();
            long total = read(file, (buf, n) -> md.update(buf, 0, n), bytesRead);
            return new FileDigest(HexFormat.of().formatHex(md.digest()), total);
        }

        @Override
        public String engine() {
            return "java";
        }
    };

    static final FileDigester XXH128 = new FileDigester() {
        @Override
        public FileDigest digest(Path file, LongConsumer bytesRead) throws IOException {
            HashStream128 h = Hashing.xxh3_128().hashStream();
            long total = read(file, (buf, n) -> h.putBytes(buf, 0, n), bytesRead);
            return new FileDigest(xxh128Hex(h.get()), total);
        }

        @Override
        public String engine() {
            return "java";
        }
    };

    /** xxhsum prints XXH128 in canonical (big-endian) form: high 64 bits first. */
    static String xxh128Hex(HashValue128 v) {
        return String.format("%016x%016x", v.getMostSignificantBits(), v.getLeastSignificantBits());
    }

    static MessageDigest sha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("this Java runtime has no SHA-256", e);
        }
    }

    private interface Sink {
        void accept(byte[] buf, int n);
    }

    private static long read(Path file, Sink sink, LongConsumer bytesRead) throws IOException {
        byte[] buf = BUFFERS.get();
        long total = 0;
        try (RandomAccessFile in = new RandomAccessFile(file.toFile(), "r")) {
            int n;
            while ((n = in.read(buf)) > 0) {
                sink.accept(buf, n);
                total += n;
                bytesRead.accept(n);
            }
        }
        return total;
    }
}
