package dev.warden.gpu;

import dev.warden.UserError;
import dev.warden.store.WardenHome;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class GpuExclusionsTest {
    @TempDir
    Path home;

    static GpuInfo gpu(int index, GpuVendor vendor) {
        return new GpuInfo(index, vendor, "GPU", "GPU-uuid-" + index, null, 80000L, 0L, 80000L, 40, 0L,
                false, false, false, false, Set.of(), null, List.of());
    }

    static List<GpuInfo> gpus(int n, GpuVendor vendor) {
        List<GpuInfo> out = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            out.add(gpu(i, vendor));
        }
        return out;
    }

    @Test
    void exclusion_is_persisted_and_undone() throws Exception {
        WardenHome h = new WardenHome(home);
        GpuExclusions.load(h).exclude(3, "GPU-uuid-3", "SMU 0xFFFFFFFF", Instant.parse("2026-01-24T10:00:00Z"));
        GpuExclusions again = GpuExclusions.load(h);
        assertThat(again.list()).containsExactly(new GpuExclusions.Exclusion(3, "GPU-uuid-3", "SMU 0xFFFFFFFF", "2026-01-24T10:00:00Z"));
        assertThat(Files.readString(home.resolve("gpu-exclusions.json"))).contains("SMU 0xFFFFFFFF");
        try (var s = Files.list(home)) {
            assertThat(s.map(p -> p.getFileName().toString())).noneMatch(n -> n.endsWith(".tmp"));
        }
        again.include(3);
        assertThat(GpuExclusions.load(h).list()).isEmpty();
    }

    @Test
    void a_corrupt_file_is_reported_and_left_alone() throws Exception {
        Files.writeString(home.resolve("gpu-exclusions.json"), "{not json");
        assertThatThrownBy(() -> GpuExclusions.load(new WardenHome(home)))
                .isInstanceOf(UserError.class).hasMessageContaining("gpu-exclusions.json").hasMessageContaining("fix it by hand");
        assertThat(Files.readString(home.resolve("gpu-exclusions.json"))).isEqualTo("{not json");
    }

    @Test
    void nvidia_excluded_gpu_is_hidden_with_pci_bus_order() {
        GpuExclusions ex = GpuExclusions.load(new WardenHome(home)).exclude(1, null, "Xid 79", Instant.now());
        Map<String, String> env = ex.visibleDevicesEnv(GpuVendor.NVIDIA, gpus(4, GpuVendor.NVIDIA), Map.of());
        assertThat(env).containsEntry("CUDA_VISIBLE_DEVICES", "0,2,3").containsEntry("CUDA_DEVICE_ORDER", "PCI_BUS_ID")
                .doesNotContainKey("ROCR_VISIBLE_DEVICES");
    }

    @Test
    void the_jobs_own_restriction_is_kept_minus_exclusions_uuids_included() {
        GpuExclusions ex = GpuExclusions.load(new WardenHome(home)).exclude(2, "GPU-uuid-2", "ecc", Instant.now());
        assertThat(ex.visibleDevicesEnv(GpuVendor.NVIDIA, gpus(4, GpuVendor.NVIDIA), Map.of("CUDA_VISIBLE_DEVICES", "1,2")))
                .containsEntry("CUDA_VISIBLE_DEVICES", "1");
        assertThat(ex.visibleDevicesEnv(GpuVendor.NVIDIA, gpus(4, GpuVendor.NVIDIA), Map.of("CUDA_VISIBLE_DEVICES", "GPU-uuid-2,GPU-uuid-3")))
                .containsEntry("CUDA_VISIBLE_DEVICES", "3");
    }

    @Test
    void uuid_exclusion_follows_the_gpu_when_indices_change() {
        GpuExclusions ex = GpuExclusions.load(new WardenHome(home)).exclude(0, "GPU-uuid-2", "moved", Instant.now());
        assertThat(ex.visibleDevicesEnv(GpuVendor.NVIDIA, gpus(3, GpuVendor.NVIDIA), Map.of()))
                .containsEntry("CUDA_VISIBLE_DEVICES", "0,1");
    }

    @Test
    void amd_uses_rocr_for_physical_indices_and_resets_hip_to_what_remains() {
        GpuExclusions ex = GpuExclusions.load(new WardenHome(home)).exclude(10, null, "SMU 0xFFFFFFFF", Instant.now());
        Map<String, String> env = ex.visibleDevicesEnv(GpuVendor.AMD, gpus(12, GpuVendor.AMD), Map.of("HIP_VISIBLE_DEVICES", "9,10,11"));
        assertThat(env).containsEntry("ROCR_VISIBLE_DEVICES", "9,11")
                .containsEntry("HIP_VISIBLE_DEVICES", "0,1").containsEntry("CUDA_VISIBLE_DEVICES", "0,1");
    }

    @Test
    void nothing_excluded_leaves_the_environment_alone() {
        assertThat(GpuExclusions.load(new WardenHome(home)).visibleDevicesEnv(GpuVendor.NVIDIA, gpus(8, GpuVendor.NVIDIA), Map.of())).isEmpty();
    }

    @ParameterizedTest(name = "seed {0}")
    @ValueSource(longs = {1, 2, 3, 42, 1234, 99991})
    void visible_devices_never_contain_an_excluded_gpu_and_keep_the_rest_in_order(long seed) {
        Random rnd = new Random(seed);
        int n = 1 + rnd.nextInt(16);
        GpuExclusions ex = GpuExclusions.load(new WardenHome(home.resolve("s" + seed)));
        Set<Integer> excluded = new HashSet<>();
        for (int i = 0; i < n; i++) {
            if (rnd.nextInt(3) == 0) {
                ex = ex.exclude(i, null, "r", Instant.now());
                excluded.add(i);
            }
        }
        String visible = ex.visibleDevicesEnv(GpuVendor.NVIDIA, gpus(n, GpuVendor.NVIDIA), Map.of())
                .getOrDefault("CUDA_VISIBLE_DEVICES", null);
        List<Integer> expected = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            if (!excluded.contains(i)) {
                expected.add(i);
            }
        }
        if (excluded.isEmpty()) {
            assertThat(visible).as("seed " + seed).isNull();
        } else {
            List<Integer> got = visible.isEmpty() ? List.of()
                    : Arrays.stream(visible.split(",")).map(Integer::parseInt).toList();
            assertThat(got).as("seed " + seed).isEqualTo(expected);
        }
    }
}
