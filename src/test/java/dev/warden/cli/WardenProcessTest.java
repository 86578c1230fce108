package dev.warden.cli;

import dev.warden.event.Event;
import dev.warden.event.EventJson;
import dev.warden.event.EventType;
import dev.warden.supervise.ProcStat;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** Warden as a separate process, the way a user runs it: signals to Warden itself, kill -9 and a second start. */
class WardenProcessTest {
    @TempDir
    Path tmp;

    private final List<Process> started = new ArrayList<>();

    /** Whatever a test did or failed to do, no warden and no job of it outlives the test. */
    @org.junit.jupiter.api.AfterEach
    void stopEverything() throws Exception {
        for (Process p : started) {
            p.toHandle().destroyForcibly();
            p.waitFor(10, TimeUnit.SECONDS);
        }
        for (String f : List.of("job.pid", "starts.txt")) {
            Path pids = tmp.resolve(f);
            if (Files.exists(pids)) {
                for (String line : Files.readAllLines(pids)) {
                    long pid = Long.parseLong(line.trim());
                    ProcStat.of(pid).ifPresent(s -> dev.warden.supervise.Libc.kill(-s.pgrp(), 9));
                }
            }
        }
    }

    private Process warden(String... args) throws IOException {
        List<String> cmd = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1", "-cp", System.getProperty("java.class.path"), "dev.warden.cli.Main"));
        cmd.addAll(List.of(args));
        ProcessBuilder pb = new ProcessBuilder(cmd).directory(tmp.toFile()).redirectErrorStream(true)
                .redirectOutput(tmp.resolve("warden-" + System.nanoTime() + ".out").toFile());
        pb.environment().put("WARDEN_HOME", tmp.resolve("home").toString());
        Process p = pb.start();
        started.add(p);
        return p;
    }

    private List<Event> events() throws IOException {
        Path runs = tmp.resolve("home/runs");
        List<Event> all = new ArrayList<>();
        if (!Files.isDirectory(runs)) {
            return all;
        }
        try (var dirs = Files.list(runs)) {
            for (Path d : dirs.sorted().toList()) {
                Path f = d.resolve("events.jsonl");
                if (Files.exists(f)) {
                    for (String line : Files.readAllLines(f)) {
                        all.add(EventJson.parse(line));
                    }
                }
            }
        }
        return all;
    }

    private Path script(String body) throws IOException {
        Path p = tmp.resolve("job.sh");
        Files.writeString(p, "#!/usr/bin/env bash\n" + body + "\n");
        p.toFile().setExecutable(true);
        return p;
    }

    @Test
    void sigtermToWardenStopsTheJobGroupAndExits143() throws Exception {
        script("echo $$ > job.pid\nwhile true; do echo tick; sleep 0.1; done");
        Files.writeString(tmp.resolve("warden.yaml"), "command: ./job.sh\ngrace: 2s\n");
        Process w = warden("run", "warden.yaml");
        await().atMost(20, TimeUnit.SECONDS).until(() -> Files.exists(tmp.resolve("job.pid")));
        long job = Long.parseLong(Files.readString(tmp.resolve("job.pid")).trim());
        w.toHandle().destroy(); // SIGTERM

        assertThat(w.waitFor(20, TimeUnit.SECONDS)).isTrue();
        assertThat(w.exitValue()).isEqualTo(143);
        assertThat(ProcStat.of(job).filter(ProcStat::alive)).isEmpty();
        assertThat(events()).anySatisfy(e -> {
            assertThat(e.type()).isEqualTo(EventType.RUN_ENDED);
            assertThat(e.text("outcome")).isEqualTo("interrupted");
        });
    }

    @Test
    void killedSupervisorLeavesItsJobWhichTheNextRunStopsBeforeStarting() throws Exception {
        // The job records each start; two live copies at once would be the failure.
        script("echo $$ >> starts.txt\nwhile true; do echo step $SECONDS; sleep 0.2; done");
        Files.writeString(tmp.resolve("warden.yaml"), "name: trainer\ncommand: ./job.sh\ngrace: 2s\n");
        Process first = warden("run", "warden.yaml");
        await().atMost(20, TimeUnit.SECONDS).until(() -> Files.exists(tmp.resolve("starts.txt")));
        long firstJob = Long.parseLong(Files.readAllLines(tmp.resolve("starts.txt")).get(0).trim());
        first.toHandle().destroyForcibly(); // kill -9: no chance to clean up
        first.waitFor(10, TimeUnit.SECONDS);
        assertThat(ProcStat.of(firstJob).filter(ProcStat::alive)).as("the job outlives a kill -9 of Warden").isPresent();

        java.io.StringWriter ps = new java.io.StringWriter();
        System.setProperty("warden.home", tmp.resolve("home").toString());
        try {
            Main.execute(new java.io.PrintWriter(ps), new java.io.PrintWriter(new java.io.StringWriter()), "ps");
        } finally {
            System.clearProperty("warden.home");
        }
        assertThat(ps.toString()).contains("orphaned");

        Process second = warden("run", "warden.yaml");
        await().atMost(20, TimeUnit.SECONDS).until(() -> Files.readAllLines(tmp.resolve("starts.txt")).size() >= 2);

        assertThat(ProcStat.of(firstJob).filter(ProcStat::alive)).as("the orphan is gone before the new attempt").isEmpty();
        List<Event> ev = events();
        Event killed = ev.stream().filter(e -> e.type() == EventType.ORPHAN_KILLED && !e.runId().equals(e.text("orphan_run"))).findFirst().orElseThrow();
        Event started = ev.stream().filter(e -> e.type() == EventType.ATTEMPT_STARTED && e.runId().equals(killed.runId())).findFirst().orElseThrow();
        assertThat(killed.seq()).isLessThan(started.seq());
        second.toHandle().destroy();
        assertThat(second.waitFor(20, TimeUnit.SECONDS)).isTrue();
    }

    @Test
    void orphansAdoptFollowsTheLeftJobInsteadOfStartingASecondCopy() throws Exception {
        script("echo $$ >> starts.txt\nfor i in $(seq 1 30); do echo step $i/30; sleep 0.1; done\necho finished-by-itself");
        Files.writeString(tmp.resolve("warden.yaml"), "name: adoptee\ncommand: ./job.sh\norphans: adopt\ngrace: 2s\n");
        Process first = warden("run", "warden.yaml");
        await().atMost(20, TimeUnit.SECONDS).until(() -> Files.exists(tmp.resolve("starts.txt")));
        first.toHandle().destroyForcibly();
        first.waitFor(10, TimeUnit.SECONDS);

        Process second = warden("run", "warden.yaml");

        assertThat(second.waitFor(30, TimeUnit.SECONDS)).isTrue();
        assertThat(second.exitValue()).isZero();
        assertThat(Files.readAllLines(tmp.resolve("starts.txt"))).as("no second copy was started").hasSize(1);
        List<Event> ev = events();
        assertThat(ev).anySatisfy(e -> assertThat(e.type()).isEqualTo(EventType.ORPHAN_ADOPTED));
        assertThat(ev).anySatisfy(e -> {
            assertThat(e.type()).isEqualTo(EventType.RUN_ENDED);
            assertThat(e.text("outcome")).isEqualTo("finished");
        });
    }
}
