package dev.warden.supervise;

import dev.warden.UserError;
import dev.warden.event.EventType;
import dev.warden.spec.Command;
import dev.warden.spec.Durations;
import dev.warden.spec.JobSpec;
import dev.warden.spec.LoadedSpec;
import dev.warden.spec.Params;
import dev.warden.diagnose.Signals;
import dev.warden.diagnose.EvidenceBundle;
import dev.warden.diagnose.ExitInfo;
import dev.warden.diagnose.Redactor;
import dev.warden.diagnose.Signature;
import dev.warden.diagnose.Verdict;
import dev.warden.store.Incident;
import dev.warden.store.RunJournal;
import dev.warden.store.RunRecord;
import dev.warden.store.Store;
import dev.warden.store.WardenHome;

import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ThreadLocalRandom;

/**
 * The attempt loop: launch, follow, watch (exit, hang, NaN, budget, requests), stop the whole tree, decide, and
 * again. Every transition is an event. See DESIGN.md "How a run flows".
 */
public final class Supervisor {
    /** Warden's exit codes: one contract for shells, Slurm and Kubernetes. */
    public static final int FINISHED = 0, TEMPFAIL = 75, NEEDS_PERSON = 76, CONFIG = 78, INTERRUPTED_INT = 130, INTERRUPTED_TERM = 143;

    private static final long TICK_MS = 100;
    /** How long a hung job may show no sign of acting on SIGTERM before it is killed (see {@link #stopHung}). */
    static final Duration HUNG_IDLE = Duration.ofMillis(500);
    /** The next attempt's wrapper, started and waiting (null when none). */
    private Standby standby;
    private static final Duration PROGRESS_EVENT_EVERY = Duration.ofSeconds(5);

    private final LoadedSpec loaded;
    private final JobSpec spec;
    private final WardenHome home;
    private final Store store;
    private final Console console;
    private final OutputStream echo;
    private final FailureAdvisor advisor;
    private final RunHooks hooks;
    private final Redactor redactor;
    private final Map<String, Object> params;
    private volatile int interruptSignal;
    private boolean startupGarbageCollected;
    private CheckpointRuntime checkpoints;
    private volatile long budgetSignalAt;
    private volatile boolean sealedAfterSignal;
    private Long nanStep;
    private String runId;
    private RunJournal journal;
    private Notifier notifier;

    public Supervisor(LoadedSpec loaded, WardenHome home, Store store, Console console, OutputStream echo, FailureAdvisor advisor) {
        this(loaded, home, store, console, echo, advisor, RunHooks.NONE);
    }

    public Supervisor(LoadedSpec loaded, WardenHome home, Store store, Console console, OutputStream echo, FailureAdvisor advisor,
                      RunHooks hooks) {
        this.hooks = hooks;
        Map<String, String> env = new HashMap<>(System.getenv());
        env.putAll(loaded.spec().env());
        this.redactor = Redactor.of(env, loaded.spec().secrets());
        this.loaded = loaded;
        this.spec = loaded.spec();
        this.home = home;
        this.store = store;
        this.console = console;
        this.echo = echo;
        this.advisor = advisor;
        this.params = new LinkedHashMap<>(spec.params());
    }

    /** Called from a signal handler: SIGINT (2) or SIGTERM (15) to Warden itself. */
    public void interrupt(int signal) {
        interruptSignal = signal;
    }

    public String runId() {
        return runId;
    }

    public static String newRunId(String name) {
        String stamp = DateTimeFormatter.ofPattern("yyMMdd-HHmmss", Locale.ROOT).withZone(ZoneId.systemDefault()).format(Instant.now());
        return name + "-" + stamp + "-" + String.format("%04x", ThreadLocalRandom.current().nextInt(0x10000));
    }

    public int run() {
        runId = newRunId(spec.name());
        JobLock.Acquired acquired = JobLock.acquire(home, spec.name(), runId);
        try (JobLock ignored = acquired.lock()) {
            return supervise(acquired.takeoverNote());
        }
    }

