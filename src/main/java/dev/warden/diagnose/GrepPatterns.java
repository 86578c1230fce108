package dev.warden.diagnose;

import java.io.PrintStream;
import java.nio.charset.StandardCharsets;

/**
 * Prints every pattern of the shipped catalog as a POSIX extended regex, one per line, so that
 * bench/diagnose can run {@code grep -E -f} with exactly the catalog's patterns. The catalog keeps
 * to the regex subset both engines share; named groups and non-capturing groups become plain groups.
 */
public final class GrepPatterns {
    private GrepPatterns() {}

    public static void main(String[] args) {
        PrintStream out = new PrintStream(System.out, true, StandardCharsets.UTF_8);
        for (Rule r : Catalog.builtin().rules()) {
            for (RulePattern p : r.patterns()) {
                out.println(p.literal() ? escape(p.source()) : toEre(p.source()));
            }
        }
    }

    static String escape(String literal) {
        StringBuilder sb = new StringBuilder();
        for (char c : literal.toCharArray()) {
            if (".[]()*+?{}|^$\\".indexOf(c) >= 0) {
                sb.append('\\');
            }
            sb.append(c);
        }
        return sb.toString();
    }

    static String toEre(String javaRegex) {
        return javaRegex.replaceAll("\\(\\?<[A-Za-z][A-Za-z0-9]*>", "(").replace("(?:", "(").replace("\\d", "[0-9]");
    }
}
