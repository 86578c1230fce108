package dev.warden.cli;

import dev.warden.spec.SpecLoader;
import dev.warden.store.Store;
import dev.warden.store.WardenHome;
import dev.warden.supervise.Console;
import dev.warden.supervise.SpecAdvisor;
import dev.warden.supervise.Supervisor;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;

/** The verbs a user types in another shell, against a real store. */
class CliTest {
    @TempDir
    Path tmp;
    WardenHome home;
    final StringWriter out = new StringWriter();
    final StringWriter err = new StringWriter();

    @BeforeEach
    void home() {
        home = new WardenHome(tmp.resolve("home"));
        System.setProperty("warden.home", home.root().toString());
    }

    @AfterEach
    void clear() {
        System.clearProperty("warden.home");
    }

    int warden(String... args) {
        return Main.execute(new PrintWriter(out), new PrintWriter(err), args);
    }

    String runJob(String yaml) throws Exception {
        Path spec = tmp.resolve("warden.yaml");
        Files.writeString(spec, yaml);
        try (Store store = Store.open(home)) {
            var loaded = SpecLoader.load(spec);
            Supervisor s = new Supervisor(loaded, home, store, new Console(new PrintStream(new ByteArrayOutputStream()), false),
                    null, new SpecAdvisor(loaded.spec(), new dev.warden.supervise.DiagnoseClassifier(dev.warden.diagnose.Diagnoser.load(null, java.util.List.of(), w -> { }))));
            s.run();
            return s.runId();
        }
    }

    @Test
    void psBeforeAnyRunSaysHowToStart() {
        assertThat(warden("ps")).isZero();
        assertThat(out.toString()).contains("no runs yet").contains("warden demo");
    }

    @Test
    void psShowsStateStepLossAndCost() throws Exception {
        Files.writeString(tmp.resolve("line.txt"), "{'loss': 0.25, 'epoch': 1.0}  step 40/40\n");
        String id = runJob("name: psjob\ncommand: cat line.txt\nbudget: {usd_per_hour: 3.6}\n");

        assertThat(warden("ps")).isZero();
        assertThat(out.toString()).contains("RUN", "STATE", "STEP", "LOSS", "COST").contains(id).contains("finished")
                .contains("40/40").contains("0.25").contains("$0.00");
    }

    @Test
    void logsPrintsEveryAttemptUnderAHeaderAndTheEvents() throws Exception {
        Files.writeString(tmp.resolve("n"), "0");
        String id = runJob("name: logjob\ncommand: n=$(cat n); echo $((n+1)) > n; echo \"hello from $WARDEN_ATTEMPT\"; [ $n -ge 1 ]\n"
                + "backoff: {initial: 0s}\nstart_seconds: 0s\n");
        ByteArrayOutputStream captured = new ByteArrayOutputStream();
        PrintStream old = System.out;
        System.setOut(new PrintStream(captured, true));
        try {
            assertThat(warden("logs", "logjob")).isZero();
        } finally {
            System.setOut(old);
        }
        assertThat(captured.toString()).contains("attempt 1 ──", "hello from 1", "attempt 2 ──", "hello from 2");

        assertThat(warden("logs", id.substring(0, id.length() - 2), "--events")).isZero();
        assertThat(out.toString()).contains("run_started").contains("#1 exited").contains("restarting").contains("run_ended");
    }

    @Test
    void steeringAnEndedOrUnknownRunIsOneClearLine() throws Exception {
        String id = runJob("name: done\ncommand: \"true\"\n");

        assertThat(warden("stop", id)).isEqualTo(2);
        assertThat(err.toString()).contains("has already ended (finished)").doesNotContain("Exception");
        assertThat(warden("pause", "nope")).isEqualTo(2);
        assertThat(err.toString()).contains("no run `nope`; `warden ps` lists runs");
    }

    @Test
    void runWithoutASpecOrWithAMissingOneExplainsWhatToDo() {
        assertThat(warden("run", tmp.resolve("missing.yaml").toString())).isEqualTo(78);
        assertThat(err.toString()).contains("not found").contains("warden init").doesNotContain("Exception");

        assertThat(warden("run", "python", "train.py")).isEqualTo(2);
        assertThat(err.toString()).contains("put `--` before it");
    }

    @Test
    void badSpecIsReportedWithLineAndColumn() throws Exception {
        Path spec = tmp.resolve("warden.yaml");
        Files.writeString(spec, "command: python train.py\nmax_restart: 3\n");

        assertThat(warden("run", spec.toString())).isEqualTo(78);
        assertThat(err.toString().strip()).isEqualTo("warden: " + spec + ":2:1: unknown key `max_restart`; did you mean `max_restarts`?");
    }

    @Test
    void logsFollowPrintsEveryAttemptOfALiveRunAndReturnsWhenItEnds() throws Exception {
        Files.writeString(tmp.resolve("n"), "0");
        Path spec = tmp.resolve("warden.yaml");
        Files.writeString(spec, "name: follow\ncommand: n=$(cat n); echo $((n+1)) > n; for i in 1 2 3; do echo \"attempt $WARDEN_ATTEMPT line $i\"; "
                + "sleep 0.2; done; [ $n -ge 1 ]\nbackoff: {initial: 0s}\nstart_seconds: 0s\n");
        java.util.concurrent.CompletableFuture<String> run = java.util.concurrent.CompletableFuture.supplyAsync(() -> {
            try (Store store = Store.open(home)) {
                var loaded = SpecLoader.load(spec);
                Supervisor s = new Supervisor(loaded, home, store, new Console(new PrintStream(new ByteArrayOutputStream()), false), null,
                        new SpecAdvisor(loaded.spec(), new dev.warden.supervise.DiagnoseClassifier(dev.warden.diagnose.Diagnoser.load(null, java.util.List.of(), w -> { }))));
                s.run();
                return s.runId();
            }
        });
        org.awaitility.Awaitility.await().atMost(java.time.Duration.ofSeconds(20)).until(() -> Files.exists(home.run(runIdOf("follow")).resolve("attempts/1.log")));
        ByteArrayOutputStream captured = new ByteArrayOutputStream();
        PrintStream old = System.out;
        System.setOut(new PrintStream(captured, true));
        try {
            assertThat(warden("logs", "follow", "-f")).isZero();
        } finally {
            System.setOut(old);
        }
        assertThat(run.get(30, java.util.concurrent.TimeUnit.SECONDS)).isNotNull();
        assertThat(captured.toString()).contains("attempt 1 line 3", "attempt 2 ──", "attempt 2 line 3");
    }

    private String runIdOf(String name) {
        try (Store store = Store.open(home)) {
            return store.runsNamed(name, 1).stream().findFirst().map(r -> r.id()).orElse("none");
        }
    }
}
