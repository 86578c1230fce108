package dev.warden.check;

import dev.warden.UserError;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Set;

import static dev.warden.check.CheckHarness.entry;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class PreflightPlanTest {
    @TempDir
    Path dir;

    private List<String> ids(CheckHarness h, List<Map<String, Object>> checks) {
        return Preflight.plan(h.input(checks, Set.of()), CheckRegistry.builtIn()).stream().map(CheckItem::id).toList();
    }

    @Test
    void node_checks_run_by_default_and_a_listed_kind_replaces_its_default() {
        CheckHarness h = new CheckHarness(dir);
        assertThat(ids(h, List.of())).containsExactly("disk", "memory", "gpu", "gpu_errors", "driver");
        assertThat(ids(h, List.of(entry("disk", "/data"), entry("files", List.of("a")))))
                .containsExactly("memory", "gpu", "gpu_errors", "driver", "disk", "files");
    }

    @Test
    void budget_and_drift_join_when_the_spec_has_a_budget_or_a_lock() throws Exception {
        CheckHarness h = new CheckHarness(dir).budget(10, 2, 0);
        Files.writeString(h.workdir.resolve("warden.lock"), "{}");
        assertThat(ids(h, List.of())).contains("budget", "drift");
    }

    @Test
    void repeated_kinds_get_numbered_ids_and_an_explicit_id_wins() {
        CheckHarness h = new CheckHarness(dir);
        assertThat(ids(h, List.of(entry("tcp", "10.0.0.2:22"), entry("tcp", "10.0.0.3:22"),
                entry("tcp", Map.of("targets", "10.0.0.4:22", "id", "master")))))
                .endsWith("tcp", "tcp-2", "master");
    }

    @Test
    void the_same_explicit_id_twice_is_refused_naming_the_entry() {
        CheckHarness h = new CheckHarness(dir);
        assertThatThrownBy(() -> ids(h, List.of(entry("env", Map.of("vars", "A", "id", "x")),
                entry("files", Map.of("paths", "a", "id", "x")))))
                .isInstanceOf(UserError.class).hasMessage("checks[1] (files) `id`: `x` is used by another check; give each check its own id");
    }

    @Test
    void unknown_kind_suggests_the_closest() {
        CheckHarness h = new CheckHarness(dir);
        assertThatThrownBy(() -> ids(h, List.of(entry("env", "A"), entry("imports", List.of("torch")))))
                .isInstanceOf(UserError.class)
                .hasMessageStartingWith("checks[1]: unknown check `imports` (did you mean `import`?); known checks: disk, memory");
    }

    @Test
    void unknown_option_and_bad_values_name_entry_key_and_fix() {
        CheckHarness h = new CheckHarness(dir);
        assertThatThrownBy(() -> ids(h, List.of(entry("disk", Map.of("path", "/data", "min_fre", "20GiB")))))
                .hasMessageStartingWith("checks[0] (disk) `min_fre`: unknown option (did you mean `min_free`?)");
        assertThatThrownBy(() -> ids(h, List.of(entry("disk", Map.of("min_free", "20 gigs")))))
                .hasMessageStartingWith("checks[0] (disk) `min_free`: `20 gigs` is not a size");
        assertThatThrownBy(() -> ids(h, List.of(entry("tcp", "10.0.0.2"))))
                .hasMessage("checks[0] (tcp): `10.0.0.2` is not host:port; write it like \"10.0.0.2:22\" (quoted in YAML)");
        assertThatThrownBy(() -> ids(h, List.of(entry("command", Map.of("timeout", "5m")))))
                .hasMessageContaining("checks[0] (command) `run`: is missing");
        assertThatThrownBy(() -> ids(h, List.of(entry("import", List.of("flash-attn")))))
                .hasMessageContaining("`flash-attn` is not a Python module name");
        assertThatThrownBy(() -> ids(h, List.of(entry("driver", "required"))))
                .hasMessage("checks[0] (driver): takes no value `required`; write `- driver` or `- driver: {nvcc: required, min_version: \"535\"}`");
        assertThatThrownBy(() -> ids(h, List.of(entry("memory", "lots"))))
                .hasMessageStartingWith("checks[0] (memory): `lots` is not a size");
    }

    @Test
    void an_entry_with_two_kinds_is_refused() {
        CheckHarness h = new CheckHarness(dir);
        Map<String, Object> two = new java.util.LinkedHashMap<>();
        two.put("tcp", "10.0.0.2:22");
        two.put("timeout", "3s");
        assertThatThrownBy(() -> ids(h, List.of(entry("env", "A"), entry("env", "B"), two)))
                .hasMessageStartingWith("checks[2] has 2 keys [tcp, timeout]; each entry is one check");
    }

    @Test
    void skip_by_id_or_kind_is_reported_as_skipped_and_an_unknown_skip_is_refused() {
        CheckHarness h = new CheckHarness(dir);
        PreflightReport r = h.preflight(List.of(entry("env", "PATH"), entry("budget", null)),
                Set.of("gpu", "gpu_errors", "driver", "disk", "memory", "budget"));
        assertThat(r.skipped()).extracting(CheckResult::check)
                .containsExactlyInAnyOrder("gpu", "gpu_errors", "driver", "disk", "memory", "budget");
        assertThat(r.skipped()).allSatisfy(s -> assertThat(s.evidence()).startsWith("skipped by --skip-check "));
        assertThat(r.results()).filteredOn(x -> x.check().equals("env")).singleElement()
                .isInstanceOf(CheckResult.Pass.class);
        assertThatThrownBy(() -> h.preflight(List.of(), Set.of("gpu_error")))
                .isInstanceOf(UserError.class)
                .hasMessage("--skip-check gpu_error matches no check (did you mean `gpu_errors`?); checks of this spec: disk, memory, gpu, gpu_errors, driver");
    }
}
