package dev.warden.supervise;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.concurrent.locks.LockSupport;

/**
 * Follows an attempt's log file from a given offset: echoes new bytes (to the terminal) and hands each read to a
 * {@link BurstParser}, which reads progress from it. Memory stays bounded whatever the job prints.
 */
public final class LogTail implements Runnable {
    private static final int CHUNK = 256 * 1024;
    /** Bytes read between two rests above which the output counts as a flood. */
    private static final long FLOOD = 1L << 20;
    static final long SKIP_BACKLOG = 64L << 20;
    static final long KEEP_TAIL = CHUNK;
    private volatile long skipped;
    private boolean everyByte;
    private boolean skippedSinceRest;

    private final Path file;
    private final OutputStream echo;
    private final Progress progress;
    private final byte[] buf = new byte[CHUNK];
    private final BurstParser burst;
    private long position;
    private volatile boolean stopRequested;
    private volatile boolean drained;
    private volatile Thread reader;

    public LogTail(Path file, long fromOffset, OutputStream echo, ProgressParser parser, Progress progress) {
        this.file = file;
        this.position = fromOffset;
        this.echo = echo;
        this.progress = progress;
        this.burst = new BurstParser(parser, progress);
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
            long sinceRest = 0;
            while (true) {
                skipFloodBacklog(ch);
                bb.clear();
                int n = ch.read(bb, position);
                if (n > 0) {
                    position += n;
                    sinceRest += n;
                    consume(n);
                    if (!everyByte && sinceRest >= (skippedSinceRest ? KEEP_TAIL : FLOOD)) {
                        // a flood: rest before the next look, caught up or not (what waits is skipped past if large)
                        LockSupport.parkNanos(200_000_000L);
                        sinceRest = 0;
                        skippedSinceRest = false;
                    }
                    continue;
                }
                if (stopRequested) {
                    break;
                }
                // Reading a file while the job appends to it slows the job's writes (page-cache contention, not
                // CPU: it happens at nice 19 too), ~30% while a flood is read right behind the writer. After a flood
                // the follower rests longer and catches up in fewer, longer reads; a trickle is echoed at once.
                LockSupport.parkNanos(sinceRest >= FLOOD ? 200_000_000L : 20_000_000L); // finish() wakes it
                sinceRest = 0;
            }
            burst.end();
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

    /**
     * Reading every byte of a flood right behind the writer costs the job ~20% (memory bandwidth and page-cache
     * contention, at any nice level); a training log is kilobytes a second, a flood is a job printing in a loop. So
     * when more than {@value #SKIP_BACKLOG} bytes wait, the follower goes on from the last {@value #KEEP_TAIL} of them,
     * at a line start: progress comes from the newest output (the hang monitor watches the file's size, and every
     * byte stays in the log). The skipped bytes are counted ({@link #skipped()}) and, on a terminal, said.
     */
    private void skipFloodBacklog(FileChannel ch) throws IOException {
        if (everyByte) {
            return;
        }
        long size = ch.size();
        if (size - position <= SKIP_BACKLOG) {
            return;
        }
        long to = size - KEEP_TAIL;
        ByteBuffer probe = ByteBuffer.wrap(buf);
        int n = ch.read(probe, to);
        int nl = n <= 0 ? -1 : LineScan.nextTerminator(buf, 0, n);
        if (nl < 0) {
            return; // no line start in sight: read on as usual
        }
        long skip = to + nl + 1 - position;
        position += skip;
        skipped += skip;
        skippedSinceRest = true;
        burst.dropPartialLine();
        if (echo != null) {
            echo.write(("\n[warden: " + skip / (1 << 20) + " MiB of output not echoed (a flood); all of it is in the log]\n")
                    .getBytes(java.nio.charset.StandardCharsets.UTF_8));
        }
    }

    /** Reads every byte however far behind it is (the follower's throughput benchmark). */
    public LogTail everyByte() {
        everyByte = true;
        return this;
    }

    /** Bytes of a flood the follower went past without reading (see {@link #skipFloodBacklog}). */
    public long skipped() {
        return skipped;
    }

    private void consume(int n) throws IOException {
        long now = System.nanoTime();
        progress.output(now);
        if (echo != null) {
            echo.write(buf, 0, n);
            echo.flush();
        }
        burst.read(buf, n, now);
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
