package dev.warden.data;

import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayDeque;
import java.util.Arrays;

/**
 * Cuts a byte stream into chunks of whole lines, reading big blocks into pooled buffers. A line longer
 * than a buffer grows that buffer up to {@code maxLine}; a line longer than that is skipped in blocks,
 * never held, and comes back as an {@link Oversize} piece so its line number is still counted.
 * Used by one thread; buffers come back through {@link #recycle}.
 */
final class ChunkReader {

    sealed interface Piece {}

    /** buf[0, len): whole lines; the last one may lack its '\n' only at the end of the input. */
    record Lines(byte[] buf, int len) implements Piece {}

    /** One line of {@code bytes} bytes (without its '\n'), not read. */
    record Oversize(long bytes) implements Piece {}

    private final InputStream in;
    private final int chunkSize;
    private final int maxLine;
    private final ArrayDeque<byte[]> pool = new ArrayDeque<>();
    private byte[] carry;
    private int carryLen;
    private boolean eof;
    private long bytesRead;

    ChunkReader(InputStream in, int chunkSize, int maxLine) {
        this.in = in;
        this.chunkSize = chunkSize;
        this.maxLine = Math.max(maxLine, chunkSize);
        this.carry = new byte[chunkSize];
    }

    /** True when input may remain after the pieces handed out so far. */
    boolean hasMore() {
        return carryLen > 0 || !eof;
    }

    /** Bytes of text read so far (after decompression). */
    long bytesRead() {
        return bytesRead;
    }

    /** The next piece, or null at the end of the input. */
    Piece next() throws IOException {
        if (eof && carryLen == 0) {
            return null;
        }
        byte[] buf = pool.isEmpty() ? new byte[chunkSize] : pool.pop();
        if (carryLen > buf.length) {
            buf = new byte[carryLen];
        }
        System.arraycopy(carry, 0, buf, 0, carryLen);
        int len = carryLen;
        carryLen = 0;
        while (true) {
            len = fill(buf, len);
            if (eof) {
                if (len == 0) {
                    recycle(buf);
                    return null;
                }
                return new Lines(buf, len);
            }
            int nl = Bytes.lastIndexOfNewline(buf, 0, len);
            if (nl >= 0) {
                keep(buf, nl + 1, len);
                return new Lines(buf, nl + 1);
            }
            if (buf.length < maxLine) {
                buf = Arrays.copyOf(buf, (int) Math.min((long) buf.length * 2, maxLine));
                continue;
            }
            recycle(buf);
            return new Oversize(skipRestOfLine(len));
        }
    }

    /** Returns a buffer from a finished piece to the pool; grown ones are dropped. */
    void recycle(byte[] buf) {
        if (buf != null && buf.length == chunkSize) {
            pool.push(buf);
        }
    }

    private int fill(byte[] buf, int len) throws IOException {
        while (len < buf.length) {
            int n = in.read(buf, len, buf.length - len);
            if (n < 0) {
                eof = true;
                break;
            }
            len += n;
            bytesRead += n;
        }
        return len;
    }

    private void keep(byte[] buf, int from, int to) {
        carryLen = to - from;
        if (carry.length < carryLen) {
            carry = new byte[carryLen];
        }
        System.arraycopy(buf, from, carry, 0, carryLen);
    }

    /** Reads on to the end of an oversize line; what follows it becomes the carry. Returns the line's length. */
    private long skipRestOfLine(long seen) throws IOException {
        byte[] scratch = carry.length >= chunkSize ? carry : new byte[chunkSize];
        long length = seen;
        while (true) {
            int n = in.read(scratch, 0, scratch.length);
            if (n < 0) {
                eof = true;
                carryLen = 0;
                return length;
            }
            bytesRead += n;
            int nl = Bytes.indexOfNewline(scratch, 0, n);
            if (nl >= 0) {
                length += nl;
                carry = scratch;
                System.arraycopy(scratch, nl + 1, carry, 0, n - nl - 1);
                carryLen = n - nl - 1;
                return length;
            }
            length += n;
        }
    }
}
