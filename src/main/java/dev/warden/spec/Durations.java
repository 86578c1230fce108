package dev.warden.spec;

import java.time.Duration;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** "90s", "10m", "2h", "1h30m", "500ms", "1d"; a bare number is seconds. */
public final class Durations {
    private static final Pattern PART = Pattern.compile("(\\d+(?:\\.\\d+)?)(ms|s|m|h|d)");
    private static final Pattern WHOLE = Pattern.compile("(?:\\d+(?:\\.\\d+)?(?:ms|s|m|h|d))+");

    private Durations() {}

    /** @throws IllegalArgumentException with a message that shows the accepted forms */
    public static Duration parse(String text) {
        String s = text.trim().toLowerCase(Locale.ROOT).replace(" ", "");
        if (s.startsWith("-")) {
            throw new IllegalArgumentException("negative duration `" + text + "`; use 0 to disable, or a positive value such as 90s");
        }
        if (s.matches("\\d+(\\.\\d+)?")) {
            return Duration.ofMillis(Math.round(Double.parseDouble(s) * 1000));
        }
        if (!WHOLE.matcher(s).matches()) {
            throw new IllegalArgumentException("`" + text + "` is not a duration; write it like 500ms, 90s, 10m, 2h or 1h30m");
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
        return Duration.ofMillis(Math.round(millis));
    }

    /** The shortest readable form: 1h30m, 90s becomes 1m30s, 250ms. */
    public static String format(Duration d) {
        long ms = d.toMillis();
        if (ms < 1000) {
            return ms + "ms";
        }
        long s = ms / 1000;
        StringBuilder b = new StringBuilder();
        if (s >= 86400) { b.append(s / 86400).append('d'); s %= 86400; }
        if (s >= 3600) { b.append(s / 3600).append('h'); s %= 3600; }
        if (s >= 60) { b.append(s / 60).append('m'); s %= 60; }
        if (s > 0 || b.length() == 0) { b.append(s).append('s'); }
        return b.toString();
    }
}
