package dev.warden.check;

import dev.warden.gpu.FakeGpuTools;
import dev.warden.gpu.GpuExclusions;
import dev.warden.store.WardenHome;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Instant;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

class HealthTest {
    @TempDir
    Path dir;

    /** A pid that existed and is gone: a process we started and waited for. */
    static long deadPid() throws Exception {
        Process p = new ProcessBuilder("true").start();
        p.waitFor();
        return p.pid();
    }

    @Test
    void reports_and_fixes_only_wardens_own_litter() throws Exception {
        WardenHome home = new WardenHome(dir.resolve("home"));
        Files.createDirectories(home.locks());
        Files.createDirectories(home.run("r1"));
        long dead = deadPid();
        Files.writeString(home.locks().resolve("run-r1.lock"), "{\"pid\": " + dead + "}");
        Files.writeString(home.locks().resolve("run-r2.lock"), String.valueOf(ProcessHandle.current().pid()));
        Files.writeString(home.locks().resolve("notes.txt"), "not a lock of ours");
        Path oldTmp = home.run("r1").resolve(".events.jsonl.123.tmp");
        Path youngTmp = home.run("r1").resolve(".events.jsonl.456.tmp");
        Path userFile = home.run("r1").resolve("keep.tmp");
        for (Path p : List.of(oldTmp, youngTmp, userFile)) {
            Files.writeString(p, "x");
        }
        Files.setLastModifiedTime(oldTmp, FileTime.from(Instant.now().minusSeconds(3600)));
        Files.setLastModifiedTime(userFile, FileTime.from(Instant.now().minusSeconds(3600)));
        GpuExclusions.load(home).exclude(3, null, "SMU 0xFFFFFFFF", Instant.now());

        FakeGpuTools tools = FakeGpuTools.in(dir.resolve("fake")).rocmCapture("rocmsmi_mi100_rocm602.json")
                .printing("dmesg", "[ 1.0] nothing to see\n");
        PreflightReport before = NodeHealth.check(home, tools.runner());
        assertThat(before.results()).extracting(CheckResult::check).containsExactly(
                "disk:/", "disk:warden_home", "memory", "gpu", "gpu_errors", "exclusions", "stale_locks", "temp_files");
        CheckResult locks = before.results().get(6);
        assertThat(locks).isInstanceOf(CheckResult.Warn.class);
        assertThat(locks.evidence()).isEqualTo("1 stale lock file(s): run-r1.lock (PID " + dead + " is not running)");
        assertThat(before.results().get(7).evidence()).isEqualTo(
                "1 leftover temp file(s) from interrupted writes, e.g. runs/r1/.events.jsonl.123.tmp");
        assertThat(before.results().get(5).evidence()).isEqualTo("excluded from runs: GPU 3 (SMU 0xFFFFFFFF)");
        assertThat(before.results().get(3)).as("excluded GPU 3 is not judged").isInstanceOf(CheckResult.Pass.class);

        List<String> done = NodeHealth.fix(home, Instant.now());
        assertThat(done).containsExactly("removed stale lock locks/run-r1.lock (PID " + dead + " is not running)",
                "removed leftover temp file runs/r1/.events.jsonl.123.tmp");
        assertThat(home.locks().resolve("run-r2.lock")).exists();
        assertThat(home.locks().resolve("notes.txt")).exists();
        assertThat(youngTmp).exists();
        assertThat(userFile).exists();
        PreflightReport after = NodeHealth.check(home, tools.runner());
        assertThat(after.results().get(6)).isInstanceOf(CheckResult.Pass.class);
        assertThat(after.results().get(7)).isInstanceOf(CheckResult.Pass.class);
        assertThat(NodeHealth.fix(home, Instant.now())).isEmpty();
    }

    @Test
    void a_gpu_that_fell_off_the_bus_fails_health() throws Exception {
        WardenHome home = new WardenHome(dir.resolve("home"));
        FakeGpuTools tools = FakeGpuTools.in(dir.resolve("fake")).nvidiaFails(15, "Unable to determine the device handle for GPU0000:01:00.0: Unknown Error");
        PreflightReport r = NodeHealth.check(home, tools.runner());
        assertThat(r.hasFail()).isTrue();
        assertThat(r.results().get(3).evidence()).isEqualTo(
                "nvidia-smi failed (exit 15): a GPU has fallen off the bus or has otherwise become inaccessible");
    }
}
