package dev.warden.supervise;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/**
 * Hang = no progress for the stall timeout, where progress is new output, a touch of the heartbeat file, a step
 * change, or growth of the checkpoint directory. With no `stall_after` configured the timeout is learned: after
 * a few step changes it is max(60 s, 3 x the 99th percentile step time seen so far); before that,
 * `startup_stall` applies.
 */
public final class StallDetector {
    static final int MIN_SAMPLES = 5;
    static final Duration LEARNED_FLOOR = Duration.ofSeconds(60);

    private final Duration configured;
    private final Duration startup;

    /** @param configured null = learn it; zero = never call a hang */
    public StallDetector(Duration configured, Duration startup) {
        this.configured = configured;
        this.startup = startup;
    }

    /** The timeout in force now, or null when hang detection is off. */
    public Duration timeout(List<Long> stepIntervalsNanos) {
        if (configured != null) {
            return configured.isZero() ? null : configured;
        }
        if (stepIntervalsNanos.size() < MIN_SAMPLES) {
            return startup;
        }
        List<Long> sorted = new ArrayList<>(stepIntervalsNanos);
        Collections.sort(sorted);
        long p99 = sorted.get(Math.min(sorted.size() - 1, (int) Math.ceil(sorted.size() * 0.99) - 1));
        Duration learned = Duration.ofNanos(3 * p99);
        return learned.compareTo(LEARNED_FLOOR) > 0 ? learned : LEARNED_FLOOR;
    }

    public boolean learned() {
        return configured == null;
    }

    /** How long it has been quiet, if that exceeds the timeout; null otherwise. */
    public Duration stalledFor(long lastActivityNanos, long nowNanos, List<Long> intervals) {
        Duration t = timeout(intervals);
        if (t == null) {
            return null;
        }
        long quiet = nowNanos - lastActivityNanos;
        return quiet >= t.toNanos() ? Duration.ofNanos(quiet) : null;
    }
}
