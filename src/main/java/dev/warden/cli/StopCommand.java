package dev.warden.cli;

import dev.warden.UserError;
import picocli.CommandLine.Command;

import java.util.concurrent.Callable;

@Command(name = "stop", mixinStandardHelpOptions = true, description = "Stop a run gracefully (TERM to its process group, grace, KILL).")
public final class StopCommand implements Callable<Integer> {
    @Override
    public Integer call() {
        throw new UserError("'warden stop' is not built yet in this version");
    }
}
