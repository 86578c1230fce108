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
