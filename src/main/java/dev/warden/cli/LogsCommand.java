package dev.warden.cli;

import dev.warden.UserError;
import dev.warden.event.Event;
import dev.warden.event.EventType;
import dev.warden.event.RunView;
import dev.warden.store.RunRecord;
import dev.warden.store.Store;
import dev.warden.store.WardenHome;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;

@Command(name = "logs", mixinStandardHelpOptions = true,
        description = {"Print a run's output, every attempt in order, each under a header.",
                "  warden logs RUN            RUN = run id, a unique prefix of one, or a job name (its newest run)",
                "  warden logs RUN -f         follow it, across restarts, until the run ends",
                "  warden logs RUN --events   the run's events instead of its output"})
public final class LogsCommand implements Callable<Integer> {
    @Parameters(paramLabel = "RUN")
    String ref;

    @Option(names = {"-f", "--follow"}, description = "keep printing new output until the run ends")
    boolean follow;

    @Option(names = "--attempt", paramLabel = "N", description = "only attempt N")
    Integer attempt;

    @Option(names = "--events", description = "print the run's events (one line each)")
    boolean events;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() throws Exception {
        WardenHome home = WardenHome.fromEnvironment();
        try (Store store = Store.open(home)) {
            RunRecord run = RunRefs.resolve(store, ref);
            if (events) {
                var out = spec.commandLine().getOut();
                for (Event e : store.events(run.id(), 0)) {
                    out.println(e.at() + "  " + (e.attempt() > 0 ? "#" + e.attempt() + " " : "") + e.type().id() + "  " + e.message());
                }
                out.flush();
                return 0;
            }
            PrintStream out = System.out;
            Path attempts = home.run(run.id()).resolve("attempts");
            int n = attempt != null ? attempt : 1;
            if (attempt != null && !Files.exists(attempts.resolve(n + ".log"))) {
                throw new UserError("run " + run.id() + " has no attempt " + n + "; `warden ps` shows how many it had");
            }
            while (true) {
                Path log = attempts.resolve(n + ".log");
                if (!Files.exists(log)) {
                    break;
                }
                out.println("── " + run.id() + " · attempt " + n + " ──");
                boolean last = !Files.exists(attempts.resolve((n + 1) + ".log"));
                if (follow && last && attempt == null) {
                    followUntilNext(store, run.id(), attempts, n, out);
                } else {
                    copy(log, 0, out);
                }
                if (attempt != null) {
                    break;
                }
                n++;
                if (follow && !Files.exists(attempts.resolve(n + ".log")) && !ended(store, run.id())) {
                    waitForNextAttempt(store, run.id(), attempts, n);
                }
            }
            out.flush();
        }
        return 0;
    }

    private void followUntilNext(Store store, String runId, Path attempts, int n, PrintStream out) throws IOException, InterruptedException {
        Path log = attempts.resolve(n + ".log");
        long pos = 0;
        while (true) {
            pos = copy(log, pos, out);
            if (Files.exists(attempts.resolve((n + 1) + ".log")) || ended(store, runId)) {
                copy(log, pos, out);
                return;
            }
            Thread.sleep(200);
        }
    }

    private void waitForNextAttempt(Store store, String runId, Path attempts, int n) throws InterruptedException {
        while (!Files.exists(attempts.resolve(n + ".log")) && !ended(store, runId)) {
            Thread.sleep(200);
        }
    }

    /** The run's events so far, fetched incrementally: following a long run must not reread all of them every 200 ms. */
    private final List<Event> seen = new java.util.ArrayList<>();

    private boolean ended(Store store, String runId) {
        seen.addAll(store.events(runId, seen.isEmpty() ? 0 : seen.get(seen.size() - 1).seq()));
        return seen.stream().anyMatch(e -> e.type() == EventType.RUN_ENDED) || "lost".equals(PsCommand.state(RunView.fold(runId, seen)));
    }

    private static long copy(Path file, long from, OutputStream out) throws IOException {
        try (InputStream in = Files.newInputStream(file)) {
            in.skipNBytes(Math.min(from, Files.size(file)));
            long n = in.transferTo(out);
            out.flush();
            return from + n;
        }
    }
}
