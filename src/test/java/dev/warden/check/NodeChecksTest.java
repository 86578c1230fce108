package dev.warden.check;

import dev.warden.gpu.Captures;
import dev.warden.gpu.FakeGpuTools;
import dev.warden.gpu.GpuExclusions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** disk, memory, gpu, gpu_errors and driver: PASS, WARN and FAIL of each. */
class NodeChecksTest {
    /** Real `nvcc --version` output of CUDA 13.0 (the build VM's /usr/local/cuda-13.0). */
    static final String NVCC_13_0 = "nvcc: NVIDIA (R) Cuda compiler driver\nCopyright (c) 2005-2025 NVIDIA Corporation\n"
            + "Built on Wed_Aug_20_01:58:59_PM_PDT_2025\nCuda compilation tools, release 13.0, V13.0.88\n"
            + "Build cuda_13.0.r13.0/compiler.36424714_0\n";

    @TempDir
    Path dir;

    static String kernelLog(String name) {
        try (InputStream in = NodeChecksTest.class.getResourceAsStream("/gpu/kernel/" + name)) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    // ---- disk

    @Test
    void disk_pass_warn_fail_against_the_real_free_space() throws IOException {
        CheckHarness h = new CheckHarness(dir);
        long free = Files.getFileStore(h.workdir).getUsableSpace();
        CheckResult pass = h.run("disk", Map.of("min_free", "1KiB"));
        assertThat(pass).isInstanceOf(CheckResult.Pass.class);
        assertThat(pass.evidence()).contains("free at " + h.workdir);
        CheckResult warn = h.run("disk", Map.of("min_free", String.valueOf(free * 3 / 4)));
        assertThat(warn).isInstanceOf(CheckResult.Warn.class);
        CheckResult fail = h.run("disk", Map.of("path", "checkpoints/not/yet", "min_free", "1000PiB"));
        assertThat(fail).isInstanceOf(CheckResult.Fail.class);
        assertThat(fail.evidence()).contains("measured at " + h.workdir).contains("min 1000 PiB");
        assertThat(fail.fix()).contains("du -sh");
    }

    // ---- memory

    @Test
    void memory_pass_warn_fail() {
        CheckHarness h = new CheckHarness(dir);
        assertThat(h.run("memory", Map.of("min_available", "1MiB", "max_used", "100%"))).isInstanceOf(CheckResult.Pass.class);
        CheckResult warn = h.run("memory", Map.of("min_available", "1MiB", "max_used", "0"));
        assertThat(warn).isInstanceOf(CheckResult.Warn.class);
        assertThat(warn.evidence()).contains("above max_used 0%");
        CheckResult fail = h.run("memory", Map.of("min_available", "100PiB"));
        assertThat(fail).isInstanceOf(CheckResult.Fail.class);
        assertThat(fail.evidence()).contains("below min_available 100 PiB");
    }

    // ---- gpu

    @Test
    void gpu_pass_on_an_idle_l40s() {
        CheckHarness h = new CheckHarness(dir).tools(FakeGpuTools.in(dir).nvidiaCsv("nvsmi_query-gpu_l40s_load.csv").runner());
        CheckResult r = h.run("gpu", Map.of("count", "1", "model", "L40S"));
        assertThat(r).isInstanceOf(CheckResult.Pass.class);
        assertThat(r.evidence()).isEqualTo("1x NVIDIA L40S (driver 595.80), 43.2 GiB free, 54°C, no uncorrected ECC errors");
    }

    @Test
    void gpu_warns_when_other_processes_hold_memory_h100_under_load() {
        CheckHarness h = new CheckHarness(dir).tools(FakeGpuTools.in(dir).nvidiaCsv("nvsmi_query-gpu_h100-80gb-hbm3_load.csv").runner());
        CheckResult r = h.run("gpu", null);
        assertThat(r).isInstanceOf(CheckResult.Warn.class);
        assertThat(r.evidence()).isEqualTo("GPU 0: 19.4 GiB of 79.6 GiB already in use by other processes");
        assertThat(h.run("gpu", Map.of("exclusive", "false"))).isInstanceOf(CheckResult.Pass.class);
    }

    @Test
    void gpu_warns_about_mig_mode_a100() {
        CheckHarness h = new CheckHarness(dir).tools(FakeGpuTools.in(dir).nvidiaXml("nvsmi_qx_a100-sxm4.xml").runner());
        CheckResult r = h.run("gpu", null);
        assertThat(r).isInstanceOf(CheckResult.Warn.class);
        assertThat(r.evidence()).contains("GPU 0 is in MIG mode");
        assertThat(r.fix()).contains("nvidia-smi -i 0 -mig 0");
    }

    @Test
    void gpu_fails_on_too_few_gpus_wrong_model_and_uncorrected_ecc() {
        FakeGpuTools fake = FakeGpuTools.in(dir).nvidiaCsv("nvsmi_query-gpu_l40s_load.csv");
        CheckHarness h = new CheckHarness(dir).tools(fake.runner()).gpus(8);
        CheckResult few = h.run("gpu", null);
        assertThat(few).isInstanceOf(CheckResult.Fail.class);
        assertThat(few.evidence()).isEqualTo("the job asks for 8 GPUs; this node has 1");
        CheckResult model = new CheckHarness(dir.resolve("m")).tools(fake.runner()).run("gpu", Map.of("model", "H100"));
        assertThat(model.evidence()).isEqualTo("GPU 0 is NVIDIA L40S, not H100");

        // derived from the real L40S capture: two uncorrected ECC errors since the driver loaded
        Map<String, String> row = new LinkedHashMap<>(Captures.fromCsv(Captures.resource("nvsmi_query-gpu_l40s_load.csv")).get(0));
        row.put("ecc.errors.uncorrected.volatile.total", "2");
        CheckHarness ecc = new CheckHarness(dir.resolve("e")).tools(FakeGpuTools.in(dir.resolve("e")).nvidia(List.of(row)).runner());
        CheckResult r = ecc.run("gpu", null);
        assertThat(r).isInstanceOf(CheckResult.Fail.class);
        assertThat(r.evidence()).isEqualTo("GPU 0: 2 uncorrected ECC errors since the driver loaded");
        assertThat(r.fix()).contains("sudo nvidia-smi -r -i 0").contains("warden gpu exclude 0");
    }

    @Test
    void gpu_fails_with_the_meaning_of_nvidia_smi_exit_code() {
        CheckHarness h = new CheckHarness(dir).tools(FakeGpuTools.in(dir).nvidiaFails(9,
                "NVIDIA-SMI has failed because it couldn't communicate with the NVIDIA driver.").runner());
        CheckResult r = h.run("gpu", null);
        assertThat(r.evidence()).isEqualTo("nvidia-smi failed (exit 9): the NVIDIA driver is not loaded");
        assertThat(r.fix()).contains("lsmod | grep nvidia");
    }

    @Test
    void no_gpu_tool_is_one_warn_a_fail_when_gpus_are_required_and_a_pass_for_cpu_jobs() {
        FakeGpuTools none = FakeGpuTools.in(dir);
        CheckResult warn = new CheckHarness(dir).tools(none.runner()).run("gpu", null);
        assertThat(warn).isInstanceOf(CheckResult.Warn.class);
        assertThat(warn.evidence()).startsWith("no GPU tool on PATH");
        assertThat(new CheckHarness(dir).tools(none.runner()).run("driver", null)).isInstanceOf(CheckResult.Pass.class);
        assertThat(new CheckHarness(dir).tools(none.runner()).gpus(2).run("gpu", null)).isInstanceOf(CheckResult.Fail.class);
        assertThat(new CheckHarness(dir).tools(none.runner()).gpus(0).run("gpu", null)).isInstanceOf(CheckResult.Pass.class);
    }

    @Test
    void gpu_warns_when_exclusions_leave_fewer_gpus_than_asked_mi100() {
        CheckHarness h = new CheckHarness(dir).tools(FakeGpuTools.in(dir).rocmCapture("rocmsmi_mi100_rocm602.json").runner()).gpus(4);
        GpuExclusions.load(h.home).exclude(1, null, "SMU 0xFFFFFFFF", Instant.now());
        CheckResult r = h.run("gpu", null);
        assertThat(r).isInstanceOf(CheckResult.Warn.class);
        assertThat(r.evidence()).isEqualTo("the job asks for 4 GPUs; 3 of 4 remain after exclusions (GPU 1: SMU 0xFFFFFFFF)");
        assertThat(new CheckHarness(dir.resolve("b")).tools(h.tools).gpus(3).run("gpu", null)).isInstanceOf(CheckResult.Pass.class);
    }

    @Test
    void an_amd_card_answering_only_placeholders_fails() {
        String json = Captures.resource("rocmsmi_rx6700xt_rocm612.json")
                .replaceAll("\"(Temperature \\(Sensor [a-z]+\\) \\(C\\))\": \"[0-9.]+\"", "\"$1\": \"65535.0\"")
                .replaceAll("\"(VRAM Total (Used )?Memory \\(B\\))\": \"\\d+\"", "\"$1\": \"18446744073709551615\"")
                .replace("\"GPU use (%)\": \"0\"", "\"GPU use (%)\": \"0xFFFFFFFF\"");
        CheckResult r = new CheckHarness(dir).tools(FakeGpuTools.in(dir).rocmJson(json).runner()).run("gpu", null);
        assertThat(r).isInstanceOf(CheckResult.Fail.class);
        assertThat(r.evidence()).isEqualTo("GPU 0 not responding (rocm-smi gave only placeholder values)");
    }

    // ---- gpu_errors

    @Test
    void gpu_errors_pass_warn_fail_from_real_kernel_logs() {
        CheckResult clean = new CheckHarness(dir).tools(FakeGpuTools.in(dir.resolve("a")).printing("dmesg", kernelLog("clean_dmesg.log")).runner())
                .run("gpu_errors", null);
        assertThat(clean).isInstanceOf(CheckResult.Pass.class);
        assertThat(clean.evidence()).isEqualTo("no GPU errors in the kernel log (dmesg, 3 lines)");

        CheckResult app = new CheckHarness(dir).tools(FakeGpuTools.in(dir.resolve("b")).printing("dmesg", kernelLog("xid13.log")).runner())
                .run("gpu_errors", null);
        assertThat(app).isInstanceOf(CheckResult.Warn.class);
        assertThat(app.evidence()).isEqualTo("Xid 13 on 0000:cb:00 (3 times) (application errors of an earlier job)");

        CheckResult bus = new CheckHarness(dir).tools(FakeGpuTools.in(dir.resolve("c")).printing("dmesg", kernelLog("xid79_fallen_off_bus.log")).runner())
                .run("gpu_errors", null);
        assertThat(bus).isInstanceOf(CheckResult.Fail.class);
        assertThat(bus.evidence()).startsWith("Xid 79 on 0000:01:00: Mar 21 20:18:56 pc kernel:");
        assertThat(bus.fix()).startsWith("reboot the node");

        CheckResult amd = new CheckHarness(dir).tools(FakeGpuTools.in(dir.resolve("d")).printing("dmesg", kernelLog("amd_smu_0xffffffff.log")).runner())
                .run("gpu_errors", null);
        assertThat(amd).isInstanceOf(CheckResult.Fail.class);
        assertThat(amd.evidence()).contains("AMD SMU answered 0xFFFFFFFF on 0000:07:00.0 (2 times)");
    }

    @Test
    void gpu_errors_reset_ignore_and_file_source() throws IOException {
        CheckHarness h = new CheckHarness(dir).tools(FakeGpuTools.in(dir).printing("dmesg", kernelLog("xid13_xid109.log")).runner());
        CheckResult reset = h.run("gpu_errors", null);
        assertThat(reset).isInstanceOf(CheckResult.Fail.class);
        assertThat(reset.evidence()).startsWith("Xid 109 on 0000:cb:00, Xid 13 on 0000:cb:00 (3 times)");
        assertThat(reset.fix()).contains("nvidia-smi -r -i N");
        assertThat(h.run("gpu_errors", Map.of("ignore", List.of("13", "109")))).isInstanceOf(CheckResult.Pass.class);
        Files.writeString(h.workdir.resolve("kern.log"), kernelLog("fallen_off_bus_multiline.log"));
        CheckResult file = h.run("gpu_errors", Map.of("source", "kern.log"));
        assertThat(file).isInstanceOf(CheckResult.Fail.class);
        assertThat(file.evidence()).startsWith("GPU on 0000:b3:00.0 fell off the bus");
    }

    @Test
    void gpu_errors_warns_when_the_kernel_log_is_unreadable() {
        FakeGpuTools tools = FakeGpuTools.in(dir)
                .script("dmesg", "#!/bin/sh\necho 'dmesg: read kernel buffer failed: Operation not permitted' >&2\nexit 1\n")
                .script("dd", "#!/bin/sh\nexit 1\n");
        CheckResult r = new CheckHarness(dir).tools(tools.runner()).run("gpu_errors", null);
        assertThat(r).isInstanceOf(CheckResult.Warn.class);
        assertThat(r.evidence()).isEqualTo("kernel log unreadable: dmesg: dmesg: read kernel buffer failed: Operation not permitted");
        assertThat(r.fix()).contains("kernel.dmesg_restrict=0");
    }

    // ---- driver

    @Test
    void driver_pass_with_nvcc_within_the_drivers_cuda() {
        FakeGpuTools tools = FakeGpuTools.in(dir).nvidiaCsv("nvsmi_query-gpu_h100-80gb-hbm3_load.csv")
                .table("nvsmi_table_h200_load.txt").printing("nvcc", NVCC_13_0);
        CheckResult r = new CheckHarness(dir).tools(tools.runner()).run("driver", Map.of("nvcc", "required", "min_version", "535"));
        assertThat(r).isInstanceOf(CheckResult.Pass.class);
        assertThat(r.evidence()).isEqualTo("NVIDIA driver 590.48.01 (CUDA 13.1); nvcc 13.0");
    }

    @Test
    void driver_warns_for_a_newer_nvcc_minor_and_fails_for_a_newer_major() {
        // nvcc output of CUDA 13.0 with the release number changed to 13.2 and 14.0 (derived)
        FakeGpuTools minor = FakeGpuTools.in(dir.resolve("a")).nvidiaCsv("nvsmi_query-gpu_h100-80gb-hbm3_load.csv")
                .table("nvsmi_table_h200_load.txt").printing("nvcc", NVCC_13_0.replace("release 13.0", "release 13.2"));
        CheckResult warn = new CheckHarness(dir).tools(minor.runner()).run("driver", null);
        assertThat(warn).isInstanceOf(CheckResult.Warn.class);
        assertThat(warn.evidence()).startsWith("nvcc 13.2 is newer than NVIDIA driver 590.48.01 (CUDA 13.1)");
        FakeGpuTools major = FakeGpuTools.in(dir.resolve("b")).nvidiaCsv("nvsmi_query-gpu_h100-80gb-hbm3_load.csv")
                .table("nvsmi_table_h200_load.txt").printing("nvcc", NVCC_13_0.replace("release 13.0", "release 14.0"));
        assertThat(new CheckHarness(dir).tools(major.runner()).run("driver", null)).isInstanceOf(CheckResult.Fail.class);
    }

    @Test
    void driver_fails_when_missing_nvcc_is_required_too_old_or_nvml_missing() {
        FakeGpuTools noNvcc = FakeGpuTools.in(dir.resolve("a")).nvidiaCsv("nvsmi_query-gpu_l40s_load.csv");
        CheckResult req = new CheckHarness(dir).tools(noNvcc.runner()).run("driver", Map.of("nvcc", "required"));
        assertThat(req.evidence()).isEqualTo("NVIDIA driver 595.80 answers, but nvcc is not on PATH");
        assertThat(new CheckHarness(dir).tools(noNvcc.runner()).run("driver", Map.of("min_version", "600.1")).evidence())
                .isEqualTo("NVIDIA driver 595.80 is older than min_version 600.1");
        CheckResult nvml = new CheckHarness(dir).tools(FakeGpuTools.in(dir.resolve("b")).nvidiaFails(12,
                "NVIDIA-SMI couldn't find libnvidia-ml.so library in your system.").runner()).run("driver", null);
        assertThat(nvml.evidence()).isEqualTo("nvidia-smi does not answer (exit 12): the NVML shared library could not be found or loaded");
    }
}
