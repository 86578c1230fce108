package dev.warden.check;

import dev.warden.UserError;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class PreflightInputsTest {
    @TempDir
    Path dir;

    private Path spec(String yaml) throws Exception {
        Path f = dir.resolve("warden.yaml");
        Files.writeString(f, yaml);
        return f;
    }

    @Test
    void reads_command_workdir_checks_budget_and_gpus() throws Exception {
        Files.createDirectories(dir.resolve("job"));
        PreflightInput in = PreflightInputs.fromYaml(spec("""
                command: python train.py --data "data/my train.jsonl"
                workdir: job
                gpus: 8
                budget: {max_wall: 2d, usd_per_hour: 2.50, max_usd: 0}
                checks:
                  - memory
                  - disk: {path: /data, min_free: 20GiB}
                  - import: [torch, transformers]
                  - tcp: "10.0.0.2:22"
                  - command: {run: "pytest -q tests/test_kernels.py", timeout: 5m}
                """));
        assertThat(in.command()).containsExactly("python", "train.py", "--data", "data/my train.jsonl");
        assertThat(in.workdir()).isEqualTo(dir.resolve("job"));
        assertThat(in.gpusWanted()).isEqualTo(8);
        assertThat(in.maxHours()).isEqualTo(48.0);
        assertThat(in.usdPerHour()).isEqualTo(2.5);
        assertThat(in.maxUsd()).isZero();
        assertThat(in.checks()).hasSize(5);
        assertThat(in.checks().get(0)).containsOnlyKeys("memory");
        assertThat(Preflight.plan(in, CheckRegistry.builtIn())).extracting(CheckItem::id)
                .containsExactly("gpu", "gpu_errors", "driver", "budget", "memory", "disk", "import", "tcp", "command");
    }

    @Test
    void bad_specs_are_one_line_with_the_place_and_the_fix() throws Exception {
        assertThatThrownBy(() -> PreflightInputs.fromYaml(spec("command: x\nchecks:\n  - disk: {path: /data\n")))
                .isInstanceOf(UserError.class).hasMessageContaining("warden.yaml:").hasMessageContaining("not valid YAML");
        assertThatThrownBy(() -> PreflightInputs.fromYaml(spec("command: x\ngpus: eight\n")))
                .hasMessageContaining("warden.yaml:2:7: `gpus` must be a whole number");
        assertThatThrownBy(() -> PreflightInputs.fromYaml(dir.resolve("nope.yaml")))
                .hasMessageContaining("warden init");
    }

    @Test
    void spec_without_checks_means_node_checks_only() throws Exception {
        PreflightInput in = PreflightInputs.fromYaml(spec("command: python train.py\n"));
        assertThat(in.command()).containsExactly("python", "train.py");
        assertThat(Preflight.plan(in, CheckRegistry.builtIn())).hasSize(5);
        assertThat(List.of(in.maxHours(), in.usdPerHour(), in.maxUsd())).containsOnly(0.0);
    }
}
