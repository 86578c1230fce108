package dev.warden.cli;

import dev.warden.UserError;
import picocli.CommandLine.Command;

import java.util.concurrent.Callable;

@Command(name = "health", mixinStandardHelpOptions = true, description = "Node health: disk, memory, GPUs, kernel-log GPU errors.")
public final class HealthCommand implements Callable<Integer> {
    @Override
    public Integer call() {
        throw new UserError("'warden health' is not built yet in this version");
    }
}
