package dev.warden.supervise;

import com.sun.net.httpserver.HttpServer;
import dev.warden.event.Event;
import dev.warden.event.EventType;
import dev.warden.event.RunView;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** The run loop end to end, with small shell scripts as the job. */
class SupervisorTest {
    @TempDir
    Path tmp;

    static final String FAST = "start_seconds: 0s\nbackoff: {initial: 0s}\ngrace: 2s\n";

    @Test
    void crashIsRestartedAndTheRunFinishes() throws Exception {
        try (Harness h = new Harness(tmp)) {
            h.script("job.sh", "n=$(cat count 2>/dev/null || echo 0); echo $((n+1)) > count\n"
                    + "echo \"attempt $WARDEN_ATTEMPT run $WARDEN_RUN_ID\"\n[ $n -ge 1 ] || exit 3\necho done");
            int code = h.run("command: ./job.sh\n" + FAST);

            assertThat(code).isZero();
            assertThat(h.events(EventType.ATTEMPT_STARTED)).hasSize(2);
            Event exited = h.events(EventType.EXITED).get(0);
            assertThat(exited.longValue("exit_code")).isEqualTo(3L);
            assertThat(h.events(EventType.RESTARTING)).hasSize(1);
            assertThat(h.events(EventType.RUN_ENDED).get(0).text("outcome")).isEqualTo("finished");
            assertThat(Files.readString(h.home.run(h.runId()).resolve("attempts/2.log")))
                    .contains("attempt 2 run " + h.runId()).contains("done");
            assertThat(Files.readAllLines(h.home.run(h.runId()).resolve("events.jsonl")))
                    .hasSameSizeAs(h.events());
            assertThat(h.consoleText()).contains("attempt 1 ended: exit 3").contains("finished after 2 attempts");
        }
    }

    @Test
    void theWaitingNextAttemptGetsThisAttemptsCommandAndEnvironmentAndNothingWaitsAfterTheRun() throws Exception {
        try (Harness h = new Harness(tmp)) {
            h.script("job.sh", "n=$(cat count 2>/dev/null || echo 0); echo $((n+1)) > count\n"
                    + "printf 'attempt=%s note=[%s] args=' \"$WARDEN_ATTEMPT\" \"$NOTE\"; printf '<%s>' \"$@\"; echo\n"
                    + "echo \"pgid=$(ps -o pgid= $$ | tr -d ' ') pid=$$\"\n[ $n -ge 2 ] || exit 3");
            int code = h.run("command: [./job.sh, 'a b', '${attempt}']\nenv: {NOTE: \"two words\\nand a line\"}\n" + FAST);

            assertThat(code).isZero();
            Path attempts = h.home.run(h.runId()).resolve("attempts");
            for (int a = 1; a <= 3; a++) {
                String log = Files.readString(attempts.resolve(a + ".log"));
                assertThat(log).contains("attempt=" + a + " note=[two words\nand a line] args=<a b><" + a + ">");
                Event started = h.events(EventType.ATTEMPT_STARTED).get(a - 1);
                assertThat(log).contains("pgid=" + started.longValue("pgid") + " pid=");
                assertThat(attempts.resolve(a + ".exit")).hasContent(a < 3 ? "3" : "0");
            }
            assertThat(attempts.resolve("4.log")).doesNotExist();
            await().atMost(Duration.ofSeconds(5)).until(() -> ProcessHandle.current().children()
                    .noneMatch(p -> p.info().commandLine().orElse("").contains("warden-standby")));
        }
    }

    @Test
    void commandNotFoundIsSaidOnceAndNotRestarted() throws Exception {
        try (Harness h = new Harness(tmp)) {
            int code = h.run("command: no-such-trainer-xyz --lr 1\n" + FAST);

            assertThat(code).isEqualTo(78);
            assertThat(h.events(EventType.ATTEMPT_STARTED)).hasSize(1);
            assertThat(h.events(EventType.RUN_ENDED).get(0).message()).contains("command not found");
        }
    }