    private int supervise(String takeoverNote) {
        Path runDir = home.run(runId);
        try {
            Files.createDirectories(runDir.resolve("attempts"));
        } catch (IOException e) {
            throw new UserError("cannot create " + runDir + ": " + e.getMessage() + "; check WARDEN_HOME", UserError.CONFIG);
        }
        store.createRun(new RunRecord(runId, spec.name(), spec.command().display(), loaded.file() == null ? null : loaded.file().toString(),
                spec.workdir(), hostname(), Instant.now()));
        journal = new RunJournal(store, home, runId, null, redactor::redact);
        notifier = new Notifier(spec.notifications() == null ? null : spec.notifications().webhook(),
                msg -> journal.emit(EventType.NOTIFY_FAILED, 0, msg));
        long self = ProcessHandle.current().pid();
        Map<String, Object> startData = new LinkedHashMap<>();
        startData.put("supervisor_pid", self);
        startData.put("supervisor_start", ProcStat.of(self).map(ProcStat::startTicks).orElse(0L));
        startData.put("name", spec.name());
        startData.put("command", spec.command().display());
        startData.put("spec", loaded.source());
        startData.put("usd_per_hour", spec.budget().usdPerHour());
        journal.emit(EventType.RUN_STARTED, 0, "run " + runId + " of `" + spec.name() + "` started", startData);
        if (takeoverNote != null) {
            journal.emit(EventType.LOCK_TAKEN_OVER, 0, takeoverNote);
            warn(takeoverNote);
        }
        Outcome refused = preflight();
        if (refused != null) {
            return finish(refused);
        }
        Libc.becomeSubreaper();
        Optional<PreviousRun.Adoption> adoption = new PreviousRun(store, home, spec, runId, journal, this::warn).settle();
        Outcome checkpointRefusal = prepareCheckpoints();
        if (checkpointRefusal != null) {
            return finish(checkpointRefusal);
        }

        long runStart = System.nanoTime();
        Budget budget = new Budget(spec.budget());
        RestartPolicy policy = RestartPolicy.of(spec, ThreadLocalRandom.current());
        ControlRequests control = new ControlRequests(runDir);
        SpecWatch specWatch = new SpecWatch(loaded.file());
        Outcome outcome;
        int attempt = 0;
        while (true) {
            attempt++;
            AttemptEnd end;
            if (attempt == 1 && adoption.isPresent()) {
                PreviousRun.Adoption a = adoption.get();
                journal.emit(EventType.ATTEMPT_STARTED, 1, "attempt 1 is the adopted job (process group " + a.handle().pid() + ")",
                        Map.of("pid", a.handle().pid(), "pgid", a.handle().pid(), "pgid_start", a.handle().startTicks(),
                                "log", a.log().toString(), "adopted", true));
                say("run " + runId + " · attempt 1 · following the adopted job in " + a.log());
                end = watch(1, a.handle(), a.log(), a.offset(), a.heartbeat(), runStart, budget, control, specWatch);
            } else {
                end = runAttempt(attempt, runStart, budget, control, specWatch);
            }
            if (end.outcome != null) {
                outcome = end.outcome;
                break;
            }
            AttemptResult result = end.result;
            if (result.exit().success() && result.stoppedFor() == null) {
                store.attemptEnded(runId, attempt, 0, null, null);
                outcome = new Outcome("finished", FINISHED, "finished after " + attempt + " attempt" + (attempt > 1 ? "s" : ""));
                break;
            }
            Path bundle = end.bundle != null ? end.bundle : captureEvidence(attempt, result.log(), result.exit(), List.of());
            result = result.withEvidence(bundle);
            Advice advice = advisor.advise(result);
            journal.emit(EventType.DIAGNOSED, attempt, advice.cause(), Map.of("category", advice.category(),
                    "retryable", advice instanceof Advice.Retry, "rule", advice.verdict().ruleId(),
                    "evidence", bundle == null ? "" : bundle.toString()));
            store.attemptEnded(runId, attempt, result.exit().code(), result.exit().signal(), advice.category());
            recordIncident(attempt, advice, bundle);
            say("cause: " + headline(advice.verdict()));
            if ("cuda_oom".equals(advice.category())) {
                reportForeignGpuHolders(attempt);
            }
            if (advice instanceof Advice.Stop && advice.verdict().suggestion() != null && !advice.verdict().suggestion().isBlank()) {
                say("what to do: " + advice.verdict().suggestion());
            }
            if (advice instanceof Advice.Stop stop) {
                outcome = new Outcome("failed", stop.exitCode(), "not retrying: " + stop.cause());
                break;
            }
            Advice.Retry retry = (Advice.Retry) advice;
            if ("nan_loss".equals(advice.category()) && checkpoints != null && nanStep != null) {
                for (Path moved : checkpoints.setAsideFrom(nanStep, "nan")) {
                    String m = "moved " + moved.getFileName() + " aside: written at or after step " + nanStep
                            + ", where the loss turned NaN; the retry resumes from an earlier checkpoint";
                    journal.emit(EventType.CHECKPOINT_QUARANTINED, attempt, m, Map.of("path", moved.toString(), "nan_step", nanStep));
                    warn(m);
                }
                nanStep = null;
            }
            RestartPolicy.Decision d = policy.afterFailure(System.nanoTime(), result.ranFor(), result.madeProgress(),
                    !retry.paramChanges().isEmpty());
            if (d instanceof RestartPolicy.GiveUp g) {
                outcome = new Outcome("gave_up", TEMPFAIL, "giving up: " + g.reason() + "; last cause: " + retry.cause());
                break;
            }
            RestartPolicy.Restart r = (RestartPolicy.Restart) d;
            for (String gpu : retry.excludeGpus()) {
                hooks.excludeGpu(gpu, retry.verdict().errorLine());
                journal.emit(EventType.DIAGNOSED, attempt, "GPU " + gpu + " excluded from later attempts and runs (`warden gpu include` undoes it)",
                        Map.of("excluded_gpu", gpu));
                warn("GPU " + gpu + " excluded: " + retry.verdict().category());
            }
            Map<String, Object> changes = retry.paramChanges();
            StringBuilder what = new StringBuilder();
            changes.forEach((k, v) -> what.append(", ").append(k).append(' ').append(Params.render("${x}", Map.of("x", params.getOrDefault(k, "?"))))
                    .append(" → ").append(Params.render("${x}", Map.of("x", v))));
            params.putAll(changes);
            Duration elapsed = Duration.ofNanos(System.nanoTime() - runStart);
            Map<String, Object> data = new LinkedHashMap<>();
            data.put("delay_ms", r.delay().toMillis());
            data.put("restart", r.restartNumber());
            data.put("restarts_left", r.restartsLeft());
            data.put("changes", changes);
            data.put("elapsed_s", elapsed.toSeconds());
            String budgetLeft = budget.limit().map(l -> "; budget " + budget.describe(elapsed)).orElse("");
            String msg = "restarting " + (r.delay().isZero() ? "now" : "in " + Durations.human(r.delay())) + what
                    + " (restart " + r.restartNumber() + " of at most " + spec.maxRestarts() + " per " + Durations.human(spec.restartWindow())
                    + budgetLeft + ")";
            journal.emit(EventType.RESTARTING, attempt, msg, data);
            say(msg);
            Outcome during = waitBackoff(r.delay(), control);
            if (during != null) {
                outcome = during;
                break;
            }
        }
        return finish(outcome);
    }

