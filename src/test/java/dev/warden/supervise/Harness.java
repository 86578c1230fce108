package dev.warden.supervise;

import dev.warden.event.Event;
import dev.warden.event.EventType;
import dev.warden.spec.JobSpec;
import dev.warden.spec.LoadedSpec;
import dev.warden.spec.SpecDefaults;
import dev.warden.spec.SpecLoader;
import dev.warden.store.Store;
import dev.warden.store.WardenHome;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.concurrent.CompletableFuture;

/** A supervisor in a temp WARDEN_HOME, running a spec written in the test, on its own thread. */
final class Harness implements AutoCloseable {
    /** The shipped rule catalog, loaded once for all tests. */
    static final dev.warden.diagnose.Diagnoser DIAGNOSER = dev.warden.diagnose.Diagnoser.load(null, List.of(), w -> { });
    final Path dir;
    final WardenHome home;
    final Store store;
    final ByteArrayOutputStream console = new ByteArrayOutputStream();
    final ByteArrayOutputStream echo = new ByteArrayOutputStream();
    Supervisor supervisor;

    Harness(Path dir) {
        this.dir = dir;
        this.home = new WardenHome(dir.resolve("home"));
        this.store = Store.open(home);
    }

    Path script(String name, String body) throws IOException {
        Path p = dir.resolve(name);
        Files.writeString(p, "#!/usr/bin/env bash\n" + body + "\n");
        Files.setPosixFilePermissions(p, PosixFilePermissions.fromString("rwxr-xr-x"));
        return p;
    }

    Path spec(String yaml) throws IOException {
        Path p = dir.resolve("warden.yaml");
        Files.writeString(p, yaml);
        return p;
    }

    Supervisor supervisor(Path specFile) {
        LoadedSpec loaded = SpecLoader.load(specFile);
        return supervisor(loaded);
    }

    Supervisor supervisor(LoadedSpec loaded) {
        JobSpec spec = loaded.spec();
        supervisor = new Supervisor(loaded, home, store, new Console(new PrintStream(console, true, StandardCharsets.UTF_8), false),
                echo, new SpecAdvisor(spec, new DiagnoseClassifier(DIAGNOSER)));
        return supervisor;
    }

    int run(String yaml) throws IOException {
        return supervisor(spec(yaml)).run();
    }

    CompletableFuture<Integer> start(String yaml) throws IOException {
        Supervisor s = supervisor(spec(yaml));
        return CompletableFuture.supplyAsync(s::run, r -> {
            Thread t = new Thread(r, "test-supervisor");
            t.setDaemon(true);
            t.start();
        });
    }

    String runId() {
        return supervisor.runId();
    }

    List<Event> events() {
        return supervisor.runId() == null ? List.of() : store.events(supervisor.runId(), 0);
    }

    List<Event> events(EventType type) {
        return events().stream().filter(e -> e.type() == type).toList();
    }

    boolean has(EventType type) {
        return !events(type).isEmpty();
    }

    String consoleText() {
        return console.toString(StandardCharsets.UTF_8);
    }

    static LoadedSpec defaults(JobSpec raw, Path dir) {
        return new LoadedSpec(SpecDefaults.apply(raw, dir, "job"), null, dir);
    }

    @Override
    public void close() {
        store.close();
    }
}
