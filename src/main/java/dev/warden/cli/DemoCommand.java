package dev.warden.cli;

import dev.warden.UserError;
import picocli.CommandLine.Command;

import java.util.concurrent.Callable;

@Command(name = "demo", mixinStandardHelpOptions = true, description = "Run the bundled example trainer under supervision.")
public final class DemoCommand implements Callable<Integer> {
    @Override
    public Integer call() {
        throw new UserError("'warden demo' is not built yet in this version");
    }
}
