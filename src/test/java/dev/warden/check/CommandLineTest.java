package dev.warden.check;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.warden.cli.Main;
import dev.warden.gpu.FakeGpuTools;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/** The verbs as a user runs them: `warden check`, `warden gpu`, `warden env lock`, `warden health`. */
class CommandLineTest {
    static final String[] NODE = {"--skip-check", "disk", "--skip-check", "memory", "--skip-check", "gpu",
            "--skip-check", "gpu_errors", "--skip-check", "driver"};

    @TempDir
    Path dir;

    record Run(int code, String out, String err) {}

    static Run warden(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int code = Main.execute(new PrintWriter(out), new PrintWriter(err), args);
        return new Run(code, out.toString(), err.toString());
    }

    private Path spec(String yaml) throws Exception {
        Path f = dir.resolve("warden.yaml");
        Files.writeString(f, yaml);
        return f;
    }

    private String[] check(Path spec, String... more) {
        List<String> a = new ArrayList<>(List.of("check", spec.toString()));
        a.addAll(List.of(NODE));
        a.addAll(List.of(more));
        return a.toArray(String[]::new);
    }

    @Test
    void check_exits_0_without_fail_and_1_with_one_and_prints_the_fix() throws Exception {
        Files.writeString(dir.resolve("train.py"), "print(1)\n");
        Path ok = spec("command: [python3, train.py]\nchecks:\n  - files: [train.py]\n  - env: [PATH]\n");
        Run pass = warden(check(ok));
        assertThat(pass.code()).isZero();
        assertThat(pass.out()).contains("files       PASS").contains("7 checks: 2 PASS, 0 WARN, 0 FAIL, 5 skipped");

        Path bad = spec("command: [python3, train.py]\nchecks:\n  - files: [train.py, flash_attention_science.h]\n");
        Run fail = warden(check(bad));
        assertThat(fail.code()).isEqualTo(1);
        assertThat(fail.out()).contains("FAIL").contains("missing: flash_attention_science.h").contains("fix: copy or generate them");
    }

    @Test
    void check_json_output() throws Exception {
        Path s = spec("command: python train.py\nchecks:\n  - budget: {strict: true}\nbudget: {max_wall: 10h, usd_per_hour: 3, max_usd: 20}\n");
        Run r = warden(check(s, "--json"));
        assertThat(r.code()).isEqualTo(1);
        JsonNode j = new ObjectMapper().readTree(r.out());
        assertThat(j.get("ok").asBoolean()).isFalse();
        JsonNode budget = j.get("checks").get(5);
        assertThat(budget.get("check").asText()).isEqualTo("budget");
        assertThat(budget.get("evidence").asText()).startsWith("projected $30.00 for 10h at $3.00/h, above max_usd $20.00");
    }

    @Test
    void bad_spec_and_bad_skip_are_one_line_errors() throws Exception {
        Run r = warden("check", spec("command: python train.py\nchecks:\n  - gpus: 8\n").toString());
        assertThat(r.code()).isEqualTo(78);
        assertThat(r.err().strip()).isEqualTo("warden: checks[0]: unknown check `gpus` (did you mean `gpu`?); known checks: "
                + "disk, memory, gpu, gpu_errors, driver, files, import, command, tcp, ssh, env, url, drift, budget, data, checkpoint_disk");
        Run s = warden("check", spec("command: python train.py\nchecks: []\n").toString(), "--skip-check", "dsk");
        assertThat(s.code()).isEqualTo(2);
        assertThat(s.err()).contains("--skip-check dsk matches no check (did you mean `disk`?)");
        assertThat(s.err().lines().count()).isEqualTo(1);
    }

    /** `warden gpu` in its own JVM, with WARDEN_HOME and PATH set the way a user's shell would. */
    private Run gpuCli(FakeGpuTools tools, Path home, String... args) throws Exception {
        List<String> cmd = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp", System.getProperty("java.class.path"), "dev.warden.cli.Main"));
        cmd.addAll(List.of(args));
        ProcessBuilder pb = new ProcessBuilder(cmd);
        pb.environment().clear();
        pb.environment().putAll(Map.of("PATH", tools.runner().env().get("PATH"), "WARDEN_HOME", home.toString(), "HOME", dir.toString()));
        Path err = dir.resolve("err.txt");
        pb.redirectError(err.toFile());
        Process p = pb.start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
        return new Run(p.exitValue(), out, Files.readString(err));
    }

    @Test
    void gpu_exclude_list_include_across_invocations() throws Exception {
        FakeGpuTools tools = FakeGpuTools.in(dir.resolve("fake")).rocmCapture("rocmsmi_mi100_rocm602.json");
        Path home = dir.resolve("home");
        Run ex = gpuCli(tools, home, "gpu", "exclude", "3", "--reason", "SMU 0xFFFFFFFF");
        assertThat(ex.code()).as(ex.err()).isZero();
        assertThat(ex.out()).contains("GPU 3 excluded from every later run (SMU 0xFFFFFFFF)");
        Run list = gpuCli(tools, home, "gpu", "list");
        assertThat(list.out().lines().filter(l -> l.startsWith("3 ")).findFirst().orElseThrow())
                .contains("Arcturus GL-XL [Instinct MI100]").contains("EXCLUDED: SMU 0xFFFFFFFF");
        assertThat(list.out().lines().filter(l -> l.startsWith("2 ")).findFirst().orElseThrow()).endsWith(" ok");
        Run nine = gpuCli(tools, home, "gpu", "exclude", "9");
        assertThat(nine.code()).isEqualTo(2);
        assertThat(nine.err().strip()).isEqualTo("warden: this node has no GPU 9 (it has 4); use an index that `warden gpu list` shows");
        Run in = gpuCli(tools, home, "gpu", "include", "3");
        assertThat(in.out()).contains("GPU 3 is back in use");
        assertThat(Files.readString(home.resolve("gpu-exclusions.json"))).doesNotContain("SMU");
    }

    @Test
    void env_lock_writes_the_stack_of_the_given_python() throws Exception {
        Path py = dir.resolve("python3");
        Files.writeString(py, "#!/bin/sh\necho 'WARDEN-ENV {\"python\": \"/venv/bin/python\", \"python_version\": \"3.11.7\","
                + " \"packages\": {\"Flash_Attn\": \"2.5.8\", \"torch\": \"2.3.1+cu121\"}, \"torch\": \"2.3.1+cu121\", \"torch_cuda\": \"12.1\"}'\n");
        py.toFile().setExecutable(true);
        Path lock = dir.resolve("warden.lock");
        Run r = warden("env", "lock", "--python", py.toString(), "-o", lock.toString());
        assertThat(r.code()).as(r.err()).isZero();
        assertThat(r.out()).startsWith("wrote " + lock + ": python 3.11.7 (/venv/bin/python), 2 packages, torch 2.3.1+cu121 (CUDA 12.1)");
        EnvSnapshot s = EnvLockFile.read(lock);
        assertThat(s.packages()).containsEntry("flash-attn", "2.5.8");
        assertThat(s.torchCuda()).isEqualTo("12.1");
    }

    @Test
    void health_rejects_a_bad_watch_interval() {
        Run r = warden("health", "--watch", "soon");
        assertThat(r.code()).isEqualTo(2);
        assertThat(r.err()).contains("--watch `soon` is not a duration");
    }
}
