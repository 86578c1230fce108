package dev.warden.supervise;

import dev.warden.event.Event;
import dev.warden.event.EventType;
import dev.warden.event.RunView;
import dev.warden.spec.JobSpec;
import dev.warden.store.RunJournal;
import dev.warden.store.RunRecord;
import dev.warden.store.Store;
import dev.warden.store.WardenHome;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Consumer;

/** Before a run starts: a job left running by an earlier supervisor of the same job name is stopped or adopted. */
final class PreviousRun {
    /** What {@link RunView} needs to tell whether a run ended and which process group it left. */
    private static final Set<EventType> LIFECYCLE =
            EnumSet.of(EventType.RUN_STARTED, EventType.ATTEMPT_STARTED, EventType.ORPHAN_ADOPTED, EventType.RUN_ENDED);
    private final Store store;
    private final WardenHome home;
    private final JobSpec spec;
    private final String runId;
    private final RunJournal journal;
    private final Consumer<String> warn;

    PreviousRun(Store store, WardenHome home, JobSpec spec, String runId, RunJournal journal, Consumer<String> warn) {
        this.store = store;
        this.home = home;
        this.spec = spec;
        this.runId = runId;
        this.journal = journal;
        this.warn = warn;
    }

    /**
     * A previous supervisor of this job died (kill -9, OOM) and left its job group running. `orphans: kill` stops
     * it before anything starts, so two copies never train at once; `orphans: adopt` follows it instead.
     */
    Optional<Adoption> settle() {
        for (RunRecord prev : store.runsNamed(spec.name(), 5)) {
            if (prev.id().equals(runId)) {
                continue;
            }
            List<Event> events = store.events(prev.id(), LIFECYCLE);
            RunView v = RunView.fold(prev.id(), events);
            if (v.ended() || v.pgid() == null) {
                continue;
            }
            Optional<Cgroup> cgroup = events.stream().filter(e -> e.type() == EventType.ATTEMPT_STARTED && e.text("cgroup") != null)
                    .reduce((a, b) -> b).flatMap(e -> Cgroup.existing(Path.of(e.text("cgroup"))));
            JobTree tree = new JobTree(v.pgid(), v.pgidStart() == null ? 0 : v.pgidStart(), cgroup);
            if (!tree.anyAlive()) {
                cgroup.ifPresent(Cgroup::remove);
                continue;
            }
            RunJournal old = new RunJournal(store, home, prev.id(), null);
            if ("adopt".equals(spec.orphans())) {
                Path attempts = home.run(prev.id()).resolve("attempts");
                String msg = "run " + prev.id() + " lost its supervisor; adopting its still-running attempt " + v.attempt()
                        + " (process group " + v.pgid() + ") instead of starting a new one (orphans: adopt)";
                warn.accept(msg);
                long self = ProcessHandle.current().pid();
                Map<String, Object> d = new LinkedHashMap<>();
                d.put("pgid", v.pgid());
                d.put("pgid_start", v.pgidStart());
                d.put("orphan_run", prev.id());
                d.put("orphan_attempt", v.attempt());
                journal.emit(EventType.ORPHAN_ADOPTED, 0, msg, d);
                old.emit(EventType.RUN_ENDED, v.attempt(), "supervisor died; its job was adopted by run " + runId,
                        Map.of("outcome", "adopted", "exit_code", Supervisor.TEMPFAIL, "adopted_by", runId, "supervisor_pid", self));
                Path log = attempts.resolve(v.attempt() + ".log");
                long offset = 0;
                try {
                    offset = Files.size(log);
                } catch (IOException e) {
                    // no log yet: follow from the start
                }
                return Optional.of(new Adoption(new AdoptedProcess(v.pgid(), v.pgidStart() == null ? 0 : v.pgidStart(),
                        attempts.resolve(v.attempt() + ".exit"), cgroup), log, offset, home.run(prev.id()).resolve("heartbeat")));
            }
            String msg = "run " + prev.id() + " lost its supervisor but its job (process group " + v.pgid() + ") is still running; "
                    + "stopping it before starting again (orphans: kill)";
            warn.accept(msg);
            JobTree.StopResult r = tree.stop(spec.grace());
            Map<String, Object> d = Map.of("pgid", v.pgid(), "processes", r.processes(), "orphan_run", prev.id());
            journal.emit(EventType.ORPHAN_KILLED, 0, msg, d);
            old.emit(EventType.ORPHAN_KILLED, v.attempt(), "killed by run " + runId, d);
            old.emit(EventType.RUN_ENDED, v.attempt(), "supervisor died; job killed by run " + runId,
                    Map.of("outcome", "orphaned", "exit_code", Supervisor.TEMPFAIL));
        }
        return Optional.empty();
    }

    record Adoption(AdoptedProcess handle, Path log, long offset, Path heartbeat) {}
}
