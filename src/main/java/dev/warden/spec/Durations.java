package dev.warden.spec;

import java.time.Duration;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** "90s", "10m", "2h", "1h30m", "500ms", "1d"; a bare number is seconds. */
public final class Durations {
    private static final Pattern PART = Pattern.compile("(\\d+(?:\\.\\d+)?)(ms|s|m|h|d)");
    /** Longer than this is a typo; it also keeps Duration.toNanos() (which overflows after 292 years) safe. */
    static final Duration LONGEST = Duration.ofDays(3650);
    private static final Pattern WHOLE = Pattern.compile("(?:\\d+(?:\\.\\d+)?(?:ms|s|m|h|d))+");

    private Durations() {}

    /** @throws IllegalArgumentException with a message that shows the accepted forms */
    public static Duration parse(String text) {
        String s = text.trim().toLowerCase(Locale.ROOT).replace(" ", "");
        if (s.startsWith("-")) {
            throw new IllegalArgumentException("`" + text.trim() + "` is negative; write 0 or a positive duration such as 90s");
        }
        if (s.matches("\\d+(\\.\\d+)?")) {
            return bounded(Double.parseDouble(s) * 1000, text);
        }
        if (!WHOLE.matcher(s).matches()) {
            throw new IllegalArgumentException("`" + text.trim() + "` is not a duration; write it like 500ms, 90s, 10m, 2h or 1h30m");
        }
        Matcher m = PART.matcher(s);
        double millis = 0;
        while (m.find()) {
            double n = Double.parseDouble(m.group(1));
            millis += n * switch (m.group(2)) {
                case "ms" -> 1;
                case "s" -> 1_000;
                case "m" -> 60_000;
                case "h" -> 3_600_000;
                default -> 86_400_000;
            };
        }
        return bounded(millis, text);
    }

    private static Duration bounded(double millis, String text) {
        if (millis > LONGEST.toMillis()) {
            throw new IllegalArgumentException("`" + text.trim() + "` is too long; the longest is 3650d (10 years)");
        }
        return Duration.ofMillis(Math.round(millis));
    }

    /**
     * The shortest readable form that {@link #parse} reads back: 250ms, 1s500ms, 1m30s, 1h30m. Exact to the
     * millisecond below a minute; from a minute up, whole seconds (truncated), as a clock shows elapsed time.
     */
    public static String format(Duration d) {
        long ms = d.toMillis();
        if (ms < 0) {
            return "-" + format(Duration.ofMillis(-ms));
        }
        if (ms < 1000) {
            return ms + "ms";
        }
        long s = ms / 1000;
        StringBuilder b = new StringBuilder();
        if (s >= 86400) { b.append(s / 86400).append('d'); s %= 86400; }
        if (s >= 3600) { b.append(s / 3600).append('h'); s %= 3600; }
        if (s >= 60) { b.append(s / 60).append('m'); s %= 60; }
        if (s > 0) { b.append(s).append('s'); }
        if (ms < 60_000 && ms % 1000 > 0) { b.append(ms % 1000).append("ms"); }
        return b.toString();
    }

    /** For people, not for parsing back: 467ms, 1.1s, 42s, 1m30s, 2h5m. */
    public static String human(Duration d) {
        long ms = d.toMillis();
        if (ms < 1000) {
            return ms + "ms";
        }
        if (ms < 10_000) {
            return String.format(java.util.Locale.ROOT, "%.1fs", ms / 1000.0);
        }
        if (ms < 60_000) {
            return Math.round(ms / 1000.0) + "s";
        }
        return format(Duration.ofSeconds(Math.round(ms / 1000.0)));
    }
}
