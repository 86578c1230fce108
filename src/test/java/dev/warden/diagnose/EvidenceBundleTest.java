package dev.warden.diagnose;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** The bundle holds what a person needs to see after the fact, with secrets masked, whatever tools exist. */
class EvidenceBundleTest {

    @TempDir
    Path tmp;

    private Path bin;
    private Path log;
    private Path proc;
    private final Redactor redactor = Redactor.of(Map.of("HF_TOKEN", "hf_secretsecretsecretsecret123456"), List.of());

    @BeforeEach
    void setUp() throws IOException {
        bin = Files.createDirectories(tmp.resolve("bin"));
        proc = Files.createDirectories(tmp.resolve("proc"));
        Files.writeString(proc.resolve("meminfo"), "MemTotal:       24576000 kB\nMemAvailable:    1024000 kB\n");
        log = tmp.resolve("attempt-1.log");
        Files.writeString(log, "step 1\nlogin with hf_secretsecretsecretsecret123456\n" + Fixtures.text("cuda_oom.txt"));
        for (String tool : List.of("cat", "df", "sh", "sleep")) {
            Files.createSymbolicLink(bin.resolve(tool), Path.of("/bin", tool));
        }
    }

    private EvidenceBundle.Options options(Duration timeout) {
        return new EvidenceBundle.Options(bin.toString(), timeout, timeout, tmp.resolve("no-kmsg"), proc);
    }

    private void fakeTool(String name, String script) throws IOException {
        Path p = bin.resolve(name);
        Files.writeString(p, "#!/bin/sh\n" + script + "\n");
        Files.setPosixFilePermissions(p, PosixFilePermissions.fromString("rwxr-xr-x"));
    }

    @Test
    void capturesLogTailExitGpuKernelStacksDiskAndMemoryWithSecretsMasked() throws IOException {
        Path capture = Fixtures.resource("/diagnose/gpu/nvsmi_q_h100-80gb-hbm3_load.txt");
        fakeTool("nvidia-smi", "cat '" + capture + "'");
        fakeTool("dmesg", "echo '[ 5.0] NVRM: Xid (PCI:0000:44:00): 79, GPU has fallen off the bus'; echo 'token hf_secretsecretsecretsecret123456'");
        fakeTool("py-spy", "echo \"fake py-spy stack for $3\"");
        Path dir = tmp.resolve("bundle");

        EvidenceBundle b = EvidenceBundle.capture(dir, log, ExitInfo.code(1), List.of(4242L), redactor, options(Duration.ofSeconds(10)));

        assertThat(b.files()).containsExactly("exit.txt", "log-tail.txt", "gpu-nvidia-smi.txt", "kernel-log.txt",
                "py-spy-4242.txt", "disk.txt", "memory.txt");
        assertThat(b.skipped()).singleElement().satisfies(s -> assertThat(s).startsWith("gpu-rocm-smi.txt: rocm-smi is not on PATH"));
        assertThat(Files.readString(dir.resolve("exit.txt"))).contains("exit code: 1");
        String tail = Files.readString(dir.resolve("log-tail.txt"));
        assertThat(tail).contains("from line 1").contains("torch.cuda.OutOfMemoryError").contains("[redacted:HF_TOKEN]")
                .doesNotContain("hf_secretsecret");
        assertThat(Files.readString(dir.resolve("gpu-nvidia-smi.txt"))).contains("NVIDIA H100 80GB HBM3");
        assertThat(Files.readString(dir.resolve("kernel-log.txt"))).contains("fallen off the bus").doesNotContain("hf_secretsecret");
        assertThat(Files.readString(dir.resolve("py-spy-4242.txt"))).contains("fake py-spy stack for 4242");
        assertThat(Files.readString(dir.resolve("memory.txt"))).contains("MemAvailable");
        assertThat(Files.readString(dir.resolve("disk.txt"))).contains("GiB free of");
        JsonNode manifest = new ObjectMapper().readTree(dir.resolve("bundle.json").toFile());
        assertThat(manifest.get("exit_code").asInt()).isEqualTo(1);
        assertThat(manifest.get("files")).hasSize(7);
        try (var s = Files.list(dir)) {
            assertThat(s.map(p -> p.getFileName().toString())).noneMatch(n -> n.endsWith(".tmp"));
        }
    }

    @Test
    void theToolsRunSideBySideSoTheNextAttemptWaitsForTheSlowestNotTheSum() throws IOException {
        // nvidia-smi runs first in the list: it answers only once rocm-smi has started, or gives up after 10 s
        Path started = tmp.resolve("rocm-smi-started");
        fakeTool("rocm-smi", "touch '" + started + "'; echo rocm");
        fakeTool("nvidia-smi", "i=0; while [ ! -e '" + started + "' ] && [ $i -lt 200 ]; do sleep 0.05; i=$((i+1)); done;"
                + " [ -e '" + started + "' ] && echo 'rocm-smi had started' || echo 'rocm-smi never started'");

        EvidenceBundle b = EvidenceBundle.capture(tmp.resolve("b"), log, ExitInfo.code(1), List.of(), redactor, options(Duration.ofSeconds(15)));

        assertThat(Files.readString(tmp.resolve("b/gpu-nvidia-smi.txt"))).contains("rocm-smi had started");
        assertThat(b.files()).containsSubsequence("gpu-nvidia-smi.txt", "gpu-rocm-smi.txt", "disk.txt", "memory.txt");
    }

