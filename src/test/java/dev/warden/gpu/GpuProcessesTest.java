package dev.warden.gpu;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.List;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;

class GpuProcessesTest {
    @TempDir
    Path dir;

    @Test
    void finds_which_of_the_jobs_pids_still_hold_gpu_memory_on_h200() {
        FakeGpuTools tools = FakeGpuTools.in(dir).computeApps("nvsmi_query-compute-apps_h200_load.csv");
        List<GpuProcess> held = GpuProcesses.holding(Set.of(10309L, 10293L, 77L), tools.runner());
        assertThat(held).extracting(GpuProcess::pid).containsExactlyInAnyOrder(10309L, 10293L);
        GpuProcess burn = held.stream().filter(p -> p.pid() == 10309L).findFirst().orElseThrow();
        assertThat(burn.usedMib()).isEqualTo(28234L);
        assertThat(burn.name()).isEqualTo("./gpu_burn");
        assertThat(burn.gpu()).isEqualTo("GPU-00000000-0000-0000-0000-000000000000");
    }

    @Test
    void nothing_held_when_no_pid_matches_or_no_tool() {
        FakeGpuTools tools = FakeGpuTools.in(dir).computeApps("nvsmi_query-compute-apps_h200_load.csv");
        assertThat(GpuProcesses.holding(Set.of(1L), tools.runner())).isEmpty();
        assertThat(GpuProcesses.holding(Set.of(10309L), FakeGpuTools.in(dir.resolve("empty")).runner())).isEmpty();
    }
}
