package dev.warden.check;

import java.time.LocalDate;
import java.util.List;
import java.util.stream.Collectors;

/** Renders the commented warden.yaml that `warden init` writes: every option documented where it goes. */
public final class InitTemplate {
    private InitTemplate() {}

    public static String render(InitPlan plan, LocalDate today) {
        StringBuilder y = new StringBuilder();
        String shown = plan.command().stream().map(InitTemplate::shellQuote).collect(Collectors.joining(" "));
        y.append("# warden.yaml, written by `warden init` on ").append(today).append(" for:\n");
        y.append("#   ").append(shown).append("\n");
        y.append("# Every option is explained where it goes; delete what you do not need.\n");
        y.append("# `warden check` runs the checks; `warden run` runs them first and refuses to start on a FAIL.\n\n");

        y.append("# The job's command, one argument per item (no shell involved). For shell syntax write one string:\n");
        y.append("#   command: \"python train.py --data data/*.jsonl\"\n");
        y.append("command: [").append(plan.command().stream().map(InitTemplate::yaml).collect(Collectors.joining(", "))).append("]\n\n");

        y.append("# Where the job runs; relative paths in this file are relative to it. Default: this file's directory.\n");
        y.append("# workdir: .\n\n");

        y.append("# GPUs the job needs: `warden check` FAILs on a node with fewer, and WARNs when fewer remain after\n");
        y.append("# `warden gpu exclude`. 0 means CPU-only. (").append(plan.gpuNote()).append(")\n");
        if (plan.gpus() != null) {
            y.append("gpus: ").append(plan.gpus()).append("\n\n");
        } else {
            y.append("# gpus: 1\n\n");
        }

        y.append("# Supervision (`warden run`). Defaults shown; uncomment to change.\n");
        y.append("# stall_after: 10m        # no output, heartbeat or step change for this long = hang; unset = learned\n");
        y.append("#                         # from step times: max(60s, 3 x p99 step time)\n");
        y.append("# startup_stall: 30m      # silence allowed before the first step (CUDA, torch, loading the model)\n");
        y.append("# grace: 30s              # SIGTERM to the whole process group, then SIGKILL after this long\n");
        y.append("# max_restarts: 5         # at most this many restarts ...\n");
        y.append("# restart_window: 1h      # ... within this window, then Warden gives up (exit 75)\n");
        y.append("# backoff: {initial: 1s, max: 1m, reset_after: 10m}\n");
        y.append("# max_no_progress: 3      # attempts in a row without a step change, then give up\n");
        y.append("# on_nan: stop            # or restart (from the last checkpoint)\n");
        y.append("# params: {batch_size: 32}          # ${batch_size} in the command\n");
        y.append("# on:\n");
        y.append("#   cuda_oom: {halve: batch_size, min: 1}     # retry with half the batch on CUDA out of memory\n");
        y.append("#   gpu_hardware: {exclude_gpu: true}         # keep a GPU that needs a reset out, go on with the rest\n");
        y.append("# on_finish: ./stop-instance.sh      # runs once at the end, whatever the outcome\n");
        y.append("# notify: {webhook: \"https://hooks.slack.com/services/...\"}\n\n");

        y.append("# Checkpoints: Warden seals each complete one (a manifest `sha256sum -c` accepts), resumes from the\n");
        y.append("# newest whose seal verifies (a corrupt one is moved aside, never loaded or deleted), and binds them\n");
        y.append("# to the dataset and config they were trained on.\n");
        y.append("# checkpoints:\n");
        y.append("#   dir: output             # where the trainer writes them\n");
        y.append("#   layout: huggingface     # lightning | deepspeed | orbax | nemo | torch_dcp | generic (default: detected)\n");
        y.append("#   resume_arg: \"--resume_from_checkpoint ${checkpoint}\"   # appended when resuming (also WARDEN_RESUME_FROM)\n");
        y.append("#   fingerprint: {dataset: [data/train.jsonl], config: {file: config.yaml, keys: [lora.r, lora.alpha]}}\n");
        y.append("#   on_dataset_change: archive   # or refuse | continue; on_config_change: refuse | continue\n\n");

        y.append("# What the run may cost. A value <= 0, or leaving it out, disables that limit: it is never \"exceeded\".\n");
        y.append("# budget:\n");
        y.append("#   max_wall: 48h         # how long the whole run may take, restarts included (also \"2d\")\n");
        y.append("#   usd_per_hour: 2.50    # what the machine costs; `warden ps` shows the cost so far\n");
        y.append("#   max_usd: 150          # `warden check` warns when max_wall x usd_per_hour is above this\n");
        y.append("#   signal_before: 90s    # SIGUSR1 to the job this long before max_wall, so it can save\n\n");

        y.append("# Preflight checks: each answers PASS, WARN or FAIL with its evidence and the fix.\n");
        y.append("# Node checks run even when not listed: disk (at the workdir), memory, gpu, gpu_errors, driver;\n");
        y.append("# budget when a budget is set; drift when a warden.lock sits in the workdir. Listing a kind replaces\n");
        y.append("# its default. Options every check takes: id (the name --skip-check uses; default: the kind),\n");
        y.append("# timeout (e.g. 30s, 5m), warn_only: true (a FAIL is reported as WARN and does not block).\n");
        y.append("checks:\n");
        List<String> files = plan.files();
        y.append("  # Inputs the job reads: each must exist and be readable (FAIL), and not be empty (WARN).\n");
        y.append("  # Globs work: \"data/shards/*.arrow\".\n");
        if (!files.isEmpty()) {
            y.append("  - files: [").append(files.stream().map(InitTemplate::yaml).collect(Collectors.joining(", "))).append("]\n");
        } else {
            y.append("  # - files: [train.py, data/train.jsonl]\n");
        }
        for (String m : plan.missingPaths()) {
            y.append("  # - files: [").append(yaml(m)).append("]   # named in the command, not found now\n");
        }
        y.append("\n  # Modules imported in the job's own python, all in one interpreter start. FAIL when one does not\n");
        y.append("  # import (missing, or a compiled extension built for another torch); WARN when one warns on import.\n");
        y.append("  # {modules: [...], python: /venv/bin/python} picks the interpreter (default: the command's). A PASS is\n");
        y.append("  # kept until a file the import loaded changes; `cache: false` imports at every run.\n");
        if (!plan.modules().isEmpty()) {
            y.append("  - import: [").append(String.join(", ", plan.modules())).append("]\n");
        } else {
            y.append("  # - import: [torch, transformers]\n");
        }
        y.append("\n  # Free space where checkpoints go (default min_free 10GiB; WARN below 1.5x).\n");
        y.append("  # - disk: {path: checkpoints, min_free: 50GiB}\n");
        y.append("\n  # Host RAM: FAIL below min_available (default 2GiB), WARN above max_used (default 90%).\n");
        y.append("  # - memory: {min_available: 16GiB, max_used: 90%}\n");
        y.append("\n  # GPUs: count, model, free memory, uncorrected ECC, pending page retirement / row remapping,\n");
        y.append("  # thermal and power slowdowns, temperature (WARN above max_temperature, default 85), MIG mode.\n");
        y.append("  # exclusive: true (default) WARNs when other processes already hold GPU memory.\n");
        y.append("  # - gpu: {count: 8, model: H100, min_free_memory: 70GiB, max_temperature: 85, exclusive: true}\n");
        y.append("\n  # GPU errors in the kernel log (dmesg, else /dev/kmsg): Xid errors with NVIDIA's action for each,\n");
        y.append("  # \"fallen off the bus\", AMD SMU 0xFFFFFFFF. ignore: Xid numbers you have looked into.\n");
        y.append("  # - gpu_errors: {ignore: [13], source: /var/log/kern.log}\n");
        y.append("\n  # The GPU driver answers; nvcc on PATH (required: only if the job compiles CUDA code).\n");
        y.append("  # - driver: {nvcc: required, min_version: \"535\"}\n");
        y.append("\n  # A correctness gate, run with sh in the workdir; FAIL on a non-zero exit.\n");
        y.append("  # - command: {run: \"pytest -q tests\", timeout: 5m}\n");
        y.append("\n  # Services the job talks to: TCP reachability, and ssh in BatchMode with your ~/.ssh/config.\n");
        y.append("  # - tcp: \"10.0.0.2:29500\"                  # or a list, or {targets: [...], connect_timeout: 3s}\n");
        y.append("  # - ssh: {host: node2, user: ml, port: 22, run: \"nvidia-smi -L\"}\n");
        y.append("\n  # Environment variables the job needs (values are never printed).\n");
        y.append("  # - env: [HF_TOKEN, WANDB_API_KEY]\n");
        y.append("\n  # An HTTP resource answers (e.g. a gated model repo); the token comes from token_env.\n");
        y.append("  # - url: {url: \"https://huggingface.co/ORG/MODEL/resolve/main/config.json\", token_env: HF_TOKEN}\n");
        y.append("\n  # The stack still matches warden.lock (write it with `warden env lock` once the job works).\n");
        y.append("  # - drift: {lock: warden.lock}\n");
        y.append("\n  # The training data, before the GPU is rented: malformed lines, missing fields, token lengths over\n");
        y.append("  # max_tokens (real counts with a tokenizer.json), duplicates, diversity, contradictory answers.\n");
        y.append("  # - data: {file: data/train.jsonl, max_tokens: 2048, tokenizer: tokenizer.json, sample: 10000}\n");
        y.append("\n  # Free space for the next checkpoint: at least factor x the newest one (added by itself with checkpoints:).\n");
        y.append("  # - checkpoint_disk: {dir: output, factor: 3}\n");
        y.append("\n  # Projected cost of the budget above; strict: true makes an over-budget projection a FAIL.\n");
        y.append("  # - budget: {strict: true}\n");
        return y.toString();
    }

    /** A YAML flow scalar: plain when safe, else double-quoted. */
    static String yaml(String s) {
        boolean word = s.matches("[A-Za-z0-9_./][A-Za-z0-9_./=:@+-]*") || s.matches("--?[A-Za-z][A-Za-z0-9_./=:@+-]*");
        if (word && !s.matches("(?i)true|false|yes|no|on|off|y|n|null|~|[\\d.eE+-]+|0x[0-9a-f]+|0o[0-7]+")) {
            return s;
        }
        return "\"" + s.replace("\\", "\\\\").replace("\"", "\\\"") + "\"";
    }

    static String shellQuote(String s) {
        return s.matches("[A-Za-z0-9_./=:@+,-]+") ? s : "'" + s.replace("'", "'\\''") + "'";
    }
}
