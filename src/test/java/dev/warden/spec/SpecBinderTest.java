package dev.warden.spec;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The fast binder and Jackson's databind read every spec the same, or the binder declines (and databind, which words
 * the errors, reads it). Equal records, so a spec means the same thing whichever path read it.
 */
class SpecBinderTest {
    /** Every key Warden knows, each kind of value, nested sections, lists of mappings, block scalars. */
    static final String EVERY_KEY = """
            name: llama-lora
            command: |
              python train.py --bs ${batch_size} \\
                --lr ${lr}
            workdir: .
            env: {HF_HOME: /data/hf, WANDB_MODE: offline}
            params: {batch_size: 32, lr: 3.0e-4, tag: "v1", flags: [a, 1, 2.5, true, null], nested: {k: 1}}
            secrets: [WANDB_API_KEY, HF_TOKEN]
            gpus: 8
            stall_after: 10m
            startup_stall: 15m
            grace: 30
            start_seconds: 1.5s
            max_restarts: 5
            restart_window: 1h
            backoff: {initial: 1s, max: 1m, reset_after: 10m}
            max_no_progress: 3
            on_nan: stop
            on:
              cuda_oom: {halve: batch_size, min: 1}
              gpu_hardware: {exclude_gpu: true}
              missing_dependency: {action: stop}
            budget: {max_wall: 12h, usd_per_hour: 2.49, max_usd: 40, warn_at: 0.8, signal_before: 90s, signal: SIGUSR1}
            progress: {step: 'step (\\d+)', total: 'of (\\d+)', loss: 'loss=([0-9.]+)'}
            on_finish: ./stop-instance.sh
            notify: {webhook: "http://127.0.0.1:9/hook"}
            orphans: adopt
            checkpoints:
              dir: output
              layout: huggingface
              pattern: "checkpoint-*"
              step_regex: 'checkpoint-(\\d+)'
              resume_arg: "--resume_from_checkpoint ${checkpoint}"
              seal: auto
              algorithm: sha256
              settle: 2m
              fingerprint: {dataset: [data/train.jsonl], config: {file: config.yaml, keys: [lora.r, lora.alpha]}}
              on_dataset_change: archive
              on_config_change: refuse
              disk_factor: 3
            checks:
              - files: [train.py, data/train.jsonl]
              - import: [torch, flash_attn]
              - command: {run: "pytest -q tests", timeout: 5m}
              - tcp: "127.0.0.1:29500"
              - gpu: {count: 8, min_free_memory: 70GiB}
            rules:
              - id: my-flaky-loader
                category: network
                patterns: ["DataLoader worker (pid", {regex: 'worker \\d+ exited'}]
            """;

    static Stream<String> specs() throws IOException {
        List<String> out = new ArrayList<>(List.of(EVERY_KEY,
                "command: [python, train.py, --lr, '3e-4']\n",
                "command: python train.py\ngrace:\nstall_after: ~\nparams: {}\nchecks: []\n",
                "command: python train.py\nbudget: {max_wall: 0, max_usd: 0}\n",
                "command:\n"));
        for (String f : List.of("examples/demo/warden.yaml", "examples/cuda/warden.yaml", "examples/cuda/orphan.yaml",
                "bench/faults/specs/train.yaml", "bench/faults/specs/train-2rank.yaml")) {
            out.add(Files.readString(Path.of(f)));
        }
        return out.stream();
    }

    @ParameterizedTest
    @MethodSource("specs")
    void readsEverySpecExactlyAsDatabindDoes(String text) throws Exception {
        JobSpec reference = SpecLoader.databind(text);

        assertThat(SpecBinder.bind(text)).as(text).contains(reference);
    }

    @ParameterizedTest
    @ValueSource(strings = {
            "command: python train.py\nmax_restart: 5\n",                      // unknown key: databind names it
            "command: python train.py\nname: a\nname: b\n",                    // repeated key
            "command: python train.py\nenv: {OMP_NUM_THREADS: 4}\n",           // databind turns 4 into "4"
            "command: python train.py\nname: 123\n",
            "command: python train.py\nmax_restarts: 2.5\n",
            "command: python train.py\nmax_restarts: 99999999999\n",
            "command: python train.py\ngrace: soon\n",
            "command: python train.py\ngrace: true\n",
            "command: [python, 1]\n",
            "base: &b {initial: 1s}\ncommand: x\nbackoff: *b\n",                 // anchors and aliases
            "command: !!str python\n",
            "- command: x\n",
            "",
            "command: x\n---\ncommand: y\n",
            "command: x\nbackoff: 5s\n",
            "command: x\nsecrets: HF_TOKEN\n"})
    void declinesWhatDatabindWouldReadOrWordDifferently(String text) {
        assertThat(SpecBinder.bind(text)).isEmpty();
    }

    @Test
    void aDeclinedSpecStillLoadsThroughDatabind() {
        JobSpec spec = SpecLoader.parse("command: python train.py\nenv: {OMP_NUM_THREADS: 4}\n", "w.yaml");

        assertThat(spec.env()).containsEntry("OMP_NUM_THREADS", "4");
    }
}
