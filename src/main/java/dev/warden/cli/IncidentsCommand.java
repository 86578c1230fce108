package dev.warden.cli;

import dev.warden.UserError;
import picocli.CommandLine.Command;

import java.util.concurrent.Callable;

@Command(name = "incidents", mixinStandardHelpOptions = true, description = "The operations memory: failures grouped by signature.")
public final class IncidentsCommand implements Callable<Integer> {
    @Override
    public Integer call() {
        throw new UserError("'warden incidents' is not built yet in this version");
    }
}
