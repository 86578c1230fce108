package dev.warden.supervise;

import dev.warden.checkpoint.Checkpoint;
import dev.warden.checkpoint.CheckpointSettings;
import dev.warden.checkpoint.UnsealedPolicy;
import dev.warden.checkpoint.CheckpointWatcher;
import dev.warden.checkpoint.Checkpoints;
import dev.warden.checkpoint.FingerprintCache;
import dev.warden.checkpoint.FingerprintPolicy;
import dev.warden.checkpoint.Fingerprints;
import dev.warden.checkpoint.Quarantined;
import dev.warden.checkpoint.ResumeDecision;
import dev.warden.spec.CheckpointSpec;
import dev.warden.store.WardenHome;

import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.function.Consumer;

/**
 * A run's checkpoints: the fingerprint policy before the first attempt, the newest checkpoint whose seal verifies
 * before each attempt (a corrupt one is quarantined, never loaded), and a watcher that seals each new checkpoint
 * once it is complete and tells the hang monitor that a growing checkpoint is a live job.
 */
final class CheckpointRuntime implements AutoCloseable {
    private final CheckpointSpec spec;
    private final Path root;
    private final Path specDir;
    private final FingerprintCache cache;
    private Fingerprints fingerprints;
    private CheckpointWatcher watcher;
    private CheckpointWatcher.Activity lastActivity;

    CheckpointRuntime(CheckpointSpec spec, Path specDir, WardenHome home) {
        this.spec = spec;
        this.specDir = specDir;
        this.cache = FingerprintCache.in(home);
        this.root = Checkpoints.root(spec, specDir);
    }

    Path root() {
        return root;
    }

    String resumeArg() {
        return spec.resumeArg();
    }

    /** Dataset and config fingerprints against the newest seal; the policy may archive old checkpoints or refuse. */
    ResumeDecision decide() {
        ResumeDecision d = FingerprintPolicy.apply(root, spec, specDir, cache, Clock.systemUTC());
        fingerprints = d.current();
        return d;
    }

    /** One watcher per attempt: it seals what this attempt writes. */
    void startAttempt() {
        close();
        watcher = new CheckpointWatcher(root, spec, fingerprints);
        lastActivity = watcher.activity();
    }

    /**
     * Called between attempts, when every process of the job is gone: nothing can be writing, so a checkpoint
     * changed moments ago is judged now (settle time zero) instead of being skipped as "in progress".
     */
    Optional<Checkpoint> resumePoint(Consumer<Quarantined> onQuarantine) {
        CheckpointSettings settings = CheckpointSettings.from(spec, root).withSettle(Duration.ZERO);
        return Checkpoints.latestValid(root, settings, settings.autoSeal() ? UnsealedPolicy.SEAL : UnsealedPolicy.TRUST,
                true, Clock.systemUTC(), onQuarantine);
    }

    /**
     * Moves aside (renames, never deletes) every checkpoint at or after `fromStep`: after a NaN loss at that step,
     * they hold NaN weights, and resuming from one would only bring the NaN back.
     */
    List<Path> setAsideFrom(long fromStep, String why) {
        List<Path> moved = new java.util.ArrayList<>();
        String stamp = java.time.format.DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss").format(java.time.LocalDateTime.now());
        for (Checkpoint c : Checkpoints.scan(root, spec)) {
            if (c.step() >= fromStep) {
                Path to = c.path().resolveSibling(c.path().getFileName() + "." + why + "-" + stamp);
                try {
                    java.nio.file.Files.move(c.path(), to, java.nio.file.StandardCopyOption.ATOMIC_MOVE);
                    moved.add(to);
                } catch (java.io.IOException | RuntimeException e) {
                    // left in place: latestValid still verifies it; the event says which could not be moved
                }
            }
        }
        return moved;
    }

    /** New checkpoints completed or sealed since the last call; never blocks the supervisor for long. */
    List<CheckpointWatcher.Event> poll() {
        return watcher == null ? List.of() : watcher.poll();
    }

    /** True when the checkpoint directory changed since the last call: a save in progress is progress. */
    boolean growing() {
        if (watcher == null) {
            return false;
        }
        CheckpointWatcher.Activity now = watcher.activity();
        boolean changed = !now.equals(lastActivity);
        lastActivity = now;
        return changed;
    }

    /** A number that changes whenever a file in the checkpoint directory does. */
    long activitySignature() {
        return watcher == null ? 0 : watcher.activity().hashCode();
    }

    List<CheckpointWatcher.Event> finishAttempt(boolean clean) {
        if (watcher == null) {
            return List.of();
        }
        List<CheckpointWatcher.Event> events = watcher.finish(clean, Duration.ofMinutes(5));
        watcher = null;
        return events;
    }

    @Override
    public void close() {
        if (watcher != null) {
            watcher.close();
            watcher = null;
        }
    }
}
