package dev.warden.cli;

import dev.warden.spec.Durations;
import dev.warden.supervise.ControlRequests;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

import java.util.concurrent.Callable;

@Command(name = "resume", mixinStandardHelpOptions = true, description = {"Resume a paused run (SIGCONT)."})
public final class ResumeCommand implements Callable<Integer> {
    @Parameters(paramLabel = "RUN", description = "run id, a unique prefix of one, or a job name (its newest run)")
    String ref;

    @Option(names = "--wait", paramLabel = "DURATION", defaultValue = "10s", description = "how long to wait for the supervisor to confirm (default: ${DEFAULT-VALUE})")
    String wait;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() throws Exception {
        return SteerCommand.steer(ref, ControlRequests.Kind.RESUME, Durations.parse(wait), spec.commandLine().getOut());
    }
}
