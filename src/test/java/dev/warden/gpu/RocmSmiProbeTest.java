package dev.warden.gpu;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.List;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;

/** The rocm-smi probe against fakes fed with real --json captures (MI100, MI50, RX 6700 XT). */
class RocmSmiProbeTest {
    @TempDir
    Path dir;

    private GpuProbeResult.Found found(FakeGpuTools tools) {
        GpuProbeResult r = GpuProbe.probe(tools.runner());
        assertThat(r).isInstanceOf(GpuProbeResult.Found.class);
        return (GpuProbeResult.Found) r;
    }

    @Test
    void four_mi100_cards() {
        GpuProbeResult.Found f = found(FakeGpuTools.in(dir).rocmCapture("rocmsmi_mi100_rocm602.json"));
        assertThat(f.vendor()).isEqualTo(GpuVendor.AMD);
        assertThat(f.driverVersion()).isEqualTo("6.3.6");
        assertThat(f.gpus()).hasSize(4).extracting(GpuInfo::index).containsExactly(0, 1, 2, 3);
        GpuInfo g = f.gpus().get(0);
        assertThat(g.name()).isEqualTo("Arcturus GL-XL [Instinct MI100]");
        assertThat(g.temperatureC()).isEqualTo(55); // junction
        assertThat(g.memoryTotalMib()).isEqualTo(34342961152L >> 20);
        assertThat(g.memoryUsedMib()).isEqualTo(6750208L >> 20);
        assertThat(g.pciBusId()).isEqualTo("0000:83:00.0");
        assertThat(g.fault()).isNull();
    }

    @Test
    void consumer_rx6700xt_with_na_unique_id() {
        GpuInfo g = found(FakeGpuTools.in(dir).rocmCapture("rocmsmi_rx6700xt_rocm612.json")).gpus().get(0);
        assertThat(g.name()).isEqualTo("Navi 22 [Radeon RX 6700/6700 XT / 6800M]");
        assertThat(g.uuid()).isNull();
        assertThat(g.memoryUsedMib()).isEqualTo(1572745216L >> 20);
    }

    @Test
    void older_rocm_key_names_mi50() {
        GpuProbeResult.Found f = found(FakeGpuTools.in(dir).rocmCapture("rocmsmi_vega-20-wks-gl-xe.json"));
        assertThat(f.driverVersion()).isEqualTo("5.9.17");
        assertThat(f.gpus().get(0).name()).isEqualTo("Radeon Instinct MI50 32GB");
        assertThat(f.gpus().get(0).temperatureC()).isEqualTo(38);
    }

    @Test
    void amd_placeholders_read_as_unknown_and_an_all_placeholder_card_as_not_responding() {
        // derived from the real MI100 capture: card1 given the values a card whose SMU stopped answering reports
        String json = Captures.resource("rocmsmi_mi100_rocm602.json")
                .replace("\"Temperature (Sensor junction) (C)\": \"55.0\"", "\"Temperature (Sensor junction) (C)\": \"511.0\"")
                .replace("\"Temperature (Sensor edge) (C)\": \"53.0\"", "\"Temperature (Sensor edge) (C)\": \"65535.0\"");
        int card1 = json.indexOf("\"card1\"");
        int card2 = json.indexOf("\"card2\"");
        String broken = json.substring(card1, card2)
                .replaceAll("\"(Temperature \\(Sensor [a-z]+\\) \\(C\\))\": \"[0-9.]+\"", "\"$1\": \"65535.0\"")
                .replaceAll("\"(VRAM Total (Used )?Memory \\(B\\))\": \"\\d+\"", "\"$1\": \"18446744073709551615\"")
                .replace("\"GPU use (%)\": \"0\"", "\"GPU use (%)\": \"0xFFFFFFFF\"");
        json = json.substring(0, card1) + broken + json.substring(card2);
        List<GpuInfo> gpus = found(FakeGpuTools.in(dir).rocmJson(json)).gpus();
        assertThat(gpus.get(0).temperatureC()).as("junction 511 is no real temperature; edge 65535 neither").isNull();
        assertThat(gpus.get(0).fault()).isNull();
        assertThat(gpus.get(1).memoryTotalMib()).isNull();
        assertThat(gpus.get(1).fault()).startsWith("not responding");
        assertThat(gpus.get(2).fault()).isNull();
    }

    @Test
    void amdgpu_not_loaded_is_a_failure_with_its_meaning() {
        FakeGpuTools tools = FakeGpuTools.in(dir).script("rocm-smi",
                "#!/bin/sh\necho 'ERROR:root:Driver not initialized (amdgpu not found in modules)'\nexit 0\n");
        GpuProbeResult r = GpuProbe.probe(tools.runner());
        assertThat(r).isInstanceOfSatisfying(GpuProbeResult.ToolFailed.class,
                f -> assertThat(f.meaning()).isEqualTo("the amdgpu driver is not loaded"));
    }

    @Test
    void showpids_lists_processes_with_their_vram() {
        // rocm-smi --showpids --json as rocm_smi.py prints it (print2DArray: "PID<pid>": "name, gpus, vram, sdma, cu"),
        // for the processes of the real table in ROCm/ROC-smi issue #60
        String pids = "{\"system\": {\"PID3722222\": \"test_ref, 0, 0, 0, 0\", "
                + "\"PID1168514\": \"pt_main_thread, 1, 177386942464, 0, 4\"}}";
        FakeGpuTools tools = FakeGpuTools.in(dir).rocmCapture("rocmsmi_mi100_rocm602.json").rocmPids(pids);
        List<GpuProcess> held = GpuProcesses.holding(Set.of(1168514L, 42L), tools.runner());
        assertThat(held).containsExactly(new GpuProcess(1168514L, "count:1", 177386942464L >> 20, "pt_main_thread"));
    }
}
