package dev.warden.spec;

import java.util.Locale;
import java.util.Map;

/** Linux signal names and numbers (x86-64 and arm64 agree on these). */
public final class Signals {
    private static final Map<String, Integer> NUMBERS = Map.ofEntries(
            Map.entry("HUP", 1), Map.entry("INT", 2), Map.entry("QUIT", 3), Map.entry("ILL", 4), Map.entry("TRAP", 5),
            Map.entry("ABRT", 6), Map.entry("BUS", 7), Map.entry("FPE", 8), Map.entry("KILL", 9), Map.entry("USR1", 10),
            Map.entry("SEGV", 11), Map.entry("USR2", 12), Map.entry("PIPE", 13), Map.entry("ALRM", 14), Map.entry("TERM", 15),
            Map.entry("CONT", 18), Map.entry("STOP", 19), Map.entry("TSTP", 20), Map.entry("XCPU", 24));

    private Signals() {}

    /** -1 when unknown. Accepts USR1, SIGUSR1, 10. */
    public static int number(String name) {
        String n = name.trim().toUpperCase(Locale.ROOT);
        if (n.startsWith("SIG")) {
            n = n.substring(3);
        }
        if (n.matches("\\d+")) {
            int v = Integer.parseInt(n);
            return v > 0 && v < 65 ? v : -1;
        }
        return NUMBERS.getOrDefault(n, -1);
    }

    public static String name(int number) {
        return NUMBERS.entrySet().stream().filter(e -> e.getValue() == number).map(e -> "SIG" + e.getKey())
                .findFirst().orElse("signal " + number);
    }
}