    private AttemptEnd runAttempt(int attempt, long runStart, Budget budget, ControlRequests control, SpecWatch specWatch) {
        Path runDir = home.run(runId);
        Path log = runDir.resolve("attempts").resolve(attempt + ".log");
        Path exitFile = runDir.resolve("attempts").resolve(attempt + ".exit");
        Path heartbeat = runDir.resolve("heartbeat");
        Map<String, Object> values = new HashMap<>(params);
        values.put("run_id", runId);
        values.put("attempt", attempt);
        values.putIfAbsent("checkpoint", "");
        Optional<Path> resume = resumePoint(attempt);
        resume.ifPresent(p -> values.put("checkpoint", p.toString()));
        Command cmd = spec.command().map(s -> Params.render(s, values));
        if (resume.isPresent() && checkpoints.resumeArg() != null && !spec.command().display().contains("${checkpoint}")) {
            String arg = Params.render(checkpoints.resumeArg(), values);
            cmd = cmd.shell() != null ? Command.shell(cmd.shell() + " " + arg)
                    : Command.argv(java.util.stream.Stream.concat(cmd.argv().stream(), java.util.Arrays.stream(arg.trim().split("\\s+"))).toList());
        }
        Map<String, String> env = new LinkedHashMap<>();
        resume.ifPresent(p -> env.put("WARDEN_RESUME_FROM", p.toString()));
        spec.env().forEach((k, v) -> env.put(k, Params.render(v, values)));
        env.put("WARDEN_RUN_ID", runId);
        env.put("WARDEN_ATTEMPT", Integer.toString(attempt));
        env.put("WARDEN_HEARTBEAT_FILE", heartbeat.toString());
        env.put("PYTHONUNBUFFERED", "1");
        env.putAll(hooks.deviceEnv(spec.env()));

        Optional<ChildProcess> ready = Optional.empty();
        if (standby != null) {
            ready = standby.attempt() == attempt ? standby.go(cmd.toArgv(), env, log, exitFile) : Optional.empty();
            if (ready.isEmpty()) {
                standby.cancel();
            }
            standby = null;
        }
        ChildProcess child;
        Optional<Cgroup> cgroup;
        if (ready.isPresent()) {
            child = ready.get();
            cgroup = child.tree().cgroup();
        } else {
            cgroup = Cgroup.create(runId + "-" + attempt);
            try {
                child = ChildProcess.start(cmd.toArgv(), Path.of(spec.workdir()), env, log, exitFile, cgroup);
            } catch (IOException e) {
                cgroup.ifPresent(Cgroup::remove);
                return AttemptEnd.of(new Outcome("failed", CONFIG, "cannot start the command in " + spec.workdir() + ": " + e.getMessage()));
            }
        }
        if (spec.maxRestarts() > 0) {
            // the next attempt's wrapper waits ready, so a crash is followed by the next start within milliseconds
            standby = Standby.prepare(attempt + 1, Path.of(spec.workdir()), Cgroup.create(runId + "-" + (attempt + 1))).orElse(null);
        }
        store.attemptStarted(runId, attempt, child.pid(), log.toString());
        Map<String, Object> data = new LinkedHashMap<>();
        data.put("pid", child.pid());
        data.put("pgid", child.pid());
        data.put("pgid_start", child.startTicks());
        data.put("command", cmd.display());
        data.put("log", log.toString());
        data.put("params", new LinkedHashMap<>(params));
        data.put("cgroup", cgroup.map(c -> c.path().toString()).orElse(null));
        journal.emit(EventType.ATTEMPT_STARTED, attempt, "attempt " + attempt + " started: " + cmd.display(), data);
        say("run " + runId + " · attempt " + attempt + " · " + cmd.display());
        return watch(attempt, child, log, 0, heartbeat, runStart, budget, control, specWatch);
    }

