package dev.warden.checkpoint;

import dev.warden.UserError;
import dev.warden.spec.CheckpointSpec;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.attribute.BasicFileAttributes;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;

/**
 * Watches a checkpoint directory during a run. The supervisor calls {@link #poll()} about once a second: it
 * never blocks on hashing. A checkpoint that appears (or changes) after the watcher started is reported once
 * it is complete and, with seal: auto, sealed in the background with the run's fingerprints; the result comes
 * back from a later poll. Checkpoints present at start are left alone unless they change.
 * {@link #activity()} is a cheap stamp (bytes and newest mtime of everything under the root) so a hang
 * monitor can treat a checkpoint being written as progress.
 */
public final class CheckpointWatcher implements AutoCloseable {

    /** Everything under the root: total bytes, newest mtime, file count. A change means "something is being written". */
    public record Activity(long totalBytes, long newestMtimeMillis, int files) {}

    public sealed interface Event {
        Checkpoint checkpoint();

        /** Complete (and not sealed by the watcher: seal: off). */
        record Completed(Checkpoint checkpoint) implements Event {}

        record Sealed(Checkpoint checkpoint, SealRecord seal) implements Event {}

        record SealFailed(Checkpoint checkpoint, String message) implements Event {}
    }

    private enum State { PENDING, SEALING, DONE }

    private record Tracked(State state, Activity stamp) {}

    private final Path root;
    private final CheckpointSettings settings;
    private final Fingerprints fingerprints;
    private final Clock clock;
    private final int sealThreads;
    private final Map<Path, Tracked> tracked = new HashMap<>();
    private final ConcurrentLinkedQueue<Event> finished = new ConcurrentLinkedQueue<>();
    private final ExecutorService sealer;

    public CheckpointWatcher(Path root, CheckpointSpec spec, Fingerprints fingerprints) {
        this(root, CheckpointSettings.from(spec, root), fingerprints, Clock.systemUTC(),
                Math.max(1, ParallelHasher.defaultThreads() / 2));
    }

    /** @param sealThreads hashing workers while the trainer runs (leave it cores for its data loaders) */
    public CheckpointWatcher(Path root, CheckpointSettings settings, Fingerprints fingerprints, Clock clock, int sealThreads) {
        this.root = root;
        this.settings = settings;
        this.fingerprints = fingerprints == null ? Fingerprints.NONE : fingerprints;
        this.clock = clock;
        this.sealThreads = sealThreads;
        this.sealer = Executors.newSingleThreadExecutor(r -> {
            Thread t = new Thread(r, "warden-ckpt-sealer");
            t.setDaemon(true);
            return t;
        });
        for (Checkpoint c : Checkpoints.scan(root, settings, clock)) {
            tracked.put(c.path(), new Tracked(State.DONE, stamp(c.path())));
        }
    }

    /** New events since the last poll: checkpoints that became complete, seals finished or failed. */
    public synchronized List<Event> poll() {
        return poll(settings.settle());
    }

    private List<Event> poll(Duration settle) {
        List<Event> events = new ArrayList<>();
        drain(events);
        CheckpointSettings s = settings.withSettle(settle);
        List<Checkpoint> found;
        try {
            found = Checkpoints.scan(root, s, clock, false, this::needsLook);
        } catch (UncheckedIOException e) {
            return events; // root briefly unreadable (being created or moved): try again next poll
        }
        for (Checkpoint c : found) {
            Tracked t = tracked.get(c.path());
            if (!c.complete()) {
                tracked.put(c.path(), new Tracked(State.PENDING, markWhileWriting(c, t)));
                continue;
            }
            if (!settings.autoSeal()) {
                tracked.put(c.path(), new Tracked(State.DONE, stamp(c.path())));
                unmark(c);
                events.add(new Event.Completed(c));
                continue;
            }
            tracked.put(c.path(), new Tracked(State.SEALING, null));
            try {
                sealer.submit(() -> seal(c));
            } catch (RejectedExecutionException e) {
                tracked.put(c.path(), new Tracked(State.PENDING, null)); // finished or closed: no more sealing
            }
        }
        return events;
    }

