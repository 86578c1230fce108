package dev.warden.check;

import java.time.Duration;

/**
 * The answer of one check: PASS, WARN or FAIL with one line of evidence and one line of fix, or
 * SKIP when the user overrode it (--skip-check), which the caller records as an event. Checks build
 * results with {@link #pass}, {@link #warn}, {@link #fail}; the runner stamps the check's id and how
 * long it took.
 */
public sealed interface CheckResult {

    enum Status { PASS, WARN, FAIL, SKIP }

    String check();

    Status status();

    String evidence();

    /** What to do; "" for PASS and SKIP. */
    String fix();

    Duration duration();

    CheckResult stamped(String check, Duration duration);

    static Pass pass(String evidence) {
        return new Pass("", evidence, Duration.ZERO);
    }

    static Warn warn(String evidence, String fix) {
        return new Warn("", evidence, fix, Duration.ZERO);
    }

    static Fail fail(String evidence, String fix) {
        return new Fail("", evidence, fix, Duration.ZERO);
    }

    record Pass(String check, String evidence, Duration duration) implements CheckResult {
        public Pass {
            evidence = oneLine(evidence);
        }

        public Status status() { return Status.PASS; }

        public String fix() { return ""; }

        public Pass stamped(String id, Duration d) { return new Pass(id, evidence, d); }
    }

    record Warn(String check, String evidence, String fix, Duration duration) implements CheckResult {
        public Warn {
            evidence = oneLine(evidence);
            fix = oneLine(fix);
        }

        public Status status() { return Status.WARN; }

        public Warn stamped(String id, Duration d) { return new Warn(id, evidence, fix, d); }
    }

    record Fail(String check, String evidence, String fix, Duration duration) implements CheckResult {
        public Fail {
            evidence = oneLine(evidence);
            fix = oneLine(fix);
        }

        public Status status() { return Status.FAIL; }

        public Fail stamped(String id, Duration d) { return new Fail(id, evidence, fix, d); }
    }

    record Skipped(String check, String evidence, Duration duration) implements CheckResult {
        public Skipped {
            evidence = oneLine(evidence);
        }

        public Status status() { return Status.SKIP; }

        public String fix() { return ""; }

        public Skipped stamped(String id, Duration d) { return new Skipped(id, evidence, d); }
    }

    /** Evidence and fixes are one line each: newlines become " | ", and very long text is cut. */
    static String oneLine(String s) {
        if (s == null) {
            return "";
        }
        String t = s.strip().replaceAll("\\s*\\R\\s*", " | ");
        return t.length() <= 400 ? t : t.substring(0, 397) + "...";
    }
}
