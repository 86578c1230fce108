package dev.warden.cli;

import dev.warden.UserError;
import picocli.CommandLine.Command;

import java.util.concurrent.Callable;

@Command(name = "run", mixinStandardHelpOptions = true, description = "Preflight, then run and supervise a training command.")
public final class RunCommand implements Callable<Integer> {
    @Override
    public Integer call() {
        throw new UserError("'warden run' is not built yet in this version");
    }
}
