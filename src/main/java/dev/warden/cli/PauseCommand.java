package dev.warden.cli;

import dev.warden.UserError;
import picocli.CommandLine.Command;

import java.util.concurrent.Callable;

@Command(name = "pause", mixinStandardHelpOptions = true, description = "Pause a run (SIGSTOP to its process group).")
public final class PauseCommand implements Callable<Integer> {
    @Override
    public Integer call() {
        throw new UserError("'warden pause' is not built yet in this version");
    }
}
