package dev.warden.cli;

import dev.warden.UserError;
import picocli.CommandLine.Command;

import java.util.concurrent.Callable;

@Command(name = "check", mixinStandardHelpOptions = true, description = "Preflight: every check in parallel, PASS/WARN/FAIL with the fix.")
public final class CheckCommand implements Callable<Integer> {
    @Override
    public Integer call() {
        throw new UserError("'warden check' is not built yet in this version");
    }
}
