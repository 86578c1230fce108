package dev.warden.cli;

import dev.warden.UserError;
import picocli.CommandLine;
import picocli.CommandLine.Command;

import java.io.PrintWriter;
import java.io.UncheckedIOException;

@Command(name = "warden",
        mixinStandardHelpOptions = true,
        versionProvider = VersionProvider.class,
        description = {
                "Keeps GPU training runs alive and honest: preflight before, supervision during,",
                "diagnosis and resume after, and a memory of every incident.",
                "",
                "Start here:  warden demo          (a supervised example run, ~15 seconds)",
                "             warden run -- python train.py --lr 3e-4",
                "             warden ps            (from any shell)"},
        subcommands = {
                RunCommand.class, DemoCommand.class, PsCommand.class, LogsCommand.class,
                StopCommand.class, PauseCommand.class, ResumeCommand.class,
                CheckCommand.class, InitCommand.class, HealthCommand.class, GpuCommand.class, EnvCommand.class,
                DiagnoseCommand.class, IncidentsCommand.class, CkptCommand.class, DataCommand.class,
                TailBenchCommand.class, CommandLine.HelpCommand.class})
public final class Main implements Runnable {

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        spec.commandLine().usage(System.out);
    }

    public static void main(String[] args) {
        System.exit(execute(args));
    }

    /** Runs one command line and returns its exit code; tests call this in-process. */
    public static int execute(String... args) {
        return execute(new PrintWriter(System.out, true), new PrintWriter(System.err, true), args);
    }

    /** Same, with the output captured: tests assert on what a user would read. */
    public static int execute(PrintWriter out, PrintWriter err, String... args) {
        Integer fast = CkptFastPath.run(out, err, args);
        if (fast != null) {
            return fast;
        }
        CommandLine cl = new CommandLine(new Main());
        cl.setOut(out);
        cl.setErr(err);
        cl.setCaseInsensitiveEnumValuesAllowed(true);
        cl.setExecutionExceptionHandler((ex, line, parsed) -> failed(ex, line.getErr()));
        try {
            return cl.execute(args);
        } finally {
            out.flush();
            err.flush();
        }
    }

    /** A command threw: one line on stderr (a stack trace only with WARDEN_DEBUG) and the exit code to return. */
    static int failed(Exception ex, PrintWriter err) {
        Throwable root = ex;
        if (root instanceof UserError ue) {
            err.println("warden: " + ue.getMessage());
            return ue.exitCode();
        }
        if (root instanceof IllegalArgumentException iae && iae.getMessage() != null && !iae.getMessage().isBlank()) {
            err.println("warden: " + iae.getMessage());
            return UserError.USAGE;
        }
        if (root instanceof UncheckedIOException io) {
            err.println("warden: " + io.getMessage());
            return 74; // EX_IOERR
        }
        err.println("warden: internal error: " + root);
        if (System.getenv("WARDEN_DEBUG") != null) {
            root.printStackTrace(err);
        } else {
            err.println("warden: set WARDEN_DEBUG=1 for the stack trace, and please report it");
        }
        return 70; // EX_SOFTWARE
    }
}
