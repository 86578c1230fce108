package dev.warden.cli;

import dev.warden.UserError;
import picocli.CommandLine.Command;

import java.util.concurrent.Callable;

@Command(name = "ckpt", mixinStandardHelpOptions = true, description = "Checkpoint seals: seal, verify, list, latest, backup, prune.")
public final class CkptCommand implements Callable<Integer> {
    @Override
    public Integer call() {
        throw new UserError("'warden ckpt' is not built yet in this version");
    }
}
