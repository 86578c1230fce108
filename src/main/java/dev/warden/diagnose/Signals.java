package dev.warden.diagnose;

import java.util.Locale;
import java.util.Map;
import java.util.OptionalInt;

/** Linux signal numbers and names (x86-64/arm64 numbering), both ways. */
public final class Signals {
    private Signals() {}

    private static final Map<String, Integer> BY_NAME = Map.ofEntries(
            Map.entry("HUP", 1), Map.entry("INT", 2), Map.entry("QUIT", 3), Map.entry("ILL", 4),
            Map.entry("TRAP", 5), Map.entry("ABRT", 6), Map.entry("BUS", 7), Map.entry("FPE", 8),
            Map.entry("KILL", 9), Map.entry("USR1", 10), Map.entry("SEGV", 11), Map.entry("USR2", 12),
            Map.entry("PIPE", 13), Map.entry("ALRM", 14), Map.entry("TERM", 15), Map.entry("CONT", 18),
            Map.entry("STOP", 19), Map.entry("TSTP", 20), Map.entry("XCPU", 24), Map.entry("XFSZ", 25));

    /** "SIGKILL", "KILL", "kill" or "9" to 9; empty when it is none of those. */
    public static OptionalInt parse(String text) {
        if (text == null) {
            return OptionalInt.empty();
        }
        String t = text.trim().toUpperCase(Locale.ROOT);
        if (t.matches("\\d{1,2}")) {
            int n = Integer.parseInt(t);
            return n >= 1 && n <= 64 ? OptionalInt.of(n) : OptionalInt.empty();
        }
        if (t.startsWith("SIG")) {
            t = t.substring(3);
        }
        Integer n = BY_NAME.get(t);
        return n == null ? OptionalInt.empty() : OptionalInt.of(n);
    }

    /** 9 to "SIGKILL"; an unknown number to "signal 42". */
    public static String name(int signal) {
        for (Map.Entry<String, Integer> e : BY_NAME.entrySet()) {
            if (e.getValue() == signal) {
                return "SIG" + e.getKey();
            }
        }
        return "signal " + signal;
    }
}