    @Test
    void aHangingToolIsKilledAtItsDeadlineAndTheBundleStillCompletes() throws IOException {
        fakeTool("nvidia-smi", "echo partial header; exec sleep 600");
        fakeTool("dmesg", "exec sleep 600");

        EvidenceBundle b = EvidenceBundle.capture(tmp.resolve("b"), log, ExitInfo.signal(9), List.of(), redactor, options(Duration.ofSeconds(1)));

        assertThat(Files.readString(tmp.resolve("b/gpu-nvidia-smi.txt"))).contains("partial header").contains("killed after 1s timeout");
        assertThat(b.skipped()).anySatisfy(s -> assertThat(s).startsWith("kernel-log.txt: dmesg timed out"));
        assertThat(Files.readString(tmp.resolve("b/exit.txt"))).contains("signal: 9 (SIGKILL)");
        assertThat(tmp.resolve("b/bundle.json")).exists();
    }

    @Test
    void withoutAnyToolsOnlyWhatJavaCanSeeIsCapturedAndTheRestIsNoted() throws IOException {
        Path empty = Files.createDirectories(tmp.resolve("empty-bin"));
        EvidenceBundle.Options bare = new EvidenceBundle.Options(empty.toString(), Duration.ofSeconds(5), Duration.ofSeconds(5),
                tmp.resolve("no-kmsg"), proc);

        EvidenceBundle b = EvidenceBundle.capture(tmp.resolve("bare"), tmp.resolve("missing.log"), ExitInfo.unknown(), List.of(7L), redactor, bare);

        assertThat(b.files()).containsExactly("exit.txt", "disk.txt", "memory.txt");
        assertThat(b.skipped()).hasSize(5).anySatisfy(s -> assertThat(s).startsWith("log-tail.txt: cannot read"))
                .anySatisfy(s -> assertThat(s).contains("py-spy is not on PATH"));
    }

    @Test
    void theKernelBufferReadInProcessIsUsedBeforeSpawningDmesg() throws IOException {
        fakeTool("dmesg", "echo '[ 1.0] from the dmesg program'");
        EvidenceBundle.Options o = new EvidenceBundle.Options(bin.toString(), Duration.ofSeconds(5), Duration.ofSeconds(5),
                tmp.resolve("no-kmsg"), proc, () -> java.util.Optional.of(KernelRing.asDmesgPrints(
                        "<6>[ 7076.465240] oom-kill:constraint=CONSTRAINT_MEMCG\n<3>[ 7076.465269] Memory cgroup out of memory: Killed process 15249 (python)\n")));

        EvidenceBundle.capture(tmp.resolve("k"), log, ExitInfo.signal(9), List.of(), redactor, o);

        String kernel = Files.readString(tmp.resolve("k/kernel-log.txt"));
        assertThat(kernel).contains("[ 7076.465269] Memory cgroup out of memory: Killed process 15249 (python)")
                .doesNotContain("<3>").doesNotContain("from the dmesg program");
    }

    @Test
    void theKernelBufferReadsLikeDmesgWhereBothWork() throws Exception {
        Process p = new ProcessBuilder("dmesg").redirectErrorStream(true).start();
        String dmesg = new String(p.getInputStream().readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
        java.util.Optional<String> ring = KernelRing.read(); // after dmesg: what dmesg printed last is still there
        org.junit.jupiter.api.Assumptions.assumeTrue(ring.isPresent() && p.waitFor() == 0 && !dmesg.isBlank(),
                "syslog(2) or dmesg is refused on this machine");
        // the newest records: syslog(2) returns as many as fit its buffer, so the oldest ones dmesg shows may be gone
        String last = dmesg.lines().filter(l -> l.startsWith("[")).reduce((a, b) -> b).orElseThrow();
        assertThat(ring.get()).contains(last).doesNotContainPattern("(?m)^<\\d+>");
    }

    @Test
    void lastLinesKeepsTheTailOfALongKernelLog() {
        assertThat(EvidenceBundle.lastLines("a\nb\nc\n", 2)).isEqualTo("b\nc\n");
        assertThat(EvidenceBundle.lastLines("a\nb\nc", 2)).isEqualTo("b\nc");
        assertThat(EvidenceBundle.lastLines("a\nb\n", 5)).isEqualTo("a\nb\n");
        assertThat(KernelRing.asDmesgPrints("<6>[ 1.0] a <b>\n<12>[ 2.0] c\n<x>d\n")).isEqualTo("[ 1.0] a <b>\n[ 2.0] c\n<x>d\n");
    }
}