    @Test
    void hangIsDetectedAndTheWholeGroupStopped() throws Exception {
        try (Harness h = new Harness(tmp)) {
            h.script("hang.sh", "echo step 1/10\nsleep 1000 &\necho $! > child.pid\nwait");
            int code = h.run("command: ./hang.sh\nstall_after: 1s\nmax_restarts: 0\n" + FAST);

            assertThat(code).isEqualTo(75);
            assertThat(h.events(EventType.STALLED)).singleElement()
                    .satisfies(e -> assertThat(e.message()).contains("no progress for").contains("at step 1/10"));
            long child = Long.parseLong(Files.readString(tmp.resolve("child.pid")).trim());
            assertThat(ProcStat.of(child).filter(ProcStat::alive)).isEmpty();
            assertThat(h.events(EventType.RUN_ENDED).get(0).message()).contains("restarts are off (max_restarts: 0)");
        }
    }

    @Test
    void jobIgnoringSigtermIsKilledAfterTheGrace() throws Exception {
        try (Harness h = new Harness(tmp)) {
            h.script("stubborn.sh", "trap '' TERM\necho $$ > job.pid\nwhile true; do sleep 0.1; done");
            CompletableFuture<Integer> run = h.start("command: ./stubborn.sh\ngrace: 1s\n");
            await().atMost(10, TimeUnit.SECONDS).until(() -> Files.exists(tmp.resolve("job.pid")));
            new ControlRequests(h.home.run(h.runId())).request(ControlRequests.Kind.STOP, "test");

            assertThat(run.get(20, TimeUnit.SECONDS)).isEqualTo(143);
            assertThat(h.events(EventType.STOPPING)).anySatisfy(e -> assertThat(e.message()).contains("sent SIGKILL"));
            long pid = Long.parseLong(Files.readString(tmp.resolve("job.pid")).trim());
            assertThat(ProcStat.of(pid).filter(ProcStat::alive)).isEmpty();
            assertThat(h.events(EventType.RUN_ENDED).get(0).text("outcome")).isEqualTo("stopped");
        }
    }

    @Test
    void aHungJobThatDoesNothingAfterSigtermIsKilledWithoutWaitingOutTheGrace() throws Exception {
        try (Harness h = new Harness(tmp)) {
            h.script("stuck.sh", "trap 'echo got TERM >> term.txt' TERM\necho step 1/10\nsleep 1000 & wait; sleep 1000 & wait");
            int code = h.run("command: ./stuck.sh\nstall_after: 1s\ngrace: 1h\nmax_restarts: 0\n" + FAST.replace("grace: 2s\n", ""));

            assertThat(code).isEqualTo(75);
            assertThat(h.events(EventType.STOPPING)).anySatisfy(e -> assertThat(e.message())
                    .contains("no CPU time, output or checkpoint write for").contains("after SIGTERM; sent SIGKILL"));
            assertThat(tmp.resolve("term.txt")).hasContent("got TERM");
        }
    }

    @Test
    void aHungJobThatSavesOnSigtermGetsItsGrace() throws Exception {
        try (Harness h = new Harness(tmp)) {
            h.script("saver.sh", "trap 'for i in 1 2 3 4 5 6 7 8 9 10; do echo saving $i; sleep 0.2; done; echo saved; exit 143' TERM\n"
                    + "echo step 1/10\nsleep 1000 & wait");
            int code = h.run("command: ./saver.sh\nstall_after: 1s\ngrace: 20s\nmax_restarts: 0\n" + FAST.replace("grace: 2s\n", ""));

            assertThat(code).isEqualTo(75);
            assertThat(Files.readString(h.home.run(h.runId()).resolve("attempts/1.log"))).contains("saving 10").contains("saved");
            assertThat(h.events(EventType.STOPPING)).noneSatisfy(e -> assertThat(e.message()).contains("sent SIGKILL"));
        }
    }

