package dev.warden.cli;

import dev.warden.UserError;
import picocli.CommandLine.Command;

import java.util.concurrent.Callable;

@Command(name = "diagnose", mixinStandardHelpOptions = true, description = "Classify a failure from a log: category, evidence, retryable, fix.")
public final class DiagnoseCommand implements Callable<Integer> {
    @Override
    public Integer call() {
        throw new UserError("'warden diagnose' is not built yet in this version");
    }
}
