/**
 * Preflight: nothing starts that would fail. Every check answers PASS, WARN or FAIL with one line of
 * evidence and one line of fix; `warden check` exits 0 only when nothing FAILs.
 *
 * <h2>The {@code checks:} list of warden.yaml</h2>
 * Each entry is one check, {@code - KIND}, {@code - KIND: VALUE}, {@code - KIND: [LIST]} or
 * {@code - KIND: {options}}. Options every kind takes: {@code id} (the name {@code --skip-check}
 * uses; default the kind, then kind-2, kind-3 for repeats), {@code timeout} (e.g. 30s, 5m; a check
 * that does not answer in time is FAIL while the others still report), {@code warn_only: true}
 * (a FAIL is reported as WARN).
 * <pre>
 * checks:
 *   - disk: {path: /data, min_free: 20GiB}            # FAIL below min_free (10GiB), WARN below 1.5x
 *   - memory: {min_available: 8GiB, max_used: 90%}
 *   - gpu: {count: 8, model: H100, min_free_memory: 70GiB, max_temperature: 85, exclusive: true}
 *   - gpu_errors: {ignore: [13], source: /var/log/kern.log}
 *   - driver: {nvcc: required, min_version: "535"}
 *   - files: [train.py, data/train.jsonl, "data/shards/*.arrow"]
 *   - import: [torch, transformers]                    # or {modules: [...], python: /venv/bin/python}
 *   - command: {run: "pytest -q tests/test_kernels.py", timeout: 5m}
 *   - tcp: "10.0.0.2:22"                                # or a list, or {targets: [...], connect_timeout: 3s}
 *   - ssh: {host: rig-6600, user: ml, port: 22, run: "rocm-smi --showuse", slow_after: 5s}
 *   - env: [HF_TOKEN, WANDB_API_KEY]
 *   - url: {url: "https://huggingface.co/ORG/MODEL/resolve/main/config.json", token_env: HF_TOKEN}
 *   - drift: {lock: warden.lock, python: /venv/bin/python}
 *   - budget: {strict: true}
 * </pre>
 * Node checks run even when not listed: disk (at the workdir), memory, gpu, gpu_errors, driver; budget
 * when the spec has a budget; drift when the workdir has a warden.lock. Listing a kind replaces its
 * default. A bad entry is a {@link dev.warden.UserError} naming the entry index, the key and the fix
 * (with the closest known name for a misspelt kind or option).
 *
 * <h2>For other features</h2>
 * {@link dev.warden.check.Preflight#run(PreflightInput)} returns a {@link dev.warden.check.PreflightReport};
 * {@link dev.warden.check.Preflight#plan} validates without running. A new check kind is one line:
 * {@code CheckRegistry.builtIn().with("dataset", Duration.ofMinutes(2), DatasetCheck::create)}, where the
 * factory reads its entry through {@link dev.warden.check.CheckArgs} and returns a
 * {@link dev.warden.check.Check}.
 */
package dev.warden.check;
