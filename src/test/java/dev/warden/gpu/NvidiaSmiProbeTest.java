package dev.warden.gpu;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** The nvidia-smi probe against fakes fed with real captures of each card. */
class NvidiaSmiProbeTest {
    @TempDir
    Path dir;

    private GpuProbeResult.Found found(FakeGpuTools tools) {
        GpuProbeResult r = GpuProbe.probe(tools.runner());
        assertThat(r).isInstanceOf(GpuProbeResult.Found.class);
        return (GpuProbeResult.Found) r;
    }

    @Test
    void h100_under_load_reads_memory_temperature_and_na_pending_pages_as_unknown() {
        GpuProbeResult.Found f = found(FakeGpuTools.in(dir).nvidiaCsv("nvsmi_query-gpu_h100-80gb-hbm3_load.csv"));
        assertThat(f.driverVersion()).isEqualTo("590.48.01");
        GpuInfo g = f.gpus().get(0);
        assertThat(g.name()).isEqualTo("NVIDIA H100 80GB HBM3");
        assertThat(List.of(g.memoryTotalMib(), g.memoryUsedMib(), g.memoryFreeMib())).containsExactly(81559L, 19818L, 61263L);
        assertThat(g.temperatureC()).isEqualTo(59);
        assertThat(g.eccUncorrectedVolatile()).isZero();
        // H100 replaced page retirement by row remapping: retired_pages.pending reads [N/A]
        assertThat(g.retiredPagesPending()).isNull();
        assertThat(g.rowRemapPending()).isFalse();
        assertThat(g.rowRemapFailure()).isFalse();
        assertThat(g.migEnabled()).isFalse();
        assertThat(g.throttleReasons()).isEmpty();
        assertThat(g.fault()).isNull();
    }

    @Test
    void h200_recorded_with_wardens_own_query_under_load() {
        GpuProbeResult r = NvidiaSmi.parse(Captures.resource("nvsmi_query-gpu_event_h200_load.csv"), NvidiaSmi.FIELDS);
        GpuProbeResult.Found f = (GpuProbeResult.Found) r;
        assertThat(f.driverVersion()).isEqualTo("580.159.04");
        GpuInfo g = f.gpus().get(0);
        assertThat(g.name()).isEqualTo("NVIDIA H200");
        assertThat(List.of(g.memoryTotalMib(), g.memoryUsedMib(), g.memoryFreeMib())).containsExactly(143771L, 36673L, 106484L);
        assertThat(g.temperatureC()).isEqualTo(60);
        assertThat(g.eccUncorrectedVolatile()).isZero();
        assertThat(g.retiredPagesPending()).isNull();
        assertThat(g.rowRemapPending()).isFalse();
        assertThat(g.migEnabled()).isFalse();
        assertThat(g.throttleReasons()).isEmpty();
        assertThat(g.fault()).isNull();
    }

    @Test
    void driver_580_answers_the_old_clocks_throttle_reasons_names_like_the_new_ones() {
        assertThat(Captures.resource("nvsmi_query-gpu_throttle_h200_idle.csv"))
                .isEqualTo(Captures.resource("nvsmi_query-gpu_event_h200_idle.csv"));
        GpuInfo g = ((GpuProbeResult.Found) NvidiaSmi.parse(Captures.resource("nvsmi_query-gpu_event_h200_idle.csv"),
                NvidiaSmi.FIELDS)).gpus().get(0);
        assertThat(g.memoryUsedMib()).isZero();
        assertThat(g.temperatureC()).isEqualTo(38);
    }

    @Test
    void the_fakes_unknown_field_error_is_the_text_a_real_driver_prints() {
        FakeGpuTools tools = FakeGpuTools.in(dir).nvidiaCsv("nvsmi_query-gpu_h100-80gb-hbm3_load.csv");
        ToolResult fake = tools.runner().run(List.of("nvidia-smi", "--query-gpu=index,no_such.field",
                "--format=csv,noheader,nounits"), Duration.ofSeconds(10), null);
        assertThat(fake.exitCode()).isEqualTo(2);
        assertThat(fake.output().strip()).isEqualTo(Captures.resource("nvsmi_query-gpu_bad-field_580.txt").strip());
    }

