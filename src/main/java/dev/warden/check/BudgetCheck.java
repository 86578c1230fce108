package dev.warden.check;

import java.util.Locale;

/**
 * budget: the projected cost of max_hours at usd_per_hour, from the spec's `budget:`. A value <= 0
 * means not set: a cap of 0 is disabled, never "exceeded". WARN when the projection is above
 * max_usd (the run will be stopped at the cap); FAIL instead with `- budget: {strict: true}`.
 */
final class BudgetCheck implements Check {
    private final boolean strict;

    private BudgetCheck(boolean strict) {
        this.strict = strict;
    }

    static Check create(CheckArgs a) {
        a.noScalar("{strict: true}").allow("strict");
        return new BudgetCheck(a.bool("strict", false));
    }

    @Override
    public CheckResult run(CheckContext ctx) {
        PreflightInput in = ctx.input();
        double hours = in.maxHours();
        double rate = in.usdPerHour();
        double cap = in.maxUsd();
        if (rate <= 0) {
            return CheckResult.pass(cap > 0 ? "max_usd " + usd(cap) + " set, but no usd_per_hour: cost cannot be projected"
                    : "no budget set (usd_per_hour, max_usd)");
        }
        if (hours <= 0) {
            return CheckResult.pass(usd(rate) + "/h, no max_hours: "
                    + (cap > 0 ? "the run stops at " + usd(cap) + " (" + hours(cap / rate) + ")" : "no cap"));
        }
        double projected = hours * rate;
        String evidence = "projected " + usd(projected) + " for " + hours(hours) + " at " + usd(rate) + "/h";
        if (cap <= 0) {
            return CheckResult.pass(evidence + " (no max_usd cap)");
        }
        if (projected > cap) {
            String over = evidence + ", above max_usd " + usd(cap) + ": the run would be stopped after " + hours(cap / rate);
            String fix = "raise budget.max_usd to " + usd(Math.ceil(projected)) + " or lower max_hours to " + hours(cap / rate);
            return strict ? CheckResult.fail(over, fix) : CheckResult.warn(over, fix);
        }
        return CheckResult.pass(evidence + ", within max_usd " + usd(cap));
    }

    static String usd(double v) {
        return String.format(Locale.ROOT, "$%.2f", v);
    }

    static String hours(double h) {
        return h == Math.rint(h) ? (long) h + "h" : String.format(Locale.ROOT, "%.1fh", h);
    }
}
