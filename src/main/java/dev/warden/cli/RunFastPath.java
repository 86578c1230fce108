package dev.warden.cli;

import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.List;

/**
 * `warden run` in its usual forms (`run`, `run SPEC`, `run -- CMD...`, with `-q` and `--skip-check ID`) read without
 * picocli: picocli's classes are built for Java 5, which the class-data archive cannot hold, so reading them costs
 * every supervisor ~50 ms of start-up (and a fault campaign's run is a few seconds). Anything else (help, version,
 * unknown or attached options, @argument files) goes to picocli, whose messages stay the reference.
 */
final class RunFastPath {
    private RunFastPath() {}

    record Parsed(List<String> args, boolean dashDash, boolean quiet, List<String> skipChecks) {}

    /** The exit code, or null when picocli should read this command line. */
    static Integer run(PrintWriter out, PrintWriter err, String... argv) {
        Parsed p = parse(argv);
        if (p == null) {
            return null;
        }
        return Main.guarded(out, err, () -> RunCommand.supervise(p.args(), p.dashDash(), p.quiet(), p.skipChecks()));
    }

    static Parsed parse(String... argv) {
        if (argv.length == 0 || !argv[0].equals("run")) {
            return null;
        }
        boolean quiet = false;
        List<String> skip = new ArrayList<>();
        List<String> args = new ArrayList<>();
        for (int i = 1; i < argv.length; i++) {
            String a = argv[i];
            if (a.equals("--")) {
                List<String> cmd = List.of(argv).subList(i + 1, argv.length);
                if (cmd.isEmpty() || !args.isEmpty()) {
                    return null;
                }
                return new Parsed(List.copyOf(cmd), true, quiet, List.copyOf(skip));
            } else if (a.equals("-q") || a.equals("--quiet")) {
                if (quiet) {
                    return null;
                }
                quiet = true;
            } else if (a.equals("--skip-check") && i + 1 < argv.length && !argv[i + 1].startsWith("-")) {
                skip.add(argv[++i]);
            } else if (a.isEmpty() || a.startsWith("-") || a.startsWith("@") || !args.isEmpty()) {
                return null;
            } else {
                args.add(a);
            }
        }
        return new Parsed(List.copyOf(args), false, quiet, List.copyOf(skip));
    }
}
