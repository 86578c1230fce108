package dev.warden.cli;

import dev.warden.UserError;
import picocli.CommandLine.Command;

import java.util.concurrent.Callable;

@Command(name = "logs", mixinStandardHelpOptions = true, description = "Print a run's log; -f follows it.")
public final class LogsCommand implements Callable<Integer> {
    @Override
    public Integer call() {
        throw new UserError("'warden logs' is not built yet in this version");
    }
}