    /**
     * Keeps the in-progress marker of a checkpoint being written fresh (layouts without a marker of their own),
     * so a run that dies mid-save leaves it behind. Touched only when the checkpoint changed since last poll.
     */
    private Activity markWhileWriting(Checkpoint c, Tracked previous) {
        Activity now = stamp(c.path());
        if (!settings.layout().watcherMarks()) {
            return now;
        }
        Path marker = SealPaths.of(c.path()).unfinished();
        if (previous == null || !now.equals(previous.stamp()) || !Files.exists(marker)) {
            try {
                dev.warden.store.AtomicFiles.writeString(marker, "Warden saw this checkpoint being written at "
                        + clock.instant() + "; it is not whole until Warden seals it.\n");
                Files.setLastModifiedTime(marker, java.nio.file.attribute.FileTime.from(clock.instant()));
            } catch (UncheckedIOException | IOException e) {
                // cannot mark (read-only, disk full): the settle time still applies
            }
        }
        return now;
    }

    private static void unmark(Checkpoint c) {
        try {
            Files.deleteIfExists(SealPaths.of(c.path()).unfinished());
        } catch (IOException e) {
            // stale markers are ignored once data is newer
        }
    }

    /**
     * Only checkpoints that are new, still pending, or changed since they were handled are judged again: judging
     * reads file headers, and poll runs every second. A handled one that changed was rewritten (a resumed run
     * saving the same step again) and is watched again.
     */
    private boolean needsLook(Path p) {
        Tracked t = tracked.get(p);
        if (t == null || t.state() == State.PENDING) {
            return true;
        }
        return t.state() == State.DONE && !stamp(p).equals(t.stamp());
    }

    private void seal(Checkpoint c) {
        Event e;
        try {
            SealRecord r = Sealer.seal(c.path(), settings.algorithm(), fingerprints,
                    Sealer.Options.defaults().withStep(c.step()).withThreads(sealThreads));
            e = new Event.Sealed(c.asSealed(), r);
        } catch (UserError ex) {
            if (ex.exitCode() == 75) { // still being written after all: look again at later polls
                synchronized (this) {
                    tracked.put(c.path(), new Tracked(State.PENDING, null));
                }
                return;
            }
            e = new Event.SealFailed(c, ex.getMessage());
        } catch (RuntimeException ex) {
            e = new Event.SealFailed(c, ex.getMessage() == null ? ex.toString() : ex.getMessage());
        }
        synchronized (this) {
            tracked.put(c.path(), new Tracked(State.DONE, stamp(c.path())));
        }
        finished.add(e);
    }

    private void drain(List<Event> into) {
        Event e;
        while ((e = finished.poll()) != null) {
            into.add(e);
        }
    }

    /**
     * At the end of a run: seals what the run wrote and waits for the seals, up to timeout. After a clean exit
     * nothing writes any more, so checkpoints without a marker need not wait out the settle time; after a
     * crash only marker-complete ones are sealed (a cut-off save must not be sealed as whole).
     */
    public List<Event> finish(boolean trainerExitedCleanly, Duration timeout) {
        List<Event> events;
        synchronized (this) {
            // after a clean exit nothing writes any more: what is complete now is whole (a 4-second run must not end
            // with its last checkpoints unsealed because they are younger than the marker grace)
            events = new ArrayList<>(poll(trainerExitedCleanly ? Duration.ZERO : settings.settle()));
        }
        sealer.shutdown();
        try {
            sealer.awaitTermination(timeout.toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        drain(events);
        return events;
    }

    /** Cheap: one stat per file under the root. */
    public Activity activity() {
        return stamp(root);
    }

    static Activity stamp(Path dir) {
        long[] acc = new long[3];
        try {
            Files.walkFileTree(dir, new SimpleFileVisitor<>() {
                @Override
                public FileVisitResult visitFile(Path file, BasicFileAttributes a) {
                    if (SealPaths.isOwnFile(file.getFileName().toString())) {
                        return FileVisitResult.CONTINUE;
                    }
                    acc[0] += a.size();
                    acc[1] = Math.max(acc[1], a.lastModifiedTime().toMillis());
                    acc[2]++;
                    return FileVisitResult.CONTINUE;
                }

                @Override
                public FileVisitResult visitFileFailed(Path file, IOException e) {
                    return FileVisitResult.CONTINUE; // deleted while walking (checkpoint rotation)
                }
            });
        } catch (IOException e) {
            // root missing or unreadable: zero activity
        }
        return new Activity(acc[0], acc[1], (int) acc[2]);
    }

    @Override
    public void close() {
        sealer.shutdownNow();
    }
}