    @Test
    void grandchildrenThatCalledSetsidAreStoppedToo() throws Exception {
        System.setProperty("warden.noCgroup", "true"); // the process-group + subreaper path, as on hosts without cgroups
        try (Harness h = new Harness(tmp)) {
            // one escapee keeps its parent; the other is double-forked so its parent is gone (re-parented to Warden)
            h.script("escape.sh", "setsid sleep 1000 & echo $! > kept.pid\n"
                    + "( setsid sleep 1001 & echo $! > orphan.pid )\n"
                    + "sleep 0.5\nexit 1");
            int code = h.run("command: ./escape.sh\nmax_restarts: 0\n" + FAST);

            assertThat(code).isEqualTo(75);
            for (String f : List.of("kept.pid", "orphan.pid")) {
                long pid = Long.parseLong(Files.readString(tmp.resolve(f)).trim());
                await().atMost(5, TimeUnit.SECONDS).until(() -> ProcStat.of(pid).filter(ProcStat::alive).isEmpty());
            }
            assertThat(h.events(EventType.LEFTOVERS_KILLED)).isNotEmpty();
        } finally {
            System.clearProperty("warden.noCgroup");
        }
    }

    @Test
    void floodOfOutputWithHugeLinesInvalidUtf8AndCarriageReturns() throws Exception {
        try (Harness h = new Harness(tmp)) {
            h.script("flood.py", "");
            Files.writeString(tmp.resolve("flood.py"), String.join("\n",
                    "import sys",
                    "w = sys.stdout.buffer",
                    "w.write(b'x' * (10 * 1024 * 1024) + b'\\n')",
                    "w.write(b'\\xff\\xfe not utf-8 \\xc3\\x28\\n')",
                    "for i in range(1, 201):",
                    "    w.write(('\\r %d%%|####      | %d/200 [00:01<00:00, 99.0it/s, loss=0.5]' % (i // 2, i)).encode())",
                    "w.write(b'\\n')",
                    "w.flush()"));
            int code = h.run("command: python3 flood.py\n" + FAST);

            assertThat(code).isZero();
            RunView v = RunView.fold(h.runId(), h.events());
            assertThat(v.step()).isEqualTo(200L);
            assertThat(v.total()).isEqualTo(200L);
            assertThat(v.loss()).isEqualTo(0.5);
            assertThat(h.echo.size()).isGreaterThan(10 * 1024 * 1024);
        }
    }

    @Test
    void nanLossStopsTheRunByDefault() throws Exception {
        try (Harness h = new Harness(tmp)) {
            h.script("nan.sh", "echo \"{'loss': 0.52, 'epoch': 0.1}\"\necho \"{'loss': nan, 'epoch': 0.2}\"\nsleep 1000");
            int code = h.run("command: ./nan.sh\n" + FAST);

            assertThat(code).isEqualTo(78);
            assertThat(h.events(EventType.NAN_DETECTED)).singleElement()
                    .satisfies(e -> assertThat(e.message()).contains("NaN"));
        }
    }

    @Test
    void oomRetriesWithHalfTheBatchUntilTheMinimum() throws Exception {
        try (Harness h = new Harness(tmp)) {
            h.script("oom.sh", "echo \"batch $1\"\nif [ $1 -gt 8 ]; then echo 'torch.OutOfMemoryError: CUDA out of memory. Tried to allocate 2.00 GiB' >&2; exit 1; fi\necho ok");
            int code = h.run("command: ./oom.sh ${batch_size}\nparams: {batch_size: 32}\non: {cuda_oom: {halve: batch_size, min: 8}}\n" + FAST);

            assertThat(code).isZero();
            assertThat(h.events(EventType.ATTEMPT_STARTED)).extracting(Event::message)
                    .containsExactly("attempt 1 started: ./oom.sh 32", "attempt 2 started: ./oom.sh 16", "attempt 3 started: ./oom.sh 8");
            assertThat(h.consoleText()).contains("batch_size 32 → 16").contains("batch_size 16 → 8");
        }
    }

