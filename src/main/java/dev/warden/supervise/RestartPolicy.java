package dev.warden.supervise;

import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.random.RandomGenerator;

/**
 * Erlang/OTP restart intensity: at most `maxRestarts` restarts within `window`, then give up loudly. Between
 * attempts an exponential backoff with jitter, reset after a healthy stretch. Attempts that made no step progress
 * are counted in a row; `maxNoProgress` of them end the run (a job that crashes at step 0 forever wastes money).
 */
public final class RestartPolicy {
    private final int maxRestarts;
    private final Duration window;
    private final Duration initial;
    private final Duration max;
    private final Duration resetAfter;
    private final int maxNoProgress;
    private final RandomGenerator random;
    private final Deque<Long> restarts = new ArrayDeque<>();
    private int failuresInRow;
    private int noProgressInRow;

    public RestartPolicy(int maxRestarts, Duration window, Duration initial, Duration max, Duration resetAfter,
                         int maxNoProgress, RandomGenerator random) {
        this.maxRestarts = maxRestarts;
        this.window = window;
        this.initial = initial;
        this.max = max;
        this.resetAfter = resetAfter;
        this.maxNoProgress = maxNoProgress;
        this.random = random;
    }

    public sealed interface Decision permits Restart, GiveUp {}

    /** @param restartsLeft restarts still allowed in the current window after this one */
    public record Restart(Duration delay, int restartNumber, int restartsLeft) implements Decision {}

    public record GiveUp(String reason) implements Decision {}

    /**
     * @param nowNanos     when the attempt ended
     * @param ranFor       how long the attempt ran
     * @param madeProgress whether its step advanced (null when the job shows no steps at all)
     */
    public Decision afterFailure(long nowNanos, Duration ranFor, Boolean madeProgress) {
        if (ranFor.compareTo(resetAfter) >= 0) {
            failuresInRow = 0;
        }
        failuresInRow++;
        if (madeProgress != null) {
            noProgressInRow = madeProgress ? 0 : noProgressInRow + 1;
            if (noProgressInRow >= maxNoProgress) {
                return new GiveUp(noProgressInRow + " attempts in a row made no step progress (max_no_progress: " + maxNoProgress + ")");
            }
        }
        while (!restarts.isEmpty() && nowNanos - restarts.peekFirst() > window.toNanos()) {
            restarts.removeFirst();
        }
        if (restarts.size() >= maxRestarts) {
            return new GiveUp("restart limit reached: " + restarts.size() + " restarts within "
                    + dev.warden.spec.Durations.format(window) + " (max_restarts: " + maxRestarts + ")");
        }
        restarts.addLast(nowNanos);
        return new Restart(delay(), restarts.size(), maxRestarts - restarts.size());
    }

    private Duration delay() {
        if (initial.isZero()) {
            return Duration.ZERO;
        }
        double base = initial.toMillis() * Math.pow(2, Math.min(30, failuresInRow - 1));
        double capped = Math.min(base, max.toMillis());
        double jittered = capped * (0.8 + 0.4 * random.nextDouble()); // +-20%: restarts of many jobs spread out
        return Duration.ofMillis(Math.round(jittered));
    }
}
