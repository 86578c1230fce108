package dev.warden.checkpoint;

import dev.warden.spec.Sizes;

import java.io.PrintStream;
import java.util.Locale;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.LongSupplier;

/**
 * A one-line progress bar on stderr, for a terminal only, and only once a job has run a couple of seconds:
 * short jobs and piped output stay clean.
 */
public final class ConsoleProgress implements Progress {
    static final long SHOW_AFTER_NANOS = 2_000_000_000L;
    private static final long EVERY_NANOS = 200_000_000L;
    private static final int WIDTH = 24;

    private final PrintStream out;
    private final LongSupplier nanoTime;
    private final AtomicLong done = new AtomicLong();
    private volatile String label = "";
    private volatile long total;
    private volatile long started;
    private long lastDraw;
    private boolean drawn;

    ConsoleProgress(PrintStream out, LongSupplier nanoTime) {
        this.out = out;
        this.nanoTime = nanoTime;
    }

    /** A bar on stderr when there is a terminal (System.console() != null), else nothing. */
    public static Progress forTerminal() {
        return System.console() != null ? new ConsoleProgress(System.err, System::nanoTime) : Progress.NONE;
    }

    @Override
    public void start(String label, long totalBytes) {
        this.label = label;
        this.total = totalBytes;
        this.started = nanoTime.getAsLong();
        done.set(0);
    }

    @Override
    public void advance(long bytes) {
        long d = done.addAndGet(bytes);
        long now = nanoTime.getAsLong();
        if (now - started < SHOW_AFTER_NANOS) {
            return;
        }
        synchronized (this) {
            if (now - lastDraw < EVERY_NANOS) {
                return;
            }
            lastDraw = now;
            drawn = true;
            out.print("\r" + line(d, now));
            out.flush();
        }
    }

    String line(long d, long now) {
        double frac = total <= 0 ? 1 : Math.min(1.0, (double) d / total);
        int filled = (int) Math.round(frac * WIDTH);
        double secs = Math.max(1e-9, (now - started) / 1e9);
        double rate = d / secs;
        long eta = rate <= 0 ? 0 : Math.round((total - d) / rate);
        return String.format(Locale.ROOT, "%s [%s%s] %3d%%  %s/%s  %.1f GB/s  ETA %ds ",
                label, "#".repeat(filled), "-".repeat(WIDTH - filled), Math.round(frac * 100),
                Sizes.format(d), Sizes.format(total), rate / 1e9, eta);
    }

    @Override
    public synchronized void finish() {
        if (drawn) {
            out.print("\r" + " ".repeat(label.length() + WIDTH + 60) + "\r");
            out.flush();
            drawn = false;
        }
    }
}