    @Test
    void pauseAndResumeFromAnotherShell() throws Exception {
        try (Harness h = new Harness(tmp)) {
            h.script("slow.sh", "for i in $(seq 1 150); do echo step $i; sleep 0.03; done");
            CompletableFuture<Integer> run = h.start("command: ./slow.sh\nstall_after: 1s\n" + FAST);
            await().atMost(10, TimeUnit.SECONDS).until(() -> h.has(EventType.ATTEMPT_STARTED));
            ControlRequests control = new ControlRequests(h.home.run(h.runId()));
            control.request(ControlRequests.Kind.PAUSE, "test");
            await().atMost(5, TimeUnit.SECONDS).until(() -> h.has(EventType.PAUSED));
            long pgid = h.events(EventType.ATTEMPT_STARTED).get(0).longValue("pgid");
            await().atMost(5, TimeUnit.SECONDS).until(() -> ProcStat.of(pgid).map(s -> s.state() == 'T').orElse(false));
            Thread.sleep(1500); // longer than stall_after: a paused job must not be called hung
            assertThat(h.has(EventType.STALLED)).isFalse();
            control.request(ControlRequests.Kind.RESUME, "test");

            assertThat(run.get(60, TimeUnit.SECONDS)).isZero();
            assertThat(h.has(EventType.RESUMED)).isTrue();
            assertThat(h.has(EventType.STALLED)).isFalse();
        }
    }

    @Test
    void budgetSignalsEarlyThenStopsAtTheLimit() throws Exception {
        try (Harness h = new Harness(tmp)) {
            h.script("long.sh", "trap 'echo saved > saved.txt' USR1\nwhile true; do echo step $SECONDS; sleep 0.1; done");
            int code = h.run("command: ./long.sh\nbudget: {max_wall: 3s, signal_before: 1500ms, usd_per_hour: 3.6}\n" + FAST);

            assertThat(code).isEqualTo(75);
            assertThat(h.events(EventType.BUDGET_WARNING)).hasSize(1);
            assertThat(h.events(EventType.BUDGET_SIGNAL)).hasSize(1);
            assertThat(h.events(EventType.BUDGET_EXCEEDED)).hasSize(1);
            assertThat(tmp.resolve("saved.txt")).exists();
            assertThat(h.events(EventType.ATTEMPT_STARTED)).hasSize(1);
        }
    }

    @Test
    void disabledBudgetIsNeverExceeded() throws Exception {
        try (Harness h = new Harness(tmp)) {
            int code = h.run("command: sleep 1.2\nbudget: {max_wall: 0s, max_usd: 0, usd_per_hour: 1000000}\n" + FAST);

            assertThat(code).isZero();
            assertThat(h.has(EventType.BUDGET_EXCEEDED)).isFalse();
            assertThat(h.has(EventType.BUDGET_WARNING)).isFalse();
        }
    }

    @Test
    void secondSupervisorOfTheSameJobIsRefusedWithThePid() throws Exception {
        try (Harness h = new Harness(tmp); Harness second = new Harness(tmp)) {
            CompletableFuture<Integer> run = h.start("name: same\ncommand: sleep 30\n" + FAST);
            await().atMost(10, TimeUnit.SECONDS).until(() -> h.has(EventType.ATTEMPT_STARTED));
            Path other = tmp.resolve("other.yaml");
            Files.writeString(other, "name: same\ncommand: sleep 1\n");

            assertThat(catchMessage(() -> second.supervisor(other).run()))
                    .contains("already supervised by pid " + ProcessHandle.current().pid()).contains(h.runId());
            new ControlRequests(h.home.run(h.runId())).request(ControlRequests.Kind.STOP, "test");
            assertThat(run.get(20, TimeUnit.SECONDS)).isEqualTo(143);
        }
    }

    @Test
    void onFinishHookRunsOnceAndWebhookHearsCrashAndEnd() throws Exception {
        List<String> bodies = new CopyOnWriteArrayList<>();
        HttpServer server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.createContext("/hook", ex -> {
            bodies.add(new String(ex.getRequestBody().readAllBytes(), StandardCharsets.UTF_8));
            ex.sendResponseHeaders(200, -1);
            ex.close();
        });
        server.start();
        try (Harness h = new Harness(tmp)) {
            int code = h.run("command: exit 2\nmax_restarts: 0\non_finish: echo \"hook $WARDEN_OUTCOME\" >> hook.txt\n"
                    + "notify: {webhook: \"http://127.0.0.1:" + server.getAddress().getPort() + "/hook\"}\n" + FAST);

            assertThat(code).isEqualTo(75);
            assertThat(Files.readAllLines(tmp.resolve("hook.txt"))).containsExactly("hook gave_up");
            assertThat(h.events(EventType.HOOK_RAN)).singleElement().satisfies(e -> assertThat(e.longValue("exit_code")).isZero());
            await().atMost(5, TimeUnit.SECONDS).until(() -> bodies.size() >= 2);
            assertThat(bodies).anySatisfy(b -> assertThat(b).contains("\"text\"").contains("crashed"));
            assertThat(bodies).anySatisfy(b -> assertThat(b).contains("giving up"));
        } finally {
            server.stop(0);
        }
    }

