package dev.warden.cli;

import dev.warden.UserError;
import picocli.CommandLine;
import picocli.CommandLine.Command;

import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.util.concurrent.Callable;

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

    /**
     * The command tree: `warden VERB ...` for a known verb builds only that verb's part (picocli reads the options of
     * every command class it is given: the whole tree costs a fresh JVM ~80 ms and the supervisor ~1 MB it keeps for
     * days); anything else (no verb, an unknown one, `help`, `--version`) gets the whole tree, for its usage and errors.
     */
    static CommandLine treeFor(String... args) {
        if (args.length > 0) {
            for (Class<?> c : Main.class.getAnnotation(Command.class).subcommands()) {
                Command verb = c.getAnnotation(Command.class);
                if (verb != null && verb.name().equals(args[0]) && c != CommandLine.HelpCommand.class) {
                    CommandLine root = new CommandLine(CommandLine.Model.CommandSpec.create().name("warden"));
                    root.addSubcommand(verb.name(), new CommandLine(c));
                    return root;
                }
            }
        }
        return new CommandLine(new Main());
    }

    /** Runs one command line and returns its exit code; tests call this in-process. */
    public static int execute(String... args) {
        return execute(new PrintWriter(System.out, true), new PrintWriter(System.err, true), args);
    }

    /** Same, with the output captured: tests assert on what a user would read. */
    public static int execute(PrintWriter out, PrintWriter err, String... args) {
        Integer fast = CkptFastPath.run(out, err, args);
        if (fast == null) {
            fast = RunFastPath.run(out, err, args);
        }
        if (fast != null) {
            return fast;
        }
        CommandLine cl = treeFor(args);
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

    /** A command read without picocli (the fast paths): its exit code, or what {@link #failed} makes of its exception. */
    static int guarded(PrintWriter out, PrintWriter err, Callable<Integer> command) {
        try {
            return command.call();
        } catch (Exception e) {
            return failed(e, err);
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
