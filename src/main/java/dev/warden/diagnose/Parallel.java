package dev.warden.diagnose;

import java.util.ArrayList;
import java.util.List;
import java.util.function.IntFunction;

/**
 * Splits big byte ranges over a few threads: scanning a whole multi-GiB log, or counting the lines
 * before a tail, is memory-bound work that scales with cores. Small ranges stay on the caller's thread.
 */
final class Parallel {
    static final long MIN_PART = 64L << 20;
    static final int THREADS = Math.max(1, Math.min(4, Runtime.getRuntime().availableProcessors()));

    private Parallel() {}

    /** Part boundaries [from, b1, ..., to], each inner boundary moved to a line start when one is near. */
    static List<Long> split(Bytes src, long from, long to) {
        return split(src, from, to, MIN_PART, THREADS);
    }

    static List<Long> split(Bytes src, long from, long to, long minPart, int threads) {
        int parts = (int) Math.max(1, Math.min(threads, (to - from) / minPart));
        List<Long> bounds = new ArrayList<>();
        bounds.add(from);
        for (int i = 1; i < parts; i++) {
            long b = from + (to - from) * i / parts;
            byte[] probe = src.slice(b, 64 * 1024);
            for (int k = 0; k < probe.length; k++) {
                if (probe[k] == '\n') {
                    b += k + 1;
                    break;
                }
            }
            if (b > bounds.get(bounds.size() - 1) && b < to) {
                bounds.add(b);
            }
        }
        bounds.add(to);
        return bounds;
    }

    static long countNewlines(Bytes src, long from, long to) {
        List<Long> bounds = split(src, from, to);
        if (bounds.size() <= 2) {
            return src.countNewlines(from, to);
        }
        long sum = 0;
        for (long n : map(bounds.size() - 1, i -> src.countNewlines(bounds.get(i), bounds.get(i + 1)))) {
            sum += n;
        }
        return sum;
    }

    /** Runs task(0..n-1) on n threads (the caller runs the last) and returns the results in order. */
    static <T> List<T> map(int n, IntFunction<T> task) {
        List<T> results = new ArrayList<>();
        Object[] out = new Object[n];
        RuntimeException[] failure = new RuntimeException[1];
        List<Thread> threads = new ArrayList<>();
        for (int i = 0; i < n - 1; i++) {
            int k = i;
            Thread t = new Thread(() -> {
                try {
                    out[k] = task.apply(k);
                } catch (RuntimeException e) {
                    synchronized (failure) {
                        failure[0] = e;
                    }
                }
            }, "warden-scan-" + i);
            t.setDaemon(true);
            t.start();
            threads.add(t);
        }
        out[n - 1] = task.apply(n - 1);
        for (Thread t : threads) {
            try {
                t.join();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted while scanning the log", e);
            }
        }
        synchronized (failure) {
            if (failure[0] != null) {
                throw failure[0];
            }
        }
        for (Object o : out) {
            @SuppressWarnings("unchecked")
            T t = (T) o;
            results.add(t);
        }
        return results;
    }
}
