package dev.warden.supervise;

import java.time.Duration;
import java.util.List;

/**
 * Hang = no progress for the stall timeout, where progress is new output, a touch of the heartbeat file, a step
 * change, or growth of the checkpoint directory. With no `stall_after` configured the timeout is learned: after
 * a few step changes it is max(60 s, 3 x the 99th percentile step time seen so far); before that,
 * `startup_stall` applies (15 minutes when unset). A `startup_stall` written in the spec also applies before the
 * first step when `stall_after` is set: a job may be silent for minutes while CUDA, torch and the model load.
 *
 * The step times go into a histogram of 1%-wide buckets as they arrive (each interval is read once), so the
 * percentile costs the same at step 10 and at step 10 million, and its memory does not grow with the run.
 */
public final class StallDetector {
    static final int MIN_SAMPLES = 5;
    static final Duration LEARNED_FLOOR = Duration.ofSeconds(60);

    private final Duration configured;
    private final Duration startup;
    private final StepTimes steps = new StepTimes();

    /**
     * @param configured null = learn it; zero = never call a hang
     * @param startup    the spec's startup_stall, or null when it sets none
     */
    public StallDetector(Duration configured, Duration startup) {
        this.configured = configured;
        this.startup = startup;
    }

    /**
     * The timeout in force now, or null when hang detection is off.
     *
     * @param stepIntervalsNanos every interval between step changes so far, oldest first (a list that only grows)
     * @param stepSeen           whether the attempt has shown a step yet (before that, a spec's startup_stall applies)
     */
    public Duration timeout(List<Long> stepIntervalsNanos, boolean stepSeen) {
        if (configured != null) {
            if (configured.isZero()) {
                return null;
            }
            return startupApplies(stepSeen) ? startup : configured;
        }
        steps.catchUp(stepIntervalsNanos);
        if (steps.count() < MIN_SAMPLES) {
            return startup != null ? startup : dev.warden.spec.SpecDefaults.STARTUP_STALL;
        }
        long p99 = steps.p99();
        Duration learned = Duration.ofNanos(p99 > Long.MAX_VALUE / 3 ? Long.MAX_VALUE : 3 * p99);
        return learned.compareTo(LEARNED_FLOOR) > 0 ? learned : LEARNED_FLOOR;
    }

    /** A spec's startup_stall, longer than its stall_after, is in force: no step yet. */
    public boolean startupApplies(boolean stepSeen) {
        return configured != null && !configured.isZero() && startup != null && !stepSeen && startup.compareTo(configured) > 0;
    }

    public boolean learned() {
        return configured == null;
    }

    /** How long it has been quiet, if that exceeds the timeout; null otherwise. */
    public Duration stalledFor(long lastActivityNanos, long nowNanos, List<Long> intervals, boolean stepSeen) {
        Duration t = timeout(intervals, stepSeen);
        if (t == null) {
            return null;
        }
        long quiet = nowNanos - lastActivityNanos;
        return quiet >= t.toNanos() ? Duration.ofNanos(quiet) : null;
    }

    /** Nearest-rank 99th percentile over every sample, to within 1%, never above the largest sample. */
    static final class StepTimes {
        private static final double GROWTH = 1.01;
        private static final double LOG_GROWTH = Math.log(GROWTH);
        private static final long FIRST_BUCKET_NANOS = 1_000; // everything up to 1 us shares bucket 0
        private static final int BUCKETS = 3_200;             // 1 us * 1.01^3200 is far beyond any step time
        private final int[] histogram = new int[BUCKETS];
        private int consumed;
        private long count;
        private long max;
        private long cachedAt = -1;
        private long cached;

        void catchUp(List<Long> intervals) {
            if (intervals.size() < consumed) { // a different list: start over
                java.util.Arrays.fill(histogram, 0);
                consumed = 0;
                count = 0;
                max = 0;
                cachedAt = -1;
            }
            for (int i = consumed; i < intervals.size(); i++) {
                add(intervals.get(i));
            }
            consumed = intervals.size();
        }

        void add(long nanos) {
            histogram[bucket(nanos)]++;
            count++;
            max = Math.max(max, nanos);
        }

        long count() {
            return count;
        }

        long p99() {
            if (cachedAt == count) {
                return cached;
            }
            long rank = (long) Math.ceil(count * 0.99);
            long seen = 0;
            int i = 0;
            while (i < BUCKETS - 1 && (seen += histogram[i]) < rank) {
                i++;
            }
            cached = Math.min(upperBound(i), max);
            cachedAt = count;
            return cached;
        }

        static int bucket(long nanos) {
            if (nanos <= FIRST_BUCKET_NANOS) {
                return 0;
            }
            int b = (int) Math.ceil(Math.log((double) nanos / FIRST_BUCKET_NANOS) / LOG_GROWTH);
            return Math.min(b, BUCKETS - 1);
        }

        static long upperBound(int bucket) {
            double v = FIRST_BUCKET_NANOS * Math.pow(GROWTH, bucket);
            return v >= Long.MAX_VALUE ? Long.MAX_VALUE : (long) Math.ceil(v);
        }
    }
}
