package dev.warden.checkpoint;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Hashes many files at once, one file per worker, biggest first so the last file to finish is a small one.
 * A single file is not split: neither SHA-256 nor XXH3 (as sha256sum and xxhsum compute them) can be
 * computed from chunks in parallel, so parallelism is across files.
 */
final class ParallelHasher {
    private ParallelHasher() {}

    static int defaultThreads() {
        return Math.max(1, Runtime.getRuntime().availableProcessors());
    }

    /** The digest of one file, or why it could not be read. */
    record Outcome(FileDigester.FileDigest digest, IOException error) {}

    /** Digest per entry name; the first unreadable file is an {@link IOException} naming it. */
    static Map<String, FileDigester.FileDigest> hash(List<CheckpointFiles.Entry> files, FileDigester digester,
                                                     int threads, Progress progress) throws IOException {
        Map<String, FileDigester.FileDigest> out = new HashMap<>();
        for (var e : hashEach(files, digester, threads, progress).entrySet()) {
            if (e.getValue().error() != null) {
                throw e.getValue().error();
            }
            out.put(e.getKey(), e.getValue().digest());
        }
        return out;
    }

    /** Every file is attempted; an unreadable one does not stop the others. */
    static Map<String, Outcome> hashEach(List<CheckpointFiles.Entry> files, FileDigester digester,
                                         int threads, Progress progress) {
        Map<String, Outcome> out = new HashMap<>();
        if (files.isEmpty()) {
            return out;
        }
        List<CheckpointFiles.Entry> order = new ArrayList<>(files);
        order.sort(Comparator.comparingLong(CheckpointFiles.Entry::size).reversed());
        int n = Math.max(1, Math.min(threads, order.size()));
        if (n == 1) {
            for (CheckpointFiles.Entry e : order) {
                out.put(e.name(), outcome(digester, e, progress));
            }
            return out;
        }
        AtomicInteger ids = new AtomicInteger();
        ExecutorService pool = Executors.newFixedThreadPool(n, r -> {
            Thread t = new Thread(r, "warden-hash-" + ids.incrementAndGet());
            t.setDaemon(true);
            return t;
        });
        try {
            List<Future<Outcome>> futures = new ArrayList<>();
            for (CheckpointFiles.Entry e : order) {
                futures.add(pool.submit(() -> outcome(digester, e, progress)));
            }
            for (int i = 0; i < order.size(); i++) {
                out.put(order.get(i).name(), futures.get(i).get());
            }
            return out;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while hashing", e);
        } catch (ExecutionException e) {
            if (e.getCause() instanceof RuntimeException re) {
                throw re;
            }
            throw new IllegalStateException(e.getCause());
        } finally {
            pool.shutdownNow();
        }
    }

    private static Outcome outcome(FileDigester digester, CheckpointFiles.Entry e, Progress progress) {
        try {
            return new Outcome(digestOne(digester, e, progress), null);
        } catch (IOException ex) {
            return new Outcome(null, ex);
        } catch (UncheckedIOException ex) {
            return new Outcome(null, ex.getCause());
        }
    }

    private static FileDigester.FileDigest digestOne(FileDigester digester, CheckpointFiles.Entry e, Progress progress)
            throws IOException {
        try {
            return digester.digest(e.path(), progress::advance);
        } catch (IOException ex) {
            throw new IOException("cannot read " + Names.printable(e.name()) + ": " + ex.getClass().getSimpleName()
                    + (ex.getMessage() == null ? "" : " " + ex.getMessage()), ex);
        }
    }
}