    @Test
    void h200_compute_apps_recorded_under_load_name_the_process_and_its_memory() {
        List<GpuProcess> apps = NvidiaSmi.parseComputeApps(Captures.resource("nvsmi_query-compute-apps_h200_recorded.csv"));
        assertThat(apps).singleElement().satisfies(p -> {
            assertThat(p.pid()).isEqualTo(482L);
            assertThat(p.usedMib()).isEqualTo(36664L);
            assertThat(p.name()).isEqualTo("python3");
        });
    }

    @Test
    void l40s_reads_mig_na_as_unknown() {
        GpuInfo g = found(FakeGpuTools.in(dir).nvidiaCsv("nvsmi_query-gpu_l40s_load.csv")).gpus().get(0);
        assertThat(g.name()).isEqualTo("NVIDIA L40S");
        assertThat(g.memoryTotalMib()).isEqualTo(46068L);
        assertThat(g.migEnabled()).isNull();
        assertThat(g.temperatureC()).isEqualTo(54);
    }

    @Test
    void a100_xml_capture_with_mig_enabled() {
        GpuProbeResult.Found f = found(FakeGpuTools.in(dir).nvidiaXml("nvsmi_qx_a100-sxm4.xml"));
        assertThat(f.driverVersion()).isEqualTo("535.54.03");
        GpuInfo g = f.gpus().get(0);
        assertThat(g.name()).isEqualTo("NVIDIA A100-SXM4-80GB");
        assertThat(g.migEnabled()).isTrue();
        assertThat(g.memoryTotalMib()).isEqualTo(81920L);
        assertThat(g.eccUncorrectedVolatile()).isZero();
    }

    @Test
    void old_driver_without_clocks_event_reasons_falls_back_to_clocks_throttle_reasons() {
        FakeGpuTools tools = FakeGpuTools.in(dir).nvidiaXml("nvsmi_qx_tesla-t4.xml");
        GpuProbeResult.Found f = found(tools);
        assertThat(f.driverVersion()).isEqualTo("515.105.01");
        assertThat(f.gpus().get(0).name()).isEqualTo("Tesla T4");
        assertThat(f.gpus().get(0).retiredPagesPending()).isFalse();
        List<String> calls = tools.nvidiaCalls();
        assertThat(calls).hasSize(2);
        assertThat(calls.get(0)).contains("clocks_event_reasons.hw_thermal_slowdown");
        assertThat(calls.get(1)).contains("clocks_throttle_reasons.hw_thermal_slowdown").doesNotContain("clocks_event_reasons");
    }

    @Test
    void workstation_card_without_ecc_reads_ecc_as_unknown_not_zero() {
        GpuInfo g = found(FakeGpuTools.in(dir).nvidiaXml("nvsmi_qx_rtx-4000-sff-ada.xml")).gpus().get(0);
        assertThat(g.name()).isEqualTo("NVIDIA RTX 4000 SFF Ada Generation");
        assertThat(g.eccUncorrectedVolatile()).isNull();
        assertThat(g.unknownFields()).contains("ecc.errors.uncorrected.volatile.total");
        assertThat(g.rowRemapPending()).isFalse();
    }

    @Test
    void h100_in_mig_mode_from_text_capture() {
        GpuInfo g = found(FakeGpuTools.in(dir).nvidiaText("nvsmi_q_h100-mig_load.txt")).gpus().get(0);
        assertThat(g.migEnabled()).isTrue();
        assertThat(g.rowRemapPending()).isNull();
        assertThat(g.memoryFreeMib()).isEqualTo(69956L);
        assertThat(g.temperatureC()).isEqualTo(53);
    }

    @Test
    void h100_text_capture_matches_its_csv_capture() {
        GpuInfo g = found(FakeGpuTools.in(dir).nvidiaText("nvsmi_q_h100-80gb-hbm3_load.txt")).gpus().get(0);
        assertThat(g.name()).isEqualTo("NVIDIA H100 80GB HBM3");
        assertThat(g.memoryTotalMib()).isEqualTo(81559L);
        assertThat(g.eccUncorrectedVolatile()).isZero();
    }

