package dev.warden.cli;

import dev.warden.UserError;
import picocli.CommandLine.Command;

import java.util.concurrent.Callable;

@Command(name = "resume", mixinStandardHelpOptions = true, description = "Resume a paused run.")
public final class ResumeCommand implements Callable<Integer> {
    @Override
    public Integer call() {
        throw new UserError("'warden resume' is not built yet in this version");
    }
}
