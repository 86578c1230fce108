package dev.warden.cli;

import dev.warden.UserError;
import picocli.CommandLine.Command;

import java.util.concurrent.Callable;

@Command(name = "data", mixinStandardHelpOptions = true, description = "Dataset checks before the GPU is rented.")
public final class DataCommand implements Callable<Integer> {
    @Override
    public Integer call() {
        throw new UserError("'warden data' is not built yet in this version");
    }
}
