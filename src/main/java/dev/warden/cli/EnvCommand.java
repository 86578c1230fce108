package dev.warden.cli;

import dev.warden.check.EnvLock;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.concurrent.Callable;

@Command(name = "env", mixinStandardHelpOptions = true,
        description = "Lock the software stack; later preflights flag drift. Warden never installs or upgrades a package.",
        subcommands = {EnvCommand.Lock.class})
public final class EnvCommand implements Runnable {
    @CommandLine.Spec
    CommandLine.Model.CommandSpec cs;

    @Override
    public void run() {
        cs.commandLine().usage(cs.commandLine().getOut());
    }

    @Command(name = "lock", mixinStandardHelpOptions = true,
            description = {"Record python, installed packages, torch and its CUDA, the GPU driver and nvcc in warden.lock.",
                    "The drift check compares with it before every run."})
    static final class Lock implements Callable<Integer> {
        @Option(names = "--python", paramLabel = "PATH", description = "the job's interpreter (default: the one in ./warden.yaml's command, else python3)")
        String python;

        @Option(names = {"-o", "--output"}, paramLabel = "FILE", description = "where to write (default: ./warden.lock)")
        Path output = Path.of("warden.lock");

        @CommandLine.Spec
        CommandLine.Model.CommandSpec cs;

        @Override
        public Integer call() {
            PrintWriter out = cs.commandLine().getOut();
            out.println(EnvLock.lock(output.toAbsolutePath(), python, Path.of("warden.yaml")));
            out.flush();
            return 0;
        }
    }
}
