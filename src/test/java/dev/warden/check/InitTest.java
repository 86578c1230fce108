package dev.warden.check;

import dev.warden.cli.Main;
import dev.warden.gpu.FakeGpuTools;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.util.List;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;

/** `warden init` on a sample training script. */
class InitTest {
    @TempDir
    Path dir;

    static final String TRAIN_PY = """
            #!/usr/bin/env python
            \"\"\"Fine-tune a causal LM.\"\"\"
            from __future__ import annotations
            import os, sys, json
            import math as m
            import numpy as np
            import torch.distributed as dist
            from transformers import AutoModelForCausalLM, AutoTokenizer  # the model
            from peft import LoraConfig
            from .local_helpers import x
            from mylib.data import load
            import utils
            try:
                import wandb
            except ImportError:
                wandb = None

            def main():
                import deepspeed
            """;

    private void sample() throws Exception {
        Files.writeString(dir.resolve("train.py"), TRAIN_PY);
        Files.createDirectories(dir.resolve("data"));
        Files.createDirectories(dir.resolve("mylib"));
        Files.writeString(dir.resolve("utils.py"), "");
        Files.writeString(dir.resolve("data/train.jsonl"), "{\"text\": \"hi\"}\n");
        Files.writeString(dir.resolve("ds_config.json"), "{}");
    }

    @Test
    void infers_files_modules_and_gpus() throws Exception {
        sample();
        FakeGpuTools tools = FakeGpuTools.in(dir.resolve("fake")).nvidiaCsv("nvsmi_query-gpu_h100-80gb-hbm3_load.csv");
        InitPlan plan = InitInference.infer(dir, List.of("python", "train.py", "--data", "data/train.jsonl",
                "--deepspeed=ds_config.json", "--eval_data", "data/eval.jsonl", "--output_dir", "out/run1", "--lr", "3e-4",
                "--epochs", "3"), tools.runner());
        assertThat(plan.files()).containsExactly("train.py", "data/train.jsonl", "ds_config.json");
        assertThat(plan.missingPaths()).containsExactly("data/eval.jsonl");
        assertThat(plan.modules()).containsExactly("numpy", "torch", "transformers", "peft");
        assertThat(plan.gpus()).isEqualTo(1);
        assertThat(plan.gpuNote()).isEqualTo("found on this node: 1 x NVIDIA H100 80GB HBM3");
    }

    @Test
    void the_written_file_is_a_valid_spec_whose_checks_plan() throws Exception {
        sample();
        List<String> command = List.of("python", "train.py", "--data", "data/train.jsonl", "--lr", "3e-4", "-v", "--flag", "true",
                "--note", "a \"quoted\" text");
        InitPlan plan = InitInference.infer(dir, command, FakeGpuTools.in(dir.resolve("fake")).runner());
        Path spec = dir.resolve("warden.yaml");
        Files.writeString(spec, InitTemplate.render(plan, LocalDate.of(2026, 11, 26)));
        String yaml = Files.readString(spec);
        assertThat(yaml).contains("command: [python, train.py, --data, data/train.jsonl, --lr, \"3e-4\", -v, --flag, \"true\",",
                "# gpus: 1", "no GPU tool (nvidia-smi, rocm-smi) on this node",
                "- files: [train.py, data/train.jsonl]", "- import: [numpy, torch, transformers, peft]");
        for (String kind : CheckRegistry.builtIn().kinds()) {
            assertThat(yaml).as("every check kind is documented in place").contains("- " + kind + ":");
        }
        PreflightInput in = PreflightInputs.fromYaml(spec);
        assertThat(in.command()).as("every argument survives the YAML round trip as text").isEqualTo(command);
        assertThat(Preflight.plan(in, CheckRegistry.builtIn())).extracting(CheckItem::id).endsWith("files", "import");
        PreflightReport r = Preflight.run(in.withSkip(Set.of("disk", "memory", "gpu", "gpu_errors", "driver", "import")),
                CheckRegistry.builtIn(), FakeGpuTools.in(dir.resolve("fake")).runner(), new dev.warden.store.WardenHome(dir.resolve("h")));
        assertThat(r.results()).filteredOn(x -> x.check().equals("files")).singleElement().isInstanceOf(CheckResult.Pass.class);
    }

    @Test
    void the_cli_refuses_to_overwrite_without_force() throws Exception {
        sample();
        Path out = dir.resolve("warden.yaml");
        StringWriter o = new StringWriter();
        StringWriter e = new StringWriter();
        int first = Main.execute(new PrintWriter(o), new PrintWriter(e), "init", "-o", out.toString(), "--", "python", "train.py",
                "--data", "data/train.jsonl");
        assertThat(first).isZero();
        assertThat(o.toString()).contains("wrote " + out, "files checked:   train.py, data/train.jsonl");
        String before = Files.readString(out);
        Files.writeString(out, before + "# my edits\n");
        int second = Main.execute(new PrintWriter(o), new PrintWriter(e), "init", "-o", out.toString(), "--", "python", "other.py");
        assertThat(second).isEqualTo(2);
        assertThat(e.toString()).contains("already exists; edit it, or pass --force to replace it");
        assertThat(Files.readString(out)).endsWith("# my edits\n");
        int forced = Main.execute(new PrintWriter(o), new PrintWriter(e), "init", "--force", "-o", out.toString(), "--", "python", "train.py");
        assertThat(forced).isZero();
        assertThat(Files.readString(out)).doesNotContain("# my edits");
    }
}
