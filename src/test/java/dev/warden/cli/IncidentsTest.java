package dev.warden.cli;

import dev.warden.diagnose.Diagnoser;
import dev.warden.spec.SpecLoader;
import dev.warden.store.Store;
import dev.warden.store.WardenHome;
import dev.warden.supervise.Console;
import dev.warden.supervise.DiagnoseClassifier;
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
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** The operations memory, as a user meets it: a failure once, then a check that catches it before the next run. */
class IncidentsTest {
    @TempDir
    Path tmp;
    WardenHome home;
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();

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
        out = new StringWriter();
        err = new StringWriter();
        return Main.execute(new PrintWriter(out), new PrintWriter(err), args);
    }

    int run(Path spec) {
        try (Store store = Store.open(home)) {
            var loaded = SpecLoader.load(spec);
            return new Supervisor(loaded, home, store, new Console(new PrintStream(new ByteArrayOutputStream()), false), null,
                    new SpecAdvisor(loaded.spec(), new DiagnoseClassifier(Diagnoser.load(null, List.of(), w -> { })))).run();
        }
    }

    @Test
    void missingModuleIsRecordedGroupedNotedExportedAndLearnedAsAnImportCheck() throws Exception {
        Path spec = tmp.resolve("warden.yaml");
        Files.writeString(spec, "# my job\ncommand: python3 -c \"import flash_attn_missing_xyz\"\nstart_seconds: 0s\n");

        assertThat(run(spec)).as("a missing module is deterministic: no retry").isEqualTo(78);
        assertThat(run(spec)).isEqualTo(78);

        assertThat(warden("incidents")).isZero();
        String list = out.toString();
        assertThat(list).contains("missing_dependency").contains("flash_attn_missing_xyz");
        String id = list.lines().skip(1).findFirst().orElseThrow().split("\\s+")[0];
        assertThat(list.lines().skip(1).findFirst().orElseThrow().split("\\s+")[2]).as("both runs, one incident").isEqualTo("2");

        assertThat(warden("incidents", "note", id, "pip install flash-attn==2.5.8 --no-build-isolation")).isZero();
        assertThat(warden("incidents", "show", id)).isZero();
        assertThat(out.toString()).contains("seen 2 times").contains("note").contains("flash-attn==2.5.8").contains("evidence bundle:");

        Path md = tmp.resolve("OPERATIONS.md");
        assertThat(warden("incidents", "export", "--markdown", md.toString())).isZero();
        assertThat(Files.readString(md)).contains("## missing_dependency").contains("Fix (").contains("flash-attn==2.5.8");

        assertThat(warden("incidents", "learn", id, "--yes")).isZero();
        assertThat(out.toString()).contains("+  - {import: [flash_attn_missing_xyz]}");
        String learned = Files.readString(spec);
        assertThat(learned).startsWith("# my job\n").contains("checks:\n  - {import: [flash_attn_missing_xyz]}   # learned from incident " + id);

        assertThat(warden("check", spec.toString())).as("caught before the next run").isEqualTo(1);
        assertThat(out.toString()).contains("import").contains("FAIL").contains("flash_attn_missing_xyz");

        assertThat(warden("incidents", "learn", id, "--yes")).isZero();
        assertThat(out.toString()).contains("already has");
        assertThat(Files.readString(spec)).isEqualTo(learned);
    }

    @Test
    void incidentWithoutAPreflightCheckSaysSo() throws Exception {
        Path spec = tmp.resolve("warden.yaml");
        Files.writeString(spec, "command: python3 -c \"import os, signal; os.kill(os.getpid(), signal.SIGSEGV)\"\nmax_restarts: 0\n");
        run(spec);
        assertThat(warden("incidents")).isZero();
        String id = out.toString().lines().skip(1).findFirst().orElseThrow().split("\\s+")[0];
        assertThat(out.toString()).contains("segfault");

        assertThat(warden("incidents", "learn", id)).isEqualTo(1);
        assertThat(err.toString()).contains("has no preflight check that would catch it").contains("warden incidents note");
    }
}
