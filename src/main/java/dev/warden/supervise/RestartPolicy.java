package dev.warden.supervise;

import dev.warden.spec.Durations;
import dev.warden.spec.JobSpec;

import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.random.RandomGenerator;

/**
 * Erlang/OTP restart intensity: at most `maxRestarts` restarts within `window`, then give up loudly. Between
 * attempts an exponential backoff with +-20% jitter, never above `max`, reset after a healthy stretch; none after an
 * attempt that made step progress (it was no crash loop) or before one with changed parameters. Attempts
 * that made no step progress are counted in a row; `maxNoProgress` of them end the run (a job that crashes at
 * step 0 forever wastes money). An attempt that ended before `startSeconds` never started: it made no progress,
 * whatever it printed.
 */
public final class RestartPolicy {
    private final int maxRestarts;
    private final Duration window;
    private final Duration initial;
    private final Duration max;
    private final Duration resetAfter;
    private final int maxNoProgress;
    private final Duration startSeconds;
    private final RandomGenerator random;
    private final Deque<Long> restarts = new ArrayDeque<>();
    private int failuresInRow;
    private int noProgressInRow;

    public RestartPolicy(int maxRestarts, Duration window, Duration initial, Duration max, Duration resetAfter,
                         int maxNoProgress, RandomGenerator random) {
        this(maxRestarts, window, initial, max, resetAfter, maxNoProgress, Duration.ZERO, random);
    }

    public RestartPolicy(int maxRestarts, Duration window, Duration initial, Duration max, Duration resetAfter,
                         int maxNoProgress, Duration startSeconds, RandomGenerator random) {
        this.maxRestarts = maxRestarts;
        this.window = window;
        this.initial = initial;
        this.max = max;
        this.resetAfter = resetAfter;
        this.maxNoProgress = maxNoProgress;
        this.startSeconds = startSeconds;
        this.random = random;
    }

    /** The policy a spec with defaults applied asks for (max_restarts, restart_window, backoff, max_no_progress, start_seconds). */
    public static RestartPolicy of(JobSpec spec, RandomGenerator random) {
        return new RestartPolicy(spec.maxRestarts(), spec.restartWindow(), spec.backoff().initial(), spec.backoff().max(),
                spec.backoff().resetAfter(), spec.maxNoProgress(), spec.startSeconds(), random);
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
        return afterFailure(nowNanos, ranFor, madeProgress, false);
    }

    /**
     * @param newParams the next attempt runs with changed parameters (the diagnosis asked for them): a new
     *                  configuration, not a crash loop of the old one, so it starts without a backoff
     */
    public Decision afterFailure(long nowNanos, Duration ranFor, Boolean madeProgress, boolean newParams) {
        if (ranFor.compareTo(resetAfter) >= 0) {
            failuresInRow = 0;
        }
        if (ranFor.compareTo(startSeconds) < 0) {
            madeProgress = false;
        }
        // the backoff is for failures in a row that got nowhere: after an attempt that trained before it failed,
        // the next one starts at once and the count starts again
        boolean trained = Boolean.TRUE.equals(madeProgress);
        failuresInRow = trained ? 0 : failuresInRow + 1;
        boolean immediate = trained || newParams;
        if (madeProgress != null) {
            noProgressInRow = madeProgress ? 0 : noProgressInRow + 1;
            if (noProgressInRow >= maxNoProgress) {
                return new GiveUp(noProgressInRow + " attempt" + (noProgressInRow > 1 ? "s" : "") + " in a row made no step progress"
                        + " (max_no_progress: " + maxNoProgress + ")");
            }
        }
        if (maxRestarts == 0) {
            return new GiveUp("restarts are off (max_restarts: 0)");
        }
        while (!restarts.isEmpty() && nowNanos - restarts.peekFirst() > window.toNanos()) {
            restarts.removeFirst();
        }
        if (restarts.size() >= maxRestarts) {
            return new GiveUp("restart limit reached: " + restarts.size() + " restarts within "
                    + Durations.format(window) + " (max_restarts: " + maxRestarts + ")");
        }
        restarts.addLast(nowNanos);
        return new Restart(immediate ? Duration.ZERO : delay(), restarts.size(), maxRestarts - restarts.size());
    }

    private Duration delay() {
        if (initial.isZero()) {
            return Duration.ZERO;
        }
        double base = initial.toMillis() * Math.pow(2, Math.min(30, failuresInRow - 1));
        double cap = max.toMillis();
        // +-20% so that restarts of many jobs spread out; at the cap only downwards: max is a promise to the user
        double jittered = base >= cap ? cap * (0.8 + 0.2 * random.nextDouble()) : base * (0.8 + 0.4 * random.nextDouble());
        return Duration.ofMillis(Math.round(Math.min(jittered, cap)));
    }
}
