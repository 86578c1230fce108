package dev.warden.gpu;

import java.util.Locale;

/**
 * Reads one value printed by nvidia-smi or rocm-smi. Placeholders mean "unknown", never a number:
 * nvidia-smi's [N/A], N/A, [Not Supported], [Unknown Error], [Requested functionality has been
 * deprecated]; AMD's all-ones placeholders (0xFFFF, 0xFFFFFFFF and their decimal forms) and
 * temperatures no working sensor reports.
 */
public final class SmiValues {
    private static final double MIN_PLAUSIBLE_C = -40;
    private static final double MAX_PLAUSIBLE_C = 150;

    private SmiValues() {}

    public static boolean unknown(String raw) {
        if (raw == null) {
            return true;
        }
        String v = raw.strip();
        if (v.isEmpty() || v.equalsIgnoreCase("N/A") || v.equalsIgnoreCase("unknown")
                || v.equalsIgnoreCase("unsupported")) {
            return true;
        }
        if (v.startsWith("[") && v.endsWith("]")) {
            return true;
        }
        return allOnes(v);
    }

    /** nvidia-smi prints "[GPU requires reset]" or "[GPU is lost]" in place of values on a broken GPU. */
    public static String fault(String raw) {
        if (raw == null) {
            return null;
        }
        String v = raw.toLowerCase(Locale.ROOT);
        if (v.contains("requires reset")) {
            return "requires reset";
        }
        if (v.contains("gpu is lost")) {
            return "lost (fell off the bus)";
        }
        return null;
    }

    static boolean allOnes(String v) {
        String s = v.toLowerCase(Locale.ROOT);
        int dot = s.indexOf('.');
        if (dot > 0 && s.substring(dot + 1).chars().allMatch(c -> c == '0')) {
            s = s.substring(0, dot);
        }
        return s.equals("0xffff") || s.equals("0xffffffff") || s.equals("0xffffffffffffffff")
                || s.equals("65535") || s.equals("4294967295") || s.equals("18446744073709551615");
    }

    /** A number with an optional unit suffix ("81559", "81559 MiB", "53.0"), or null when unknown. */
    public static Double number(String raw) {
        if (unknown(raw)) {
            return null;
        }
        String v = raw.strip();
        int end = 0;
        while (end < v.length() && (Character.isDigit(v.charAt(end)) || v.charAt(end) == '.'
                || (end == 0 && v.charAt(end) == '-'))) {
            end++;
        }
        if (end == 0) {
            return null;
        }
        try {
            return Double.parseDouble(v.substring(0, end));
        } catch (NumberFormatException e) {
            return null;
        }
    }

    public static Long whole(String raw) {
        Double d = number(raw);
        return d == null ? null : Math.round(d);
    }

    public static Integer temperature(String raw) {
        Double d = number(raw);
        if (d == null || d < MIN_PLAUSIBLE_C || d > MAX_PLAUSIBLE_C) {
            return null;
        }
        return (int) Math.round(d);
    }

    /** "Yes"/"No", "Active"/"Not Active", "Enabled"/"Disabled"; null when unknown. */
    public static Boolean flag(String raw) {
        if (unknown(raw)) {
            return null;
        }
        String v = raw.strip().toLowerCase(Locale.ROOT);
        return switch (v) {
            case "yes", "active", "enabled", "true", "1" -> true;
            case "no", "not active", "disabled", "false", "0" -> false;
            default -> null;
        };
    }
}