    private AttemptEnd watch(int attempt, AttemptHandle child, Path log, long logOffset, Path heartbeat, long runStart, Budget budget,
                             ControlRequests control, SpecWatch specWatch) {
        long started = System.nanoTime();
        Progress progress = new Progress(started);
        LogTail tail = new LogTail(log, logOffset, echo, new ProgressParser(spec.progress()), progress);
        Thread tailThread = new Thread(tail, "warden-logtail-" + attempt);
        tailThread.setDaemon(true);
        tailThread.start();
        StallDetector stall = new StallDetector(spec.stallAfter(), spec.startupStall());
        JobTree tree = child.tree();
        String stoppedFor = null;
        String stoppedDetail = null;
        Path bundle = null;
        Outcome outcome = null;
        boolean paused = false;
        long lastSample = 0;
        long lastProgressEvent = 0;
        Long lastReportedStep = null;
        long heartbeatSeen = mtime(heartbeat);
        long logSizeSeen = size(log);
        try {
            while (!child.waitFor(TICK_MS)) {
                long now = System.nanoTime();
                if (interruptSignal != 0) {
                    int sig = interruptSignal;
                    String why = "warden received " + Signals.name(sig) + "; stopping the job gracefully";
                    journal.emit(EventType.STOPPING, attempt, why, Map.of("signal", sig));
                    warn(why);
                    stopTree(attempt, tree);
                    outcome = new Outcome("interrupted", sig == 2 ? INTERRUPTED_INT : INTERRUPTED_TERM, "interrupted by " + Signals.name(sig));
                    break;
                }
                Optional<ControlRequests.Request> req = control.take();
                if (req.isPresent()) {
                    ControlRequests.Request q = req.get();
                    switch (q.kind()) {
                        case STOP -> {
                            journal.emit(EventType.STOP_REQUESTED, attempt, "stop requested by " + q.from(), Map.of("from", q.from()));
                            warn("stop requested by " + q.from() + "; stopping the job gracefully");
                            stopTree(attempt, tree);
                            outcome = new Outcome("stopped", INTERRUPTED_TERM, "stopped on request of " + q.from());
                        }
                        case PAUSE -> {
                            if (!paused) {
                                tree.signal(19);
                                paused = true;
                                journal.emit(EventType.PAUSED, attempt, "paused by " + q.from() + " (SIGSTOP to the process group)");
                                say("paused by " + q.from() + "; `warden resume " + runId + "` continues it");
                            }
                        }
                        case RESUME -> {
                            if (paused) {
                                tree.signal(18);
                                paused = false;
                                progress.output(System.nanoTime());
                                journal.emit(EventType.RESUMED, attempt, "resumed by " + q.from());
                                say("resumed by " + q.from());
                            }
                        }
                    }
                    if (outcome != null) {
                        break;
                    }
                }
                long hb = mtime(heartbeat);
                if (hb != heartbeatSeen) {
                    heartbeatSeen = hb;
                    progress.output(now);
                }
                long logSize = size(log);
                if (logSize != logSizeSeen) {
                    logSizeSeen = logSize;
                    progress.output(now); // output, even before the (lower-priority) follower has read it
                }
                boolean stepSeen = progress.step() != null;
                Duration quiet = paused ? null : stall.stalledFor(progress.lastActivity(), now, progress.stepIntervals(), stepSeen);
                if (quiet != null) {
                    Duration t = stall.timeout(progress.stepIntervals(), stepSeen);
                    String why = "no progress for " + Durations.human(quiet) + " (stall timeout " + Durations.human(t)
                            + (stall.learned() ? ", learned from step times"
                            : stall.startupApplies(stepSeen) ? ", startup_stall before the first step" : "")
                            + ")" + atStep(progress);
                    journal.emit(EventType.STALLED, attempt, why, Map.of("quiet_ms", quiet.toMillis(), "timeout_ms", t.toMillis()));
                    warn("attempt " + attempt + " hangs: " + why + "; stopping the process group");
                    advisor.prepare();
                    // the evidence of a hang is the live process: stacks and GPU state before anything is killed
                    bundle = captureEvidence(attempt, log, null, tree.sample().stream().map(ProcId::pid).toList());
                    stopHung(attempt, tree, log);
                    stoppedFor = "hang";
                    stoppedDetail = why;
                    break;
                }
                if (progress.nonFinite()) {
                    String why = "loss is " + progress.loss() + atStep(progress);
                    journal.emit(EventType.NAN_DETECTED, attempt, why, Map.of("line", String.valueOf(progress.nonFiniteLine())));
                    warn("attempt " + attempt + ": " + why + "; stopping the process group");
                    advisor.prepare();
                    stopTree(attempt, tree);
                    stoppedFor = "nan_loss";
                    stoppedDetail = progress.nonFiniteLine();
                    nanStep = progress.step();
                    break;
                }
                Duration elapsed = Duration.ofNanos(now - runStart);
                Budget.Due due = budget.check(elapsed);
                if (due instanceof Budget.Warning w) {
                    journal.emit(EventType.BUDGET_WARNING, attempt, "budget at " + Math.round(spec.budget().warnAt() * 100) + "%: " + w.what());
                    warn("budget warning: " + w.what());
                    notifier.send("Warden: run " + runId + " has used " + w.what() + " of its budget", Map.of("run", runId));
                } else if (due instanceof Budget.Signal s) {
                    int sig = Signals.parse(spec.budget().signal()).orElse(10);
                    tree.signal(sig);
                    budgetSignalAt = System.nanoTime();
                    journal.emit(EventType.BUDGET_SIGNAL, attempt, Signals.name(sig) + " sent " + Durations.human(s.before())
                            + " before the budget limit, so the trainer can save", Map.of("signal", sig));
                    warn(Signals.name(sig) + " sent to the job: " + Durations.human(s.before()) + " before the budget limit");
                } else if (due instanceof Budget.Exceeded x) {
                    journal.emit(EventType.BUDGET_EXCEEDED, attempt, "budget exhausted: " + x.what(), Map.of("money", x.money()));
                    warn("budget exhausted (" + x.what() + "); stopping the job");
                    notifier.send("Warden: run " + runId + " stopped: budget exhausted (" + x.what() + ")", Map.of("run", runId));
                    stopTree(attempt, tree);
                    boolean resumable = checkpoints == null || sealedAfterSignal;
                    outcome = new Outcome("budget", x.money() || !resumable ? NEEDS_PERSON : TEMPFAIL, "budget exhausted: " + x.what()
                            + (checkpoints == null ? "" : sealedAfterSignal ? "; a checkpoint was sealed after the early signal, so a requeue resumes from it"
                            : "; no new checkpoint was sealed after the early signal"));
                    break;
                }
                if (now - lastSample > 1_000_000_000L) {
                    lastSample = now;
                    if (checkpoints != null) {
                        reportCheckpoints(attempt, checkpoints.poll());
                        if (checkpoints.growing()) {
                            progress.output(now); // a checkpoint being written is a live job, never a hang
                        }
                    }
                    if (!startupGarbageCollected && now - started > 2_000_000_000L) {
                        // start-up (YAML, JDBC, picocli) leaves garbage behind; one collection lets the heap shrink
                        // for the hours the supervisor then idles
                        startupGarbageCollected = true;
                        System.gc();
                    }
                    tree.sample();
                    specWatch.check().ifPresent(m -> journal.emit(EventType.SPEC_CHANGED, 0, m));
                }
                if (now - lastProgressEvent > PROGRESS_EVENT_EVERY.toNanos() && progress.step() != null
                        && !progress.step().equals(lastReportedStep)) {
                    lastProgressEvent = now;
                    lastReportedStep = progress.step();
                    emitProgress(attempt, progress);
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            stopTree(attempt, tree);
            outcome = new Outcome("interrupted", INTERRUPTED_INT, "interrupted");
        }
        if (!child.exited()) {
            stopTree(attempt, tree);
        } else if (outcome == null && child.recordedExit().map(x -> !x.success()).orElse(false)) {
            advisor.prepare(); // a crash: the catalog loads while leftovers are stopped and evidence is captured
        }
        JobTree.StopResult leftovers = tree.stop(spec.grace());
        checkGpuHolders(attempt, tree);
        if (leftovers.processes() > 0) {
            journal.emit(EventType.LEFTOVERS_KILLED, attempt, leftovers.processes() + " process(es) of the job were still running after it exited; stopped them",
                    Map.of("count", leftovers.processes(), "killed", leftovers.killed()));
        }
        tail.finish();
        try {
            tailThread.join(5000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        emitProgress(attempt, progress);
        ExitStatus exit = waitExit(child);
        if (checkpoints != null) {
            reportCheckpoints(attempt, checkpoints.finishAttempt(stoppedFor == null && outcome == null && exit.success()));
        }
        Duration ranFor = Duration.ofNanos(System.nanoTime() - started);
        Boolean madeProgress = progress.anyStep() ? Boolean.valueOf(!progress.stepIntervals().isEmpty()) : null;
        Map<String, Object> ex = new LinkedHashMap<>();
        ex.put("exit_code", exit.code());
        ex.put("signal", exit.signal());
        ex.put("ran_ms", ranFor.toMillis());
        ex.put("stopped_for", stoppedFor);
        ex.put("step", progress.step());
        if (tail.skipped() > 0) {
            ex.put("follower_skipped_bytes", tail.skipped()); // a flood: progress came from the newest output
        }
        String how = stoppedFor != null ? "stopped by Warden (" + stoppedFor + ")" : exit.describe();
        journal.emit(EventType.EXITED, attempt, "attempt " + attempt + " ended: " + how + " after " + Durations.human(ranFor) + atStep(progress), ex);
        if (outcome == null) {
            say("attempt " + attempt + " ended: " + how + " after " + Durations.human(ranFor) + atStep(progress));
            if (!exit.success() && stoppedFor == null) {
                notifier.send("Warden: run " + runId + " attempt " + attempt + " crashed (" + exit.describe() + ")", Map.of("run", runId));
            } else if (stoppedFor != null) {
                notifier.send("Warden: run " + runId + " attempt " + attempt + " stopped: " + stoppedFor, Map.of("run", runId));
            }
        } else {
            store.attemptEnded(runId, attempt, exit.code(), exit.signal(), outcome.kind);
        }
        for (JobTree.StopResult s : List.of(leftovers)) {
            if (!s.stuck().isEmpty()) {
                String pids = s.stuck().stream().map(p -> p.pid() + " (state " + p.state() + ")").toList().toString();
                journal.emit(EventType.NODE_PROBLEM, attempt, "processes that SIGKILL cannot end: " + pids
                        + "; uninterruptible I/O (D state) means a driver or filesystem problem on this node", Map.of("pids", pids));
                warn("node problem: " + pids + " survive SIGKILL (D state); not waiting on them");
                if (outcome == null) {
                    outcome = new Outcome("node_problem", TEMPFAIL, "a process of the job is stuck in uninterruptible I/O; retry on another node");
                }
            }
        }
        AttemptResult result = new AttemptResult(attempt, exit, stoppedFor, stoppedDetail, log, ranFor, madeProgress, Map.copyOf(params));
        return new AttemptEnd(result, outcome, bundle);
    }

    private void emitProgress(int attempt, Progress p) {
        if (p.step() == null && p.loss() == null) {
            return;
        }
        Map<String, Object> d = new LinkedHashMap<>();
        d.put("step", p.step());
        d.put("total", p.total());
        d.put("loss", p.loss());
        journal.emit(EventType.PROGRESS, attempt, "step " + p.step() + (p.total() == null ? "" : "/" + p.total())
                + (p.loss() == null ? "" : ", loss " + p.loss()), d);
    }

    private void stopTree(int attempt, JobTree tree) {
        journal.emit(EventType.STOPPING, attempt, "SIGTERM to process group " + tree.pgid() + ", up to " + Durations.human(spec.grace())
                + " grace, then SIGKILL");
        JobTree.StopResult r = tree.stop(spec.grace());
        if (r.killed()) {
            journal.emit(EventType.STOPPING, attempt, "grace of " + Durations.human(spec.grace()) + " ran out; sent SIGKILL");
        }
    }

    /**
     * A hung job gets the grace only while it shows that it acts on SIGTERM: a trainer whose main thread is stuck
     * in a collective or a dead dataloader never runs its handler, and waiting out a 30 s grace for it is 30 s of
     * every GPU of the job.
     */
    private void stopHung(int attempt, JobTree tree, Path log) {
        journal.emit(EventType.STOPPING, attempt, "SIGTERM to process group " + tree.pgid() + ", up to " + Durations.human(spec.grace())
                + " grace while it shows activity (CPU time, output, checkpoint writes), then SIGKILL");
        JobTree.StopResult r = tree.stop(spec.grace(), HUNG_IDLE,
                () -> size(log) * 31 + (checkpoints == null ? 0 : checkpoints.activitySignature()));
        if (r.killed()) {
            journal.emit(EventType.STOPPING, attempt, tree.idleKilled()
                    ? "no CPU time, output or checkpoint write for " + Durations.human(HUNG_IDLE) + " after SIGTERM; sent SIGKILL"
                    : "grace of " + Durations.human(spec.grace()) + " ran out; sent SIGKILL");
        }
    }

    private ExitStatus waitExit(AttemptHandle child) {
        try {
            while (!child.waitFor(1000)) {
                child.tree().stop(Duration.ZERO);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        return child.exitStatus();
    }

    private Outcome waitBackoff(Duration delay, ControlRequests control) {
        long until = System.nanoTime() + delay.toNanos();
        do {
            if (interruptSignal != 0) {
                return new Outcome("interrupted", interruptSignal == 2 ? INTERRUPTED_INT : INTERRUPTED_TERM,
                        "interrupted by " + Signals.name(interruptSignal) + " while waiting to restart");
            }
            Optional<ControlRequests.Request> r = control.take();
            if (r.isPresent() && r.get().kind() == ControlRequests.Kind.STOP) {
                journal.emit(EventType.STOP_REQUESTED, 0, "stop requested by " + r.get().from(), Map.of("from", r.get().from()));
                return new Outcome("stopped", INTERRUPTED_TERM, "stopped on request of " + r.get().from());
            }
            if (delay.isZero()) {
                break;
            }
            try {
                Thread.sleep(Math.min(TICK_MS, Math.max(1, (until - System.nanoTime()) / 1_000_000)));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return new Outcome("interrupted", INTERRUPTED_INT, "interrupted");
            }
        } while (System.nanoTime() < until);
        return null;
    }

    private int finish(Outcome o) {
        if (standby != null) {
            standby.cancel();
            standby = null;
        }
        Cgroup.awaitRemovals();
        Map<String, Object> d = new LinkedHashMap<>();
        d.put("outcome", o.kind);
        d.put("exit_code", o.exitCode);
        journal.emit(EventType.RUN_ENDED, 0, o.message, d);
        if (o.exitCode == FINISHED) {
            say("run " + runId + " " + o.message);
        } else {
            String m = o.message.length() > 220 ? o.message.substring(0, 219) + "… (all of it: `warden logs " + runId + " --events`)" : o.message;
            warn("run " + runId + " " + m + " (warden exits " + o.exitCode + ")");
        }
        notifier.send("Warden: run " + runId + " " + o.message, Map.of("run", runId, "outcome", o.kind)).join();
        runOnFinish(o);
        if (checkpoints != null) {
            checkpoints.close();
        }
        return o.exitCode;
    }

    private void runOnFinish(Outcome o) {
        if (spec.onFinish() == null || spec.onFinish().isBlank()) {
            return;
        }
        Path out = home.run(runId).resolve("on_finish.log");
        try {
            ProcessBuilder pb = new ProcessBuilder("bash", "-c", Params.render(spec.onFinish(), Map.of("run_id", runId)))
                    .directory(Path.of(spec.workdir()).toFile()).redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.to(out.toFile()));
            pb.environment().put("WARDEN_RUN_ID", runId);
            pb.environment().put("WARDEN_OUTCOME", o.kind);
            pb.environment().put("WARDEN_EXIT_CODE", Integer.toString(o.exitCode));
            Process p = pb.start();
            boolean done = p.waitFor(10, java.util.concurrent.TimeUnit.MINUTES);
            if (!done) {
                p.destroyForcibly();
            }
            String msg = "on_finish hook " + (done ? "exited " + p.exitValue() : "timed out after 10m") + "; output in " + out;
            journal.emit(EventType.HOOK_RAN, 0, msg, Map.of("exit_code", done ? p.exitValue() : -1, "output", out.toString()));
            say(msg);
        } catch (IOException e) {
            journal.emit(EventType.HOOK_RAN, 0, "on_finish hook could not start: " + e.getMessage(), Map.of("exit_code", -1));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }


    /**
     * A CUDA OOM while another process, not of this job, holds GPU memory (a stray from an earlier run, someone
     * else's notebook): retrying or halving the batch may not help while it runs, and Warden does not kill what is
     * not its own, so it names it.
     */
    private void reportForeignGpuHolders(int attempt) {
        List<String> others = hooks.gpuHoldersOutside(lastJobPids);
        if (others.isEmpty()) {
            return;
        }
        String msg = "GPU memory is held outside this job: " + String.join("; ", others)
                + "; while it runs, a retry may run out of memory again (stop it, or `warden gpu exclude N` that GPU)";
        journal.emit(EventType.DIAGNOSED, attempt, msg, Map.of("foreign_gpu_holders", others.size()));
        warn(msg);
    }

    /**
     * After the attempt: a process of the job that still holds GPU memory (one that escaped every other net, or
     * a pid reused by nvidia-smi's view of a container) is reported and killed, so the next attempt gets the GPU.
     */
    private void checkGpuHolders(int attempt, JobTree tree) {
        Set<Long> pids = tree.everSeen();
        lastJobPids = pids;
        if (pids.isEmpty()) {
            return;
        }
        List<String> holders = hooks.gpuHolders(pids);
        if (holders.isEmpty()) {
            return;
        }
        for (String h : holders) {
            java.util.regex.Matcher m = java.util.regex.Pattern.compile("^pid (\\d+)").matcher(h);
            if (m.find()) {
                Libc.kill(Long.parseLong(m.group(1)), 9);
            }
        }
        String msg = "after the attempt, processes of the job still held GPU memory: " + String.join("; ", holders) + "; killed them";
        journal.emit(EventType.LEFTOVERS_KILLED, attempt, msg, Map.of("gpu_holders", holders.size()));
        warn(msg);
    }

    /** Warden's own terminal lines quote the job's log: secrets are masked there too. */
    private void say(String line) {
        console.say(redactor.redact(line));
    }

    private void warn(String line) {
        console.warn(redactor.redact(line));
    }

    /** "cuda_oom — log line 10: torch.OutOfMemoryError: CUDA out of memory. Tried to allocate 2.00 GiB…" */
    static String headline(Verdict v) {
        String line = v.errorLine();
        if (line.isBlank()) {
            return v.category();
        }
        int n = v.evidence().get(0).line();
        String text = line.length() > 110 ? line.substring(0, 109) + "…" : line;
        return v.category() + " — " + (n > 0 ? "log line " + n + ": " : "") + text;
    }

    private static String atStep(Progress p) {
        if (p.step() == null) {
            return "";
        }
        return " at step " + p.step() + (p.total() == null ? "" : "/" + p.total());
    }

    /** Fingerprint policy before the first attempt: archive old checkpoints, refuse, or resume as usual. */
    private Outcome prepareCheckpoints() {
        if (spec.checkpoints() == null) {
            return null;
        }
        try {
            checkpoints = new CheckpointRuntime(spec.checkpoints(), loaded.dir(), home);
            dev.warden.checkpoint.ResumeDecision d = checkpoints.decide();
            if (d instanceof dev.warden.checkpoint.ResumeDecision.Refused r) {
                journal.emit(EventType.RESUMING_FROM, 0, "refused: " + r.message());
                return new Outcome("refused", CONFIG, "refused to start: " + r.message());
            }
            journal.emit(EventType.RESUMING_FROM, 0, d.describe(), Map.of("root", checkpoints.root().toString()));
            if (d instanceof dev.warden.checkpoint.ResumeDecision.Archived) {
                warn(d.describe());
            }
            return null;
        } catch (UserError e) {
            return new Outcome("failed", e.exitCode(), e.getMessage());
        }
    }

    /** The newest checkpoint whose seal verifies; corrupt ones are moved aside and recorded. */
    private Optional<Path> resumePoint(int attempt) {
        if (checkpoints == null) {
            return Optional.empty();
        }
        Optional<dev.warden.checkpoint.Checkpoint> c = checkpoints.resumePoint(q -> {
            journal.emit(EventType.CHECKPOINT_QUARANTINED, attempt, q.describe(), Map.of("path", q.checkpoint().path().toString()));
            warn(q.describe());
            store.recordIncident(Signature.of("checkpoint_corrupt " + q.checkpoint().layout()).id(), "checkpoint_corrupt: a sealed checkpoint failed verification",
                    "checkpoint_corrupt", q.describe(), new Incident.Occurrence(runId, attempt, Instant.now(), q.describe(), null));
        });
        checkpoints.startAttempt();
        if (c.isEmpty()) {
            journal.emit(EventType.RESUMING_FROM, attempt, "no verified checkpoint in " + checkpoints.root() + ": starting from step 0");
            return Optional.empty();
        }
        String msg = "resuming from " + c.get().path() + " (step " + c.get().step() + (c.get().sealed() ? ", seal verified" : ", sealed now") + ")";
        journal.emit(EventType.RESUMING_FROM, attempt, msg, Map.of("path", c.get().path().toString(), "step", c.get().step()));
        say(msg);
        return Optional.of(c.get().path());
    }

    private void reportCheckpoints(int attempt, List<dev.warden.checkpoint.CheckpointWatcher.Event> events) {
        for (var e : events) {
            if (e instanceof dev.warden.checkpoint.CheckpointWatcher.Event.Sealed s) {
                if (budgetSignalAt != 0) {
                    sealedAfterSignal = true;
                }
                journal.emit(EventType.CHECKPOINT_SEALED, attempt, "sealed " + s.checkpoint().path().getFileName() + " (step " + s.checkpoint().step() + ")",
                        Map.of("path", s.checkpoint().path().toString(), "step", s.checkpoint().step()));
            } else if (e instanceof dev.warden.checkpoint.CheckpointWatcher.Event.SealFailed f) {
                journal.emit(EventType.CHECKPOINT_SEALED, attempt, "could not seal " + f.checkpoint().path().getFileName() + ": " + f.message(),
                        Map.of("path", f.checkpoint().path().toString(), "failed", true));
                warn("could not seal " + f.checkpoint().path() + ": " + f.message());
            }
        }
    }

    /** Preflight before anything starts: a FAIL means no attempt and no GPU hour. Null when the run may go on. */
    private Outcome preflight() {
        RunHooks.Preflight p = hooks.preflight();
        for (String id : p.skipped()) {
            journal.emit(EventType.CHECK_SKIPPED, 0, "preflight check `" + id + "` skipped on request (--skip-check)", Map.of("check", id));
        }
        journal.emit(EventType.PREFLIGHT, 0, p.summary(), Map.of("passed", p.passed(), "report", String.join("\n", p.lines())));
        if (!p.passed()) {
            p.lines().forEach(this::warn);
            return new Outcome("preflight_failed", CONFIG, "refused to start: " + p.summary()
                    + " (fix the FAIL lines above, or `--skip-check ID` to override one)");
        }
        if (!p.lines().isEmpty()) {
            say("preflight: " + p.summary());
            p.warnings().forEach(this::say);
        }
        return null;
    }

    /** The evidence bundle of a failed attempt, taken before any retry; null when it could not be written. */
    private Path captureEvidence(int attempt, Path log, ExitStatus exit, List<Long> pids) {
        Path dir = home.run(runId).resolve("evidence").resolve(Integer.toString(attempt));
        try {
            ExitInfo info = exit == null || exit.code() < 0 ? ExitInfo.unknown() : new ExitInfo(exit.code(), exit.signal());
            return EvidenceBundle.capture(dir, log, info, pids, redactor).dir();
        } catch (RuntimeException e) {
            journal.emit(EventType.DIAGNOSED, attempt, "evidence bundle not written: " + e.getMessage());
            return null;
        }
    }

    private void recordIncident(int attempt, Advice advice, Path bundle) {
        Verdict v = advice.verdict();
        Signature sig = v.signature();
        StringBuilder evidence = new StringBuilder();
        v.evidence().stream().limit(12).forEach(e -> evidence.append(e.line() > 0 ? e.line() + ": " : "").append(e.text()).append('\n'));
        String id = store.recordIncident(sig.id(), v.category() + ": " + sig.text(), v.category(), redactor.redact(advice.cause()),
                new Incident.Occurrence(runId, attempt, Instant.now(), redactor.redact(evidence.toString()), bundle == null ? null : bundle.toString()));
        journal.emit(EventType.DIAGNOSED, attempt, "recorded as incident " + id + " (`warden incidents show " + id + "`)", Map.of("incident", id));
    }

    private static long size(Path p) {
        try {
            return Files.size(p);
        } catch (IOException e) {
            return -1;
        }
    }

    private static long mtime(Path p) {
        try {
            return Files.getLastModifiedTime(p).toMillis();
        } catch (IOException e) {
            return 0;
        }
    }

    private static String hostname() {
        try {
            return InetAddress.getLocalHost().getHostName();
        } catch (IOException e) {
            return "localhost";
        }
    }

    private record Outcome(String kind, int exitCode, String message) {}

    /** Every pid the last attempt's process tree had, for telling its GPU memory from other processes'. */
    private Set<Long> lastJobPids = Set.of();

    private record AttemptEnd(AttemptResult result, Outcome outcome, Path bundle) {
        static AttemptEnd of(Outcome o) {
            return new AttemptEnd(null, o, null);
        }
    }

    /** Notices an edit of warden.yaml during a run: it applies to the next run, never to this one. */
    private static final class SpecWatch {
        private final Path file;
        private long seen;

        SpecWatch(Path file) {
            this.file = file;
            this.seen = file == null ? 0 : mtime(file);
        }

        Optional<String> check() {
            if (file == null) {
                return Optional.empty();
            }
            long m = mtime(file);
            if (m != seen) {
                seen = m;
                return Optional.of(file + " changed on disk; this run keeps the spec it started with, the next `warden run` uses the new one");
            }
            return Optional.empty();
        }
    }
}
