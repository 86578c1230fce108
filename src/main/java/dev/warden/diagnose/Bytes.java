package dev.warden.diagnose;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;

/** Where log bytes come from (a file, or text held in memory), and fast newline counting. */
abstract class Bytes implements AutoCloseable {

    /** Size at the time of opening: a log still being written is read up to this point only. */
    abstract long size();

    /** Reads up to {@code len} bytes at {@code pos}; returns the count (0 at the end). */
    abstract int read(long pos, byte[] dst, int off, int len);

    @Override
    public void close() {
    }

    static Bytes of(byte[] data) {
        return new Bytes() {
            long size() { return data.length; }
            int read(long pos, byte[] dst, int off, int len) {
                if (pos >= data.length) {
                    return 0;
                }
                int n = (int) Math.min(len, data.length - pos);
                System.arraycopy(data, (int) pos, dst, off, n);
                return n;
            }
        };
    }

    static Bytes of(FileChannel ch) throws IOException {
        long size = ch.size();
        return new Bytes() {
            long size() { return size; }
            int read(long pos, byte[] dst, int off, int len) {
                ByteBuffer bb = ByteBuffer.wrap(dst, off, (int) Math.min(len, Math.max(0, size - pos)));
                int total = 0;
                try {
                    while (bb.hasRemaining()) {
                        int r = ch.read(bb, pos + total);
                        if (r <= 0) {
                            break;
                        }
                        total += r;
                    }
                } catch (IOException e) {
                    throw new UncheckedIOException("cannot read the log: " + e.getMessage(), e);
                }
                return total;
            }
            @Override
            public void close() {
                try {
                    ch.close();
                } catch (IOException ignored) {
                    // read-only channel; nothing to flush
                }
            }
        };
    }

    /** Reads exactly [pos, pos+len) or less at the end. */
    byte[] slice(long pos, int len) {
        byte[] b = new byte[(int) Math.max(0, Math.min(len, size() - pos))];
        int n = 0;
        while (n < b.length) {
            int r = read(pos + n, b, n, b.length - n);
            if (r <= 0) {
                break;
            }
            n += r;
        }
        return n == b.length ? b : java.util.Arrays.copyOf(b, n);
    }

    /** Number of '\n' in [from, to), read in 4 MiB blocks. */
    long countNewlines(long from, long to) {
        byte[] buf = new byte[(int) Math.min(4L << 20, Math.max(8, to - from))];
        long n = 0;
        long pos = from;
        while (pos < to) {
            int r = read(pos, buf, 0, (int) Math.min(buf.length, to - pos));
            if (r <= 0) {
                break;
            }
            n += newlines(buf, 0, r);
            pos += r;
        }
        return n;
    }

    private static final VarHandle LONGS = MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.LITTLE_ENDIAN);

    /** Counts '\n' in buf[from, to) eight bytes at a time (SWAR zero-byte test on x ^ 0x0a..). */
    static int newlines(byte[] buf, int from, int to) {
        final long nl = 0x0a0a0a0a0a0a0a0aL;
        final long low7 = 0x7f7f7f7f7f7f7f7fL;
        int n = 0;
        int i = from;
        for (; i + 8 <= to; i += 8) {
            long x = (long) LONGS.get(buf, i) ^ nl;
            n += Long.bitCount(~(((x & low7) + low7) | x | low7));
        }
        for (; i < to; i++) {
            if (buf[i] == '\n') {
                n++;
            }
        }
        return n;
    }
}