    @Test
    void unreachableWebhookIsRecordedNotFatal() throws Exception {
        try (Harness h = new Harness(tmp)) {
            int code = h.run("command: \"true\"\nnotify: {webhook: \"http://127.0.0.1:9/nothing\"}\n" + FAST);

            assertThat(code).isZero();
            await().atMost(5, TimeUnit.SECONDS).until(() -> h.has(EventType.NOTIFY_FAILED));
        }
    }

    @Test
    void noProgressAttemptsInARowEndTheRun() throws Exception {
        try (Harness h = new Harness(tmp)) {
            h.script("stuck.sh", "echo step 5/100\nexit 1");
            int code = h.run("command: ./stuck.sh\nmax_restarts: 10\nmax_no_progress: 2\n" + FAST);

            assertThat(code).isEqualTo(75);
            assertThat(h.events(EventType.ATTEMPT_STARTED)).hasSize(2);
            assertThat(h.events(EventType.RUN_ENDED).get(0).message()).contains("made no step progress");
        }
    }

    @Test
    void heartbeatFileKeepsASilentJobAlive() throws Exception {
        try (Harness h = new Harness(tmp)) {
            h.script("quiet.sh", "for i in $(seq 1 25); do touch \"$WARDEN_HEARTBEAT_FILE\"; sleep 0.1; done");
            int code = h.run("command: ./quiet.sh\nstall_after: 1s\n" + FAST);

            assertThat(code).isZero();
            assertThat(h.has(EventType.STALLED)).isFalse();
        }
    }

    private static String catchMessage(ThrowingRunnable r) {
        try {
            r.run();
            return "";
        } catch (Exception e) {
            return String.valueOf(e.getMessage());
        }
    }

    interface ThrowingRunnable {
        void run() throws Exception;
    }

    static Duration seconds(long s) {
        return Duration.ofSeconds(s);
    }

    @Test
    void secretsTheJobPrintsNeverReachEventsConsoleIncidentsOrEvidence() throws Exception {
        try (Harness h = new Harness(tmp)) {
            h.script("leak.sh", "echo \"Traceback (most recent call last):\"\n"
                    + "echo \"requests.exceptions.HTTPError: 401 Client Error: Unauthorized for url: "
                    + "https://huggingface.co/org/model/resolve/main/config.json?token=$MY_API_TOKEN\" >&2\nexit 1");
            int code = h.run("command: ./leak.sh\nenv: {MY_API_TOKEN: s3cr3t-value-123}\nmax_restarts: 0\n" + FAST);

            assertThat(code).isEqualTo(78);
            assertThat(Files.readString(h.home.run(h.runId()).resolve("attempts/1.log"))).as("the job's own log is its own")
                    .contains("s3cr3t-value-123");
            assertThat(h.events()).allSatisfy(e -> assertThat(e.message() + e.data()).doesNotContain("s3cr3t-value-123"));
            assertThat(Files.readString(h.home.run(h.runId()).resolve("events.jsonl"))).doesNotContain("s3cr3t-value-123");
            assertThat(h.consoleText()).doesNotContain("s3cr3t-value-123").contains("access_denied").contains("401 Client Error");
            assertThat(h.store.incidents()).allSatisfy(i -> assertThat(i.summary() + i.signature()).doesNotContain("s3cr3t-value-123"));
            try (var files = Files.walk(h.home.run(h.runId()).resolve("evidence"))) {
                for (Path f : files.filter(Files::isRegularFile).toList()) {
                    assertThat(Files.readString(f)).as(f.toString()).doesNotContain("s3cr3t-value-123");
                }
            }
        }
    }

