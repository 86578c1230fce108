package dev.warden.cli;

import dev.warden.UserError;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

import java.util.concurrent.Callable;

@Command(name = "learn", mixinStandardHelpOptions = true,
        description = "Turn an incident into a preflight check in the job's warden.yaml (shows the change, asks first).")
final class LearnCommand implements Callable<Integer> {
    @Parameters(paramLabel = "ID")
    String id;

    @Override
    public Integer call() {
        throw new UserError("`warden incidents learn` is not built yet in this version");
    }
}
