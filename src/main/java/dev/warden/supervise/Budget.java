package dev.warden.supervise;

import dev.warden.spec.JobSpec;

import java.time.Duration;
import java.util.Locale;
import java.util.Optional;

/**
 * Wall-time and money limits of a whole run. A limit <= 0 is disabled, never "exceeded". Tells, for an elapsed
 * time, which one thing is due now: nothing, the 80% warning, the early signal (so the trainer can save), or the
 * limit itself. The warning and the signal are each reported once; the limit, every time it is asked.
 */
public final class Budget {
    private final Duration maxWall;
    private final double usdPerHour;
    private final double maxUsd;
    private final double warnAt;
    private final Duration signalBefore;
    private boolean warned;
    private boolean signalled;

    public Budget(JobSpec.Budget b) {
        this.maxWall = b.maxWall() == null || b.maxWall().isNegative() ? Duration.ZERO : b.maxWall();
        this.usdPerHour = b.usdPerHour() == null ? 0 : b.usdPerHour();
        this.maxUsd = b.maxUsd() == null ? 0 : b.maxUsd();
        this.warnAt = b.warnAt() == null ? 0.8 : b.warnAt();
        this.signalBefore = b.signalBefore() == null || b.signalBefore().isNegative() ? Duration.ZERO : b.signalBefore();
    }

    public sealed interface Due permits Nothing, Warning, Signal, Exceeded {}

    public record Nothing() implements Due {}

    public record Warning(String what) implements Due {}

    public record Signal(Duration before) implements Due {}

    /** @param money true when the cost limit (not the wall limit) was reached */
    public record Exceeded(String what, boolean money) implements Due {}

    /** Time after which the run's limits end it: the smaller of the wall limit and the money limit. */
    public Optional<Duration> limit() {
        Duration wall = wallLimit();
        Duration money = moneyLimit();
        if (wall == null) {
            return Optional.ofNullable(money);
        }
        return Optional.of(money == null || wall.compareTo(money) <= 0 ? wall : money);
    }

    /** True when the money limit ends the run before the wall limit (or there is no wall limit). */
    boolean moneyBinds() {
        Duration wall = wallLimit();
        Duration money = moneyLimit();
        return money != null && (wall == null || money.compareTo(wall) < 0);
    }

    private Duration wallLimit() {
        return maxWall.isZero() ? null : maxWall;
    }

    /** max_usd / usd_per_hour, as a time; null when either is off. */
    private Duration moneyLimit() {
        if (maxUsd <= 0 || usdPerHour <= 0) {
            return null;
        }
        double millis = maxUsd / usdPerHour * 3_600_000;
        return millis >= Long.MAX_VALUE ? Duration.ofMillis(Long.MAX_VALUE) : Duration.ofMillis((long) millis);
    }

    public Due check(Duration elapsed) {
        Optional<Duration> limit = limit();
        if (limit.isEmpty()) {
            return new Nothing();
        }
        Duration l = limit.get();
        if (elapsed.compareTo(l) >= 0) {
            return new Exceeded(describe(elapsed), moneyBinds());
        }
        if (!signalled && !signalBefore.isZero() && elapsed.compareTo(l.minus(signalBefore)) >= 0) {
            signalled = true;
            return new Signal(signalBefore);
        }
        if (!warned && elapsed.toMillis() >= l.toMillis() * warnAt) {
            warned = true;
            return new Warning(describe(elapsed));
        }
        return new Nothing();
    }

    public double cost(Duration elapsed) {
        return usdPerHour * elapsed.toMillis() / 3_600_000.0;
    }

    public String describe(Duration elapsed) {
        StringBuilder b = new StringBuilder();
        if (!maxWall.isZero()) {
            b.append(dev.warden.spec.Durations.human(elapsed)).append(" of ").append(dev.warden.spec.Durations.format(maxWall));
        }
        if (maxUsd > 0 && usdPerHour > 0) {
            if (b.length() > 0) {
                b.append(", ");
            }
            b.append(String.format(Locale.ROOT, "$%.2f of $%.2f", cost(elapsed), maxUsd));
        }
        return b.toString();
    }
}