    @Test
    void consumer_card_on_windows_driver() {
        GpuProbeResult.Found f = found(FakeGpuTools.in(dir).nvidiaText("nvsmi_q_rtx2080super_windows_load.txt"));
        GpuInfo g = f.gpus().get(0);
        assertThat(f.driverVersion()).isEqualTo("610.62");
        assertThat(g.name()).isEqualTo("NVIDIA GeForce RTX 2080 SUPER");
        assertThat(g.eccUncorrectedVolatile()).isNull();
        assertThat(g.temperatureC()).isEqualTo(44);
    }

    @Test
    void placeholders_are_unknown_and_a_reset_message_is_a_fault() {
        // derived from the real H100 capture: values replaced by the placeholders nvidia-smi prints
        List<Map<String, String>> rows = Captures.fromCsv(Captures.resource("nvsmi_query-gpu_h100-80gb-hbm3_load.csv"));
        Map<String, String> row = new LinkedHashMap<>(rows.get(0));
        row.put("temperature.gpu", "[N/A]");
        row.put("memory.used", "[Not Supported]");
        row.put("memory.free", "[GPU requires reset]");
        GpuInfo g = found(FakeGpuTools.in(dir).nvidia(List.of(row))).gpus().get(0);
        assertThat(g.temperatureC()).isNull();
        assertThat(g.memoryUsedMib()).isNull();
        assertThat(g.fault()).isEqualTo("requires reset");
        assertThat(g.unknownFields()).contains("temperature.gpu", "memory.used");
    }

    @Test
    void a_field_the_driver_does_not_know_is_dropped_and_read_as_unknown() {
        List<Map<String, String>> rows = new ArrayList<>();
        for (Map<String, String> r : Captures.fromCsv(Captures.resource("nvsmi_query-gpu_l40s_load.csv"))) {
            Map<String, String> m = new LinkedHashMap<>(r);
            m.keySet().removeIf(k -> k.startsWith("remapped_rows."));
            rows.add(m);
        }
        FakeGpuTools tools = FakeGpuTools.in(dir).nvidia(rows);
        GpuInfo g = found(tools).gpus().get(0);
        assertThat(g.rowRemapPending()).isNull();
        assertThat(g.name()).isEqualTo("NVIDIA L40S");
        assertThat(tools.nvidiaCalls()).hasSize(3);
    }

    @Test
    void thermal_slowdown_is_reported() {
        Map<String, String> row = new LinkedHashMap<>(Captures.fromCsv(Captures.resource("nvsmi_query-gpu_l40s_load.csv")).get(0));
        row.put("clocks_event_reasons.hw_thermal_slowdown", "Active");
        row.put("clocks_event_reasons.sw_power_cap", "Active");
        GpuInfo g = found(FakeGpuTools.in(dir).nvidia(List.of(row))).gpus().get(0);
        assertThat(g.throttleReasons()).containsExactly("hw_thermal_slowdown");
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
            "9|the NVIDIA driver is not loaded",
            "12|the NVML shared library could not be found or loaded",
            "14|a GPU's infoROM is corrupted",
            "15|a GPU has fallen off the bus or has otherwise become inaccessible"})
    void exit_codes_mean_what_nvidia_documents(int code, String meaning) {
        GpuProbeResult r = GpuProbe.probe(FakeGpuTools.in(dir).nvidiaFails(code,
                "NVIDIA-SMI has failed because it couldn't communicate with the NVIDIA driver.").runner());
        assertThat(r).isInstanceOfSatisfying(GpuProbeResult.ToolFailed.class, f -> {
            assertThat(f.exitCode()).isEqualTo(code);
            assertThat(f.meaning()).isEqualTo(meaning);
            assertThat(NvidiaSmi.exitFix(code)).isNotBlank();
        });
    }

    @Test
    void a_hung_nvidia_smi_is_killed_at_the_timeout() {
        GpuProbeResult r = NvidiaSmi.probe(FakeGpuTools.in(dir).nvidiaHangs(60).runner(), Duration.ofMillis(500));
        assertThat(r).isInstanceOfSatisfying(GpuProbeResult.ToolFailed.class, f -> {
            assertThat(f.timedOut()).isTrue();
            assertThat(f.meaning()).contains("did not answer");
        });
    }

    @Test
    void no_gpu_tool_is_an_answer_not_a_crash() {
        assertThat(GpuProbe.probe(FakeGpuTools.in(dir).runner())).isInstanceOf(GpuProbeResult.NoTool.class);
    }
}
