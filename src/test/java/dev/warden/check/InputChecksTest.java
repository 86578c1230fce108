package dev.warden.check;

import dev.warden.gpu.FakeGpuTools;
import dev.warden.gpu.ToolRunner;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

/** files, import, command, env, drift, budget: PASS, WARN and FAIL of each. */
class InputChecksTest {
    @TempDir
    Path dir;

    // ---- files

    @Test
    void files_pass_warn_fail() throws Exception {
        CheckHarness h = new CheckHarness(dir);
        Files.createDirectories(h.workdir.resolve("data/shards"));
        Files.writeString(h.workdir.resolve("train.py"), "print('hi')\n");
        Files.writeString(h.workdir.resolve("data/train.jsonl"), "{}\n");
        Files.writeString(h.workdir.resolve("data/shards/a.arrow"), "x");
        Files.writeString(h.workdir.resolve("data/empty.jsonl"), "");
        CheckResult pass = h.run("files", List.of("train.py", "data/train.jsonl", "data/shards/*.arrow"));
        assertThat(pass).isInstanceOf(CheckResult.Pass.class);
        assertThat(pass.evidence()).isEqualTo("3 files present and readable: train.py, data/train.jsonl, data/shards/*.arrow");
        CheckResult warn = h.run("files", List.of("train.py", "data/empty.jsonl"));
        assertThat(warn).isInstanceOf(CheckResult.Warn.class);
        assertThat(warn.evidence()).isEqualTo("empty: data/empty.jsonl");
        CheckResult fail = h.run("files", Map.of("paths", List.of("train.py", "flash_attention_science.h", "data/*.parquet")));
        assertThat(fail).isInstanceOf(CheckResult.Fail.class);
        assertThat(fail.evidence()).isEqualTo("missing: flash_attention_science.h, data/*.parquet");
        assertThat(fail.fix()).contains(h.workdir.toString());
    }

    // ---- import (the real python3 of the test machine, one interpreter start)

    @Test
    void import_pass_fail_warn_and_crash() throws Exception {
        CheckHarness h = new CheckHarness(dir);
        Files.writeString(h.workdir.resolve("noisy.py"), "import warnings\nwarnings.warn('the NVIDIA driver on your system is too old')\n");
        Files.writeString(h.workdir.resolve("segv.py"), "import os, signal\nos.kill(os.getpid(), signal.SIGSEGV)\n");
        CheckResult pass = h.run("import", List.of("json", "csv", "xml.dom"));
        assertThat(pass).isInstanceOf(CheckResult.Pass.class);
        assertThat(pass.evidence()).startsWith("3 modules import in python3 (Python 3.").endsWith("json, csv, xml.dom");
        CheckResult fail = h.run("import", List.of("json", "natsort_not_installed_here"));
        assertThat(fail).isInstanceOf(CheckResult.Fail.class);
        assertThat(fail.evidence()).contains("1 of 2 modules fail")
                .contains("natsort_not_installed_here: ModuleNotFoundError: No module named 'natsort_not_installed_here'");
        assertThat(fail.fix()).contains("-m pip install").contains("Warden never installs");
        CheckResult warn = h.run("import", List.of("json", "noisy"));
        assertThat(warn).isInstanceOf(CheckResult.Warn.class);
        assertThat(warn.evidence()).isEqualTo("noisy: UserWarning: the NVIDIA driver on your system is too old");
        CheckResult crash = h.run("import", List.of("json", "segv", "csv"));
        assertThat(crash).isInstanceOf(CheckResult.Fail.class);
        assertThat(crash.evidence()).startsWith("importing segv killed the interpreter");
    }

    @Test
    void import_with_a_python_that_does_not_exist() {
        CheckResult r = new CheckHarness(dir).run("import", Map.of("modules", List.of("torch"), "python", "/nonexistent/bin/python"));
        assertThat(r.evidence()).isEqualTo("python `/nonexistent/bin/python` not found on the job's PATH");
    }

    @Test
    void the_jobs_python_is_the_one_next_to_its_launcher() throws Exception {
        FakeGpuTools venv = FakeGpuTools.in(dir).script("torchrun", "#!/bin/sh\n").script("python", "#!/bin/sh\n");
        assertThat(JobPython.find(List.of("torchrun", "--nproc_per_node", "8", "train.py"), venv.runner()))
                .isEqualTo(venv.bin().resolve("python").toString());
        assertThat(JobPython.find(List.of("CUDA_LAUNCH_BLOCKING=1", "/venv/bin/python3.11", "train.py"), venv.runner()))
                .isEqualTo("/venv/bin/python3.11");
    }

    // ---- command

