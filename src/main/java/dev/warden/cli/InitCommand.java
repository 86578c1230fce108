package dev.warden.cli;

import dev.warden.UserError;
import picocli.CommandLine.Command;

import java.util.concurrent.Callable;

@Command(name = "init", mixinStandardHelpOptions = true, description = "Write a commented warden.yaml for a training command.")
public final class InitCommand implements Callable<Integer> {
    @Override
    public Integer call() {
        throw new UserError("'warden init' is not built yet in this version");
    }
}
