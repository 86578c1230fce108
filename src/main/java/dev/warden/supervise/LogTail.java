package dev.warden.supervise;

import java.io.IOException;
import java.io.OutputStream;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.concurrent.locks.LockSupport;

/**
 * Follows an attempt's log file from a given offset: echoes new bytes (to the terminal), splits lines on \n and
 * \r (tqdm redraws with \r), and feeds them to the progress parser. A line longer than 64 KiB is parsed by its
 * head only; memory stays bounded whatever the job prints.
 */
public final class LogTail implements Runnable {
    private static final int CHUNK = 256 * 1024;

    private final Path file;
    private final OutputStream echo;
    private final ProgressParser parser;
    private final Progress progress;
    private final byte[] buf = new byte[CHUNK];
    private final byte[] line = new byte[ProgressParser.MAX_LINE];
    private final byte[] pendingAny = new byte[ProgressParser.MAX_LINE];
    private final byte[] pendingLoss = new byte[ProgressParser.MAX_LINE];
    private int pendingAnyLen;
    private int pendingLossLen;
    private boolean firstParsed;
    private int lineLen;
    private long now;
    private long position;
    private volatile boolean stopRequested;
    private volatile boolean drained;
    private volatile Thread reader;

    public LogTail(Path file, long fromOffset, OutputStream echo, ProgressParser parser, Progress progress) {
        this.file = file;
        this.position = fromOffset;
        this.echo = echo;
        this.parser = parser;
        this.progress = progress;
    }

    @Override
    public void run() {
        reader = Thread.currentThread();
        Libc.niceCurrentThread(19); // under CPU contention the job goes first; the follower catches up from the file
        // (the hang monitor watches the log's size itself, so a starved follower never looks like a hung job)
        try (FileChannel ch = openWhenPresent()) {
            if (ch == null) {
                return;
            }
            ByteBuffer bb = ByteBuffer.wrap(buf);
            while (true) {
                bb.clear();
                int n = ch.read(bb, position);
                if (n > 0) {
                    position += n;
                    consume(n);
                    continue;
                }
                if (stopRequested) {
                    break;
                }
                LockSupport.parkNanos(20_000_000L); // woken at once by finish()
            }
            flushLine();
        } catch (IOException e) {
            // the log vanished or the disk failed: the supervisor still has the exit status
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } finally {
            try {
                if (echo != null) {
                    echo.flush();
                }
            } catch (IOException ignored) {
                // terminal gone
            }
            drained = true;
        }
    }

    private FileChannel openWhenPresent() throws IOException, InterruptedException {
        while (true) {
            try {
                return FileChannel.open(file, StandardOpenOption.READ);
            } catch (NoSuchFileException e) {
                if (stopRequested) {
                    return null;
                }
                LockSupport.parkNanos(20_000_000L);
            }
        }
    }

    private void consume(int n) throws IOException {
        now = System.nanoTime();
        firstParsed = false;
        progress.output(now);
        if (echo != null) {
            echo.write(buf, 0, n);
            echo.flush();
        }
        int start = 0;
        int i;
        while ((i = nextTerminator(buf, start, n)) >= 0) {
            if (lineLen == 0) {
                onLine(buf, start, i - start);
            } else {
                append(start, i - start);
                onLine(line, 0, lineLen);
                lineLen = 0;
            }
            start = i + 1;
        }
        if (start < n) {
            append(start, n - start);
        }
        parsePending();
    }

    private static final VarHandle LONGS = MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.LITTLE_ENDIAN);
    private static final long ONES = 0x0101010101010101L;
    private static final long HIGHS = 0x8080808080808080L;
    private static final long NL = 0x0a0a0a0a0a0a0a0aL;
    private static final long CR = 0x0d0d0d0d0d0d0d0dL;

    /** Index of the next \n or \r in b[from..to), eight bytes at a time; -1 when there is none. */
    static int nextTerminator(byte[] b, int from, int to) {
        int i = from;
        for (; i + 8 <= to; i += 8) {
            long w = (long) LONGS.get(b, i);
            long x = w ^ NL;
            long y = w ^ CR;
            long hit = (((x - ONES) & ~x) | ((y - ONES) & ~y)) & HIGHS;
            if (hit != 0) {
                return i + (Long.numberOfTrailingZeros(hit) >>> 3); // the lowest flagged byte is always a real match
            }
        }
        for (; i < to; i++) {
            if (b[i] == '\n' || b[i] == '\r') {
                return i;
            }
        }
        return -1;
    }

    private void append(int off, int len) {
        int room = line.length - lineLen;
        int take = Math.min(room, len);
        System.arraycopy(buf, off, line, lineLen, take);
        lineLen += take;
    }

    private void flushLine() {
        if (lineLen > 0) {
            onLine(line, 0, lineLen);
            lineLen = 0;
        }
        parsePending();
    }

    /**
     * Progress needs the latest step and loss, and every non-finite loss. So a candidate line mentioning nan or inf
     * is parsed at once; of the others only the last one, and the last one that mentions a loss, of each read are
     * parsed. A burst of a million progress lines costs a few regex matches per 256 KiB, not a million.
     */
    private void onLine(byte[] b, int off, int len) {
        if (parser.hasCustom()) {
            parser.line(b, off, len, progress, now);
            return;
        }
        if (!ProgressParser.interesting(b, off, len)) {
            return;
        }
        int n = Math.min(len, ProgressParser.MAX_LINE);
        if (contains(b, off, n, 'n', 'a', 'n') || contains(b, off, n, 'i', 'n', 'f')) {
            parsePending(); // what came before it, first: the non-finite loss must be the last word
            parser.line(b, off, n, progress, now);
            return;
        }
        if (!firstParsed) {
            // the first and the last candidate of a read both count: a burst from step 1 to 100 is a step change
            firstParsed = true;
            parser.line(b, off, n, progress, now);
            return;
        }
        if (contains(b, off, n, 'o', 's', 's')) {
            System.arraycopy(b, off, pendingLoss, 0, n);
            pendingLossLen = n;
        }
        System.arraycopy(b, off, pendingAny, 0, n);
        pendingAnyLen = n;
    }

    private void parsePending() {
        if (pendingLossLen > 0 && !(pendingLossLen == pendingAnyLen
                && java.util.Arrays.equals(pendingLoss, 0, pendingLossLen, pendingAny, 0, pendingAnyLen))) {
            parser.line(pendingLoss, 0, pendingLossLen, progress, now);
        }
        if (pendingAnyLen > 0) {
            parser.line(pendingAny, 0, pendingAnyLen, progress, now);
        }
        pendingLossLen = 0;
        pendingAnyLen = 0;
    }

    /** Case-insensitive search for three ASCII letters. */
    private static boolean contains(byte[] b, int off, int len, char x, char y, char z) {
        for (int i = off, end = off + len - 2; i < end; i++) {
            if ((b[i] | 0x20) == x && (b[i + 1] | 0x20) == y && (b[i + 2] | 0x20) == z) {
                return true;
            }
        }
        return false;
    }

    /** Reads what is left in the file, then ends. */
    public void finish() {
        stopRequested = true;
        Thread t = reader;
        if (t != null) {
            LockSupport.unpark(t);
        }
    }

    public boolean drained() {
        return drained;
    }

    public long position() {
        return position;
    }
}
