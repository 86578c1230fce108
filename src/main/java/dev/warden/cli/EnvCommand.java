package dev.warden.cli;

import dev.warden.UserError;
import picocli.CommandLine.Command;

import java.util.concurrent.Callable;

@Command(name = "env", mixinStandardHelpOptions = true, description = "Lock the software stack; later preflights flag drift.")
public final class EnvCommand implements Callable<Integer> {
    @Override
    public Integer call() {
        throw new UserError("'warden env' is not built yet in this version");
    }
}
