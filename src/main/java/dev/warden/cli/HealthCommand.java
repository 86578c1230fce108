package dev.warden.cli;

import dev.warden.UserError;
import dev.warden.check.NodeHealth;
import dev.warden.check.PreflightReport;
import dev.warden.gpu.ToolRunner;
import dev.warden.spec.Durations;
import dev.warden.store.WardenHome;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.Callable;

@Command(name = "health", mixinStandardHelpOptions = true,
        description = {"Node health: disk, memory, GPUs, kernel-log GPU errors, exclusions, stale locks.",
                "Also Warden's leftover temp files. Exit status 1 when something FAILs."})
public final class HealthCommand implements Callable<Integer> {
    @Option(names = "--fix", description = "repair what is safe (stale Warden locks, Warden's leftover temp files) and say what was done")
    boolean fix;

    @Option(names = "--watch", paramLabel = "INTERVAL", description = "check again every INTERVAL (e.g. 30s) until interrupted")
    String watch;

    @Option(names = "--json", description = "print the results as JSON")
    boolean json;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec cs;

    @Override
    public Integer call() throws InterruptedException {
        Duration every = null;
        if (watch != null) {
            try {
                every = Durations.parse(watch);
            } catch (IllegalArgumentException e) {
                throw new UserError("--watch " + e.getMessage());
            }
            if (every.toMillis() < 1000) {
                throw new UserError("--watch " + watch + " is shorter than 1s; use e.g. --watch 30s");
            }
        }
        WardenHome home = WardenHome.fromEnvironment();
        PrintWriter out = cs.commandLine().getOut();
        while (true) {
            if (fix) {
                List<String> done;
                try {
                    done = NodeHealth.fix(home, Instant.now());
                } catch (IOException e) {
                    throw new UncheckedIOException("cannot repair " + home.root() + ": " + e.getMessage(), e);
                }
                out.println(done.isEmpty() ? "fix: nothing to repair" : "fix: " + String.join(System.lineSeparator() + "fix: ", done));
            }
            PreflightReport report = NodeHealth.check(home, ToolRunner.system());
            if (every != null && !json) {
                out.println("== " + Instant.now());
            }
            out.print(json ? report.json() : report.table());
            out.flush();
            if (every == null) {
                return report.hasFail() ? 1 : 0;
            }
            Thread.sleep(every.toMillis());
        }
    }
}