    @Test
    void command_pass_fail_warn_only_and_timeout() {
        CheckHarness h = new CheckHarness(dir);
        CheckResult pass = h.run("command", Map.of("run", "echo 12 passed"));
        assertThat(pass).isInstanceOf(CheckResult.Pass.class);
        assertThat(pass.evidence()).startsWith("`echo 12 passed` exit 0 after ").endsWith(": 12 passed");
        CheckResult fail = h.run("command", "echo 'E   AssertionError: kernel mismatch'; exit 3");
        assertThat(fail).isInstanceOf(CheckResult.Fail.class);
        assertThat(fail.evidence()).contains("exit 3").endsWith("E   AssertionError: kernel mismatch");
        CheckResult soft = h.run("command", Map.of("run", "exit 1", "warn_only", "true"));
        assertThat(soft).isInstanceOf(CheckResult.Warn.class);
        assertThat(soft.evidence()).endsWith("(warn_only)");
        CheckResult slow = h.run("command", Map.of("run", "echo collecting tests; sleep 63.4242", "timeout", "1s"));
        assertThat(slow).isInstanceOf(CheckResult.Fail.class);
        assertThat(slow.evidence()).isEqualTo("`echo collecting tests; sleep 63.4242` still running after 1.0s: collecting tests");
        await().until(() -> ProcessHandle.allProcesses().noneMatch(p -> p.info().commandLine().orElse("").contains("63.4242")));
    }

    // ---- env

    @Test
    void env_pass_warn_fail_and_values_never_shown() {
        Map<String, String> env = new HashMap<>(System.getenv());
        env.put("HF_TOKEN", "hf_secretvalue123");
        env.put("WANDB_API_KEY", "  ");
        env.remove("WARDEN_TEST_UNSET");
        CheckHarness h = new CheckHarness(dir).tools(new ToolRunner(env));
        CheckResult pass = h.run("env", List.of("HF_TOKEN"));
        assertThat(pass.evidence()).isEqualTo("set: HF_TOKEN (values not shown)");
        CheckResult warn = h.run("env", List.of("HF_TOKEN", "WANDB_API_KEY"));
        assertThat(warn).isInstanceOf(CheckResult.Warn.class);
        assertThat(warn.evidence()).isEqualTo("set but empty: WANDB_API_KEY");
        CheckResult fail = h.run("env", Map.of("vars", List.of("HF_TOKEN", "WARDEN_TEST_UNSET")));
        assertThat(fail).isInstanceOf(CheckResult.Fail.class);
        assertThat(fail.evidence()).isEqualTo("not set: WARDEN_TEST_UNSET");
        for (CheckResult r : List.of(pass, warn, fail)) {
            assertThat(r.evidence() + r.fix()).doesNotContain("hf_secretvalue123");
        }
    }

    // ---- budget

    @Test
    void budget_pass_warn_fail_and_zero_means_disabled() {
        assertThat(new CheckHarness(dir).budget(48, 2.5, 150).run("budget", null).evidence())
                .isEqualTo("projected $120.00 for 48h at $2.50/h, within max_usd $150.00");
        CheckResult over = new CheckHarness(dir).budget(48, 2.5, 100).run("budget", null);
        assertThat(over).isInstanceOf(CheckResult.Warn.class);
        assertThat(over.evidence()).isEqualTo("projected $120.00 for 48h at $2.50/h, above max_usd $100.00: the run would be stopped after 40h");
        assertThat(new CheckHarness(dir).budget(48, 2.5, 100).run("budget", Map.of("strict", "true"))).isInstanceOf(CheckResult.Fail.class);
        CheckResult disabled = new CheckHarness(dir).budget(48, 2.5, 0).run("budget", null);
        assertThat(disabled).isInstanceOf(CheckResult.Pass.class);
        assertThat(disabled.evidence()).isEqualTo("projected $120.00 for 48h at $2.50/h (no max_usd cap)");
        assertThat(new CheckHarness(dir).budget(48, 2.5, -1).run("budget", Map.of("strict", "true")))
                .isInstanceOf(CheckResult.Pass.class);
        assertThat(new CheckHarness(dir).budget(0, 0, 0).run("budget", null).evidence()).isEqualTo("no budget set (usd_per_hour, max_usd)");
    }

    // ---- drift (a fake python that reports a given stack)

    static EnvSnapshot stack(String torch, String cuda, Map<String, String> packages) {
        return new EnvSnapshot(1, "2026-11-01T00:00:00Z", "/venv/bin/python", "3.11.7", torch, cuda, null, "550.54.15", "12.4",
                new TreeMap<>(packages));
    }

