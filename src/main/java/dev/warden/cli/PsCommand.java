package dev.warden.cli;

import dev.warden.UserError;
import picocli.CommandLine.Command;

import java.util.concurrent.Callable;

@Command(name = "ps", mixinStandardHelpOptions = true, description = "List runs: state, attempt, step, loss, elapsed, cost.")
public final class PsCommand implements Callable<Integer> {
    @Override
    public Integer call() {
        throw new UserError("'warden ps' is not built yet in this version");
    }
}
