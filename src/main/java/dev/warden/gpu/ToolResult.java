package dev.warden.gpu;

import java.time.Duration;
import java.util.List;

/**
 * What one external tool run produced. {@code notFound}: the program is not on the PATH the
 * caller gave; {@code timedOut}: it was killed at its deadline (or the calling thread was
 * interrupted), with whatever it had printed so far.
 */
public record ToolResult(List<String> command, int exitCode, String stdout, String stderr,
                         boolean timedOut, boolean notFound, Duration took) {

    public static ToolResult missing(List<String> command) {
        return new ToolResult(command, -1, "", "", false, true, Duration.ZERO);
    }

    public boolean ok() {
        return !notFound && !timedOut && exitCode == 0;
    }

    /** stdout then stderr, for matching messages that tools print on either stream. */
    public String output() {
        if (stderr.isEmpty()) {
            return stdout;
        }
        return stdout.isEmpty() ? stderr : stdout + "\n" + stderr;
    }

    /** The last non-blank line of stderr, else of stdout, trimmed; "" when both are empty. */
    public String lastLine() {
        String s = lastNonBlank(stderr);
        return s.isEmpty() ? lastNonBlank(stdout) : s;
    }

    static String lastNonBlank(String text) {
        String[] lines = text.split("\n");
        for (int i = lines.length - 1; i >= 0; i--) {
            String l = lines[i].strip();
            if (!l.isEmpty()) {
                return l;
            }
        }
        return "";
    }

    public String program() {
        return command.isEmpty() ? "" : command.get(0);
    }
}