    @Test
    void processesStillHoldingGpuMemoryAfterTheAttemptAreReportedAndKilled() throws Exception {
        try (Harness h = new Harness(tmp)) {
            h.script("gpu.sh", "echo $$ > job.pid\nsleep 0.3");
            List<Set<Long>> asked = new CopyOnWriteArrayList<>();
            RunHooks fakeGpu = new RunHooks() {
                @Override
                public List<String> gpuHolders(Set<Long> pids) {
                    asked.add(pids);
                    return pids.stream().sorted().limit(1).map(p -> "pid " + p + " holds 20480 MiB on GPU 0").toList();
                }
            };
            var loaded = dev.warden.spec.SpecLoader.load(h.spec("command: ./gpu.sh\n" + FAST));
            int code = new Supervisor(loaded, h.home, h.store, new Console(new java.io.PrintStream(h.console, true), false), null,
                    new SpecAdvisor(loaded.spec(), new DiagnoseClassifier(Harness.DIAGNOSER)), fakeGpu).run();

            assertThat(code).isZero();
            long job = Long.parseLong(Files.readString(tmp.resolve("job.pid")).trim());
            assertThat(asked).singleElement().satisfies(p -> assertThat(p).contains(job));
            assertThat(h.consoleText()).contains("still held GPU memory").contains("20480 MiB on GPU 0").contains("killed them");
        }
    }

    @Test
    void preflightWarningsAreShownWhenTheRunStartsNotOnlyCounted() throws Exception {
        try (Harness h = new Harness(tmp)) {
            RunHooks warns = new RunHooks() {
                @Override
                public Preflight preflight() {
                    return new Preflight(true, List.of("gpu_errors  WARN  Xid 43 on 0000:00:06"), List.of(),
                            "1 checks: 0 PASS, 1 WARN, 0 FAIL in 3ms",
                            List.of("WARN gpu_errors: Xid 43 on 0000:00:06 (application errors of an earlier job)"));
                }
            };
            var loaded = dev.warden.spec.SpecLoader.load(h.spec("command: 'true'\n" + FAST));
            int code = new Supervisor(loaded, h.home, h.store, new Console(new java.io.PrintStream(h.console, true), false), null,
                    new SpecAdvisor(loaded.spec(), new DiagnoseClassifier(Harness.DIAGNOSER)), warns).run();

            assertThat(code).isZero();
            assertThat(h.consoleText()).contains("preflight: 1 checks: 0 PASS, 1 WARN")
                    .contains("WARN gpu_errors: Xid 43 on 0000:00:06 (application errors of an earlier job)");
        }
    }

    @Test
    void aCudaOomNamesTheGpuMemoryHeldOutsideTheJobAndLeavesThatProcessAlone() throws Exception {
        try (Harness h = new Harness(tmp)) {
            Files.copy(Path.of(getClass().getResource("/diagnose/fixtures/h200/torch211_cuda_oom_other_process.txt").toURI()),
                    tmp.resolve("oom.txt"));
            h.script("oom.sh", "echo $$ > job.pid\nsleep 1.5\ncat oom.txt >&2\nexit 1"); // alive past the 1 s tree sample
            List<Set<Long>> asked = new CopyOnWriteArrayList<>();
            RunHooks stray = new RunHooks() {
                @Override
                public List<String> gpuHoldersOutside(Set<Long> jobPids) {
                    asked.add(jobPids);
                    return List.of("pid 1172 (/opt/torch/.venv/bin/python3) holds 57782 MiB on GPU 0");
                }
            };
            var loaded = dev.warden.spec.SpecLoader.load(h.spec("command: ./oom.sh\nmax_restarts: 0\n" + FAST));
            int code = new Supervisor(loaded, h.home, h.store, new Console(new java.io.PrintStream(h.console, true), false), null,
                    new SpecAdvisor(loaded.spec(), new DiagnoseClassifier(Harness.DIAGNOSER)), stray).run();

            assertThat(code).isNotZero();
            long job = Long.parseLong(Files.readString(tmp.resolve("job.pid")).trim());
            assertThat(asked).singleElement().satisfies(p -> assertThat(p).contains(job));
            assertThat(h.consoleText()).contains("cause: cuda_oom")
                    .contains("GPU memory is held outside this job: pid 1172 (/opt/torch/.venv/bin/python3) holds 57782 MiB on GPU 0");
        }
    }
}
