package dev.warden.cli;

import dev.warden.UserError;
import dev.warden.event.Event;
import dev.warden.event.EventType;
import dev.warden.event.RunView;
import dev.warden.spec.SpecDefaults;
import dev.warden.store.RunJournal;
import dev.warden.store.RunRecord;
import dev.warden.store.Store;
import dev.warden.store.WardenHome;
import dev.warden.supervise.ControlRequests;
import dev.warden.supervise.JobTree;

import java.io.PrintWriter;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * stop, pause and resume: a request the run's supervisor picks up within 100 ms; when the supervisor is gone
 * (the job is orphaned), Warden acts on the job's process group directly and records it.
 */
final class SteerCommand {
    private SteerCommand() {}

    static int steer(String ref, ControlRequests.Kind kind, Duration wait, PrintWriter out) throws InterruptedException {
        WardenHome home = WardenHome.fromEnvironment();
        try (Store store = Store.open(home)) {
            RunRecord run = RunRefs.resolve(store, ref);
            List<Event> events = store.events(run.id(), 0);
            RunView v = RunView.fold(run.id(), events);
            if (v.ended()) {
                throw new UserError("run " + run.id() + " has already ended (" + v.state() + "); nothing to " + kind.name().toLowerCase());
            }
            String state = PsCommand.state(v);
            String who = "`warden " + kind.name().toLowerCase() + "` (pid " + ProcessHandle.current().pid() + ")";
            if (state.equals("orphaned") || state.equals("lost")) {
                return direct(store, home, run, v, kind, who, out);
            }
            long after = events.isEmpty() ? 0 : events.get(events.size() - 1).seq();
            new ControlRequests(home.run(run.id())).request(kind, who);
            EventType expect = switch (kind) {
                case STOP -> EventType.RUN_ENDED;
                case PAUSE -> EventType.PAUSED;
                case RESUME -> EventType.RESUMED;
            };
            long deadline = System.nanoTime() + wait.toNanos();
            while (System.nanoTime() < deadline) {
                Optional<Event> ack = store.events(run.id(), after).stream().filter(e -> e.type() == expect).findFirst();
                if (ack.isPresent()) {
                    out.println(run.id() + ": " + ack.get().message());
                    return 0;
                }
                Thread.sleep(100);
            }
            out.println(run.id() + ": " + kind.name().toLowerCase() + " requested; the supervisor has not confirmed yet (see `warden ps`)");
            return kind == ControlRequests.Kind.STOP ? 1 : 0;
        }
    }

    private static int direct(Store store, WardenHome home, RunRecord run, RunView v, ControlRequests.Kind kind, String who, PrintWriter out) {
        RunJournal j = new RunJournal(store, home, run.id(), null);
        if (v.pgid() == null) {
            throw new UserError("run " + run.id() + " has no supervisor and never started a job; nothing to " + kind.name().toLowerCase());
        }
        JobTree tree = new JobTree(v.pgid(), v.pgidStart() == null ? 0 : v.pgidStart(), Optional.empty());
        switch (kind) {
            case STOP -> {
                JobTree.StopResult r = tree.stop(SpecDefaults.GRACE);
                j.emit(EventType.STOP_REQUESTED, v.attempt(), "stop by " + who + " while no supervisor was running", Map.of("from", who));
                j.emit(EventType.RUN_ENDED, v.attempt(), "stopped by " + who + " (" + r.processes() + " orphaned process(es))",
                        Map.of("outcome", "stopped", "exit_code", 143));
                out.println(run.id() + ": its supervisor was gone; stopped " + r.processes() + " orphaned process(es) of the job directly");
            }
            case PAUSE -> {
                tree.signal(19);
                j.emit(EventType.PAUSED, v.attempt(), "paused by " + who + " (no supervisor)");
                out.println(run.id() + ": paused (its supervisor is gone)");
            }
            case RESUME -> {
                tree.signal(18);
                j.emit(EventType.RESUMED, v.attempt(), "resumed by " + who + " (no supervisor)");
                out.println(run.id() + ": resumed (its supervisor is gone)");
            }
        }
        return 0;
    }
}