    static FakeGpuTools fakePython(Path dir, EnvSnapshot s) {
        StringBuilder pk = new StringBuilder();
        s.packages().forEach((k, v) -> pk.append(pk.length() == 0 ? "" : ", ").append('"').append(k).append("\": \"").append(v).append('"'));
        String json = "{\"python\": \"" + s.python() + "\", \"python_version\": \"" + s.pythonVersion() + "\", \"packages\": {" + pk
                + "}, \"torch\": \"" + s.torch() + "\", \"torch_cuda\": \"" + s.torchCuda() + "\", \"torch_hip\": null}";
        return FakeGpuTools.in(dir).printing("python3", "WARDEN-ENV " + json + "\n")
                .printing("nvcc", NodeChecksTest.NVCC_13_0.replace("release 13.0", "release 12.4"));
    }

    @Test
    void drift_pass_warn_fail() {
        Map<String, String> pk = Map.of("numpy", "1.26.4", "flash-attn", "2.5.8", "torch", "2.3.1+cu121");
        EnvSnapshot locked = stack("2.3.1+cu121", "12.1", pk);
        CheckHarness h = new CheckHarness(dir);
        EnvLockFile.write(h.workdir.resolve("warden.lock"), locked);
        // the fake node has no GPU tool: the driver reads as none, in the lock too
        EnvLockFile.write(h.workdir.resolve("same.lock"), stack("2.3.1+cu121", "12.1", pk).withDriver(null));

        CheckResult same = h.tools(fakePython(dir.resolve("a"), locked).runner()).run("drift", Map.of("lock", "same.lock"));
        assertThat(same).isInstanceOf(CheckResult.Pass.class);
        assertThat(same.evidence()).isEqualTo("stack matches same.lock (python 3.11.7, 3 packages, torch 2.3.1+cu121)");

        Map<String, String> numpy2 = new HashMap<>(pk);
        numpy2.put("numpy", "2.0.0");
        CheckResult warn = h.tools(fakePython(dir.resolve("b"), stack("2.3.1+cu121", "12.1", numpy2)).runner())
                .run("drift", Map.of("lock", "same.lock"));
        assertThat(warn).isInstanceOf(CheckResult.Warn.class);
        assertThat(warn.evidence()).isEqualTo("changed: numpy 1.26.4 -> 2.0.0");

        Map<String, String> torch24 = new HashMap<>(pk);
        torch24.put("torch", "2.4.0+cu124");
        CheckResult fail = h.tools(fakePython(dir.resolve("c"), stack("2.4.0+cu124", "12.4", torch24)).runner()).run("drift", null);
        assertThat(fail).isInstanceOf(CheckResult.Fail.class);
        assertThat(fail.evidence()).startsWith("torch 2.3.1+cu121 -> 2.4.0+cu124; torch CUDA 12.1 -> 12.4; GPU driver 550.54.15 -> (none)")
                .endsWith("compiled packages at risk: flash-attn 2.5.8");
        assertThat(fail.fix()).contains("warden env lock");

        CheckResult none = new CheckHarness(dir.resolve("d")).run("drift", null);
        assertThat(none).isInstanceOf(CheckResult.Warn.class);
        assertThat(none.evidence()).startsWith("no ").endsWith("warden.lock to compare with");
    }

    @Test
    void a_lock_file_that_is_not_a_lock_is_one_clear_error() throws Exception {
        Path f = dir.resolve("warden.lock");
        Map<String, String> why = new java.util.LinkedHashMap<>();
        why.put("{\"packages\": [\"numpy\"]}", "is not a warden.lock (packages is not an object)");
        why.put("{\"torch\": {\"v\": 2}}", "is not a warden.lock (torch is not a plain value)");
        why.put("[1, 2]", "is not a warden.lock (not a JSON object)");
        why.put("{\"lock_version\": \"one\"}", "is not a warden.lock (lock_version is not a number)");
        why.put("{", "is not a readable warden.lock (JsonEOFException)");
        for (Map.Entry<String, String> w : why.entrySet()) {
            java.nio.file.Files.writeString(f, w.getKey());
            assertThatThrownBy(() -> EnvLockFile.read(f)).as(w.getKey()).isInstanceOf(dev.warden.UserError.class)
                    .hasMessage(f + " " + w.getValue() + "; record it again with `warden env lock`");
        }
        java.nio.file.Files.writeString(f, "{\"lock_version\": 1, \"torch\": 2.4, \"packages\": {\"numpy\": \"2.0.0\"}, \"future_key\": true}");
        EnvSnapshot s = EnvLockFile.read(f);
        assertThat(s.torch()).isEqualTo("2.4");
        assertThat(s.packages()).containsEntry("numpy", "2.0.0");
    }

    @Test
    void lock_file_round_trips() {
        EnvSnapshot s = stack("2.4.0+cu124", "12.4", Map.of("numpy", "1.26.4", "flash-attn", "2.6.3"));
        Path f = dir.resolve("warden.lock");
        EnvLockFile.write(f, s);
        assertThat(EnvLockFile.read(f)).isEqualTo(s);
    }
}
