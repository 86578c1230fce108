package dev.warden.cli;

import dev.warden.UserError;
import picocli.CommandLine.Command;

import java.util.concurrent.Callable;

@Command(name = "gpu", mixinStandardHelpOptions = true, description = "List GPUs; exclude or include one for every later run.")
public final class GpuCommand implements Callable<Integer> {
    @Override
    public Integer call() {
        throw new UserError("'warden gpu' is not built yet in this version");
    }
}
