package dev.warden.supervise;

import java.io.PrintStream;

/** Warden's own lines on the terminal, set apart from the job's output by a marker (and colour on a TTY). */
public final class Console {
    private final PrintStream out;
    private final boolean color;

    public Console(PrintStream out, boolean color) {
        this.out = out;
        this.color = color;
    }

    public static Console stderr() {
        return new Console(System.err, System.console() != null && System.getenv("NO_COLOR") == null);
    }

    public void say(String line) {
        out.println(color ? "\033[1;36mwarden ▸\033[0m " + line : "warden ▸ " + line);
        out.flush();
    }

    public void warn(String line) {
        out.println(color ? "\033[1;33mwarden ▸\033[0m " + line : "warden ▸ " + line);
        out.flush();
    }
}
