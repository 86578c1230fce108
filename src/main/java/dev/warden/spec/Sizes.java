package dev.warden.spec;

import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** "20GiB", "512MiB", "1.5TB", "4096" (bytes). Binary (KiB) and decimal (KB) units are both honoured. */
public final class Sizes {
    private static final Pattern SIZE = Pattern.compile("(\\d+(?:\\.\\d+)?)\\s*((?:[kmgtp]i?)?b?)");

    private Sizes() {}

    public static long parse(String text) {
        String s = text.trim().toLowerCase(Locale.ROOT);
        if (s.startsWith("-")) {
            throw new IllegalArgumentException("negative size `" + text + "`; write a positive size such as 20GiB");
        }
        Matcher m = SIZE.matcher(s);
        if (!m.matches()) {
            throw new IllegalArgumentException("`" + text + "` is not a size; write it like 512MiB, 20GiB or 1.5TB");
        }
        double n = Double.parseDouble(m.group(1));
        String unit = m.group(2);
        boolean binary = unit.contains("i");
        double base = binary ? 1024 : 1000;
        int power = unit.isEmpty() || unit.equals("b") ? 0 : "kmgtp".indexOf(unit.charAt(0)) + 1;
        double bytes = n * Math.pow(base, power);
        if (bytes >= Long.MAX_VALUE) {
            throw new IllegalArgumentException("`" + text + "` is too large; write a size below 8EiB");
        }
        return Math.round(bytes);
    }

    /** Human form in binary units: 1.5 GiB, 980 MiB, 12 B. */
    public static String format(long bytes) {
        if (bytes < 1024) {
            return bytes + " B";
        }
        String[] units = {"KiB", "MiB", "GiB", "TiB", "PiB"};
        double v = bytes;
        int i = -1;
        while (v >= 1024 && i < units.length - 1) {
            v /= 1024;
            i++;
        }
        return (v >= 100 ? String.format(Locale.ROOT, "%.0f", v) : String.format(Locale.ROOT, "%.1f", v)) + " " + units[i];
    }
}
