#!/usr/bin/env python3
"""A small Hugging Face Trainer-style job for the fault campaign (bench/faults): real PyTorch on CPU when torch is
installed (Debian's python3-torch), else a standard-library stand-in with the same outputs (standin.py).

Where it matters for recovery it behaves like the HF Trainer and the example scripts that drive it:
  * checkpoint-<step>/ with pytorch_model.bin and optimizer.pt first and trainer_state.json LAST;
  * it resumes from the highest-numbered checkpoint-<step> in --output_dir WITHOUT checking it
    (transformers.trainer_utils.get_last_checkpoint), unless a checkpoint is named: --resume_from_checkpoint PATH
    or WARDEN_RESUME_FROM (what `warden run` passes); an empty value means "not named";
  * resuming with global_step past the end trains nothing and reports success (the HF epoch loop runs zero times);
  * tqdm bar on stderr, {'loss': ...} dicts on stdout every --logging_steps.
Not HF: on SIGTERM or SIGUSR1 it saves a checkpoint at the end of the current step (SIGTERM then exits 143), as
trainers with a preemption handler do. A step takes --step_ms of sleep per 32 samples on top of the real CPU work:
the stand-in for the accelerator's time, so steps take milliseconds and scale with the batch.

What it really trained goes to the ledger ($FAULTS_LEDGER, outside the checkpoint directory; ledger.py). Faults come
from FAULT* environment variables (inject.py). With WORLD_SIZE > 1 it joins a gloo group (MASTER_ADDR, MASTER_PORT,
RANK): rank 0 logs, saves and writes the ledger; gradients are averaged with all_reduce.
"""
import argparse
import faulthandler
import hashlib
import json
import os
import random
import re
import signal
import sys
import time
import uuid

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from inject import Faults  # noqa: E402
from ledger import Ledger  # noqa: E402

PREFIX = "checkpoint"
_re_checkpoint = re.compile(r"^" + PREFIX + r"\-(\d+)$")
WEIGHTS, OPTIMIZER, STATE = "pytorch_model.bin", "optimizer.pt", "trainer_state.json"
IN_DIM, HIDDEN = 16, 64


def get_last_checkpoint(folder):
    """transformers.trainer_utils.get_last_checkpoint: the highest number wins; nothing is checked."""
    if not os.path.isdir(folder):
        return None
    content = os.listdir(folder)
    checkpoints = [p for p in content if _re_checkpoint.search(p) is not None and os.path.isdir(os.path.join(folder, p))]
    if not checkpoints:
        return None
    return os.path.join(folder, max(checkpoints, key=lambda x: int(_re_checkpoint.search(x).groups()[0])))


def parse_args(argv):
    p = argparse.ArgumentParser(description="HF-style training job for bench/faults")
    p.add_argument("--data", required=True, help="JSONL, one {\"x\": [16 floats], \"y\": float} per line")
    p.add_argument("--output_dir", required=True)
    p.add_argument("--per_device_train_batch_size", type=int, default=32)
    p.add_argument("--num_train_epochs", type=int, default=2)
    p.add_argument("--save_steps", type=int, default=16)
    p.add_argument("--logging_steps", type=int, default=4)
    p.add_argument("--learning_rate", type=float, default=1e-3)
    p.add_argument("--step_ms", type=float, default=25.0, help="accelerator time per step per 32 samples (sleep)")
    p.add_argument("--seed", type=int, default=42)
    p.add_argument("--resume_from_checkpoint", default=None)
    p.add_argument("--backend", choices=["auto", "torch", "stdlib"], default="auto")
    return p.parse_args(argv)


class Signals:
    """SIGTERM / SIGUSR1 are noted here and acted on at the end of the current step."""
    def __init__(self):
        self.term = False
        self.usr1 = False
        signal.signal(signal.SIGTERM, self._on)
        signal.signal(signal.SIGUSR1, self._on)

    def _on(self, signum, frame):
        if signum == signal.SIGTERM:
            self.term = True
        else:
            self.usr1 = True


def load_backend(choice):
    if choice in ("auto", "torch"):
        try:
            import torch  # noqa: F401
            from torch_backend import TorchBackend
            return TorchBackend
        except ImportError:
            if choice == "torch":
                raise
    from standin import StdlibBackend
    return StdlibBackend


def read_data(path):
    with open(path, "rb") as f:
        raw = f.read()
    rows = [json.loads(line) for line in raw.splitlines() if line.strip()]
    return [r["x"] for r in rows], [float(r["y"]) for r in rows], hashlib.sha256(raw).hexdigest()[:16]


def main(argv):
    rank, world = int(os.environ.get("RANK", "0")), int(os.environ.get("WORLD_SIZE", "1"))
    ledger = Ledger(os.environ.get("FAULTS_LEDGER") if rank == 0 else None)
    ledger.write("launch", rank=rank, attempt=os.environ.get("WARDEN_ATTEMPT"))
    args = parse_args(argv)
    sig = Signals()
    faulthandler.enable()
    faults = Faults()
    Backend = load_backend(args.backend)
    faults.at_import()
    try:
        from tqdm.auto import tqdm
    except ImportError:
        from standin import tqdm

    xs, ys, data_sha = read_data(args.data)
    n, batch = len(xs), args.per_device_train_batch_size
    glob = batch * world
    if n % glob:
        sys.exit(f"train.py: {n} samples is not a multiple of the global batch {glob}; use a dataset of k*{glob} lines")
    backend = Backend(IN_DIM, HIDDEN, args.learning_rate, args.seed, world)
    faults.acquire_gpu(backend.oom_error)
    hook = faults.oom_hook(batch, backend.oom_error)
    if hook:
        backend.add_forward_pre_hook(hook)

    resume = args.resume_from_checkpoint or os.environ.get("WARDEN_RESUME_FROM") or None
    named = resume is not None
    if resume is None:
        resume = get_last_checkpoint(args.output_dir)
    state = {}
    if resume:
        with open(os.path.join(resume, STATE)) as f:
            state = json.load(f)
        backend.load(resume, WEIGHTS, OPTIMIZER)
    total = n * args.num_train_epochs
    max_steps = total // glob
    global_step = int(state.get("global_step", 0))
    seen = int(state.get("samples_seen", global_step * glob))
    seg = uuid.uuid4().hex[:12]
    ledger.write("start", seg=seg, rank=rank, world=world, backend=backend.name, data_sha=data_sha, data_n=n,
                 batch=batch, total=total, resume_from=resume, resume_named=named,
                 resume_seg=state.get("segment"), resume_samples=seen if resume else None)
    if rank == 0:
        print("***** Running training *****")
        print(f"  Num examples = {n}")
        print(f"  Num Epochs = {args.num_train_epochs}")
        print(f"  Instantaneous batch size per device = {batch}")
        print(f"  Total optimization steps = {max_steps}")
        if resume:
            print(f"  Continuing training from checkpoint {resume}, will skip to saved global_step {global_step}")
        sys.stdout.flush()

    def save(step):
        if rank != 0:
            return
        d = os.path.join(args.output_dir, f"{PREFIX}-{step}")
        os.makedirs(d, exist_ok=True)
        backend.save(d, WEIGHTS, OPTIMIZER)
        with open(os.path.join(d, STATE), "w") as f:
            json.dump({"global_step": step, "max_steps": max_steps, "epoch": seen / n, "samples_seen": seen,
                       "segment": seg, "dataset_sha256_16": data_sha, "train_batch_size": batch,
                       "log_history": []}, f, indent=2)
        faults.after_checkpoint(d, step, WEIGHTS)
        ledger.write("ckpt", seg=seg, step=step, samples=seen, path=d)

    bar = tqdm(total=max_steps, initial=min(global_step, max_steps), file=sys.stderr, disable=rank != 0)
    started, window, losses, last_saved = time.time(), [], [], None
    perms = {}
    while seen < total:
        epoch, off = divmod(seen, n)
        if epoch not in perms:
            perms = {epoch: random.Random(args.seed * 1000 + epoch).sample(range(n), n)}
        faults.before_step(global_step + 1, backend)
        idx = perms[epoch][off + rank * batch: off + (rank + 1) * batch]
        loss = backend.train_step([xs[i] for i in idx], [ys[i] for i in idx])
        time.sleep(args.step_ms / 1000.0 * batch / 32.0)
        global_step += 1
        ledger.write("step", seg=seg, step=global_step, s0=seen, s1=seen + glob, loss=loss, finite=loss == loss and abs(loss) != float("inf"))
        seen += glob
        window.append(loss)
        losses.append(loss)
        bar.update(1)
        if rank == 0 and global_step % args.logging_steps == 0:
            bar.write(str({"loss": round(sum(window) / len(window), 4), "learning_rate": args.learning_rate,
                           "epoch": round(seen / n, 2)}))
            window = []
        if global_step % args.save_steps == 0:
            save(global_step)
            last_saved = global_step
        if sig.term or sig.usr1:
            if last_saved != global_step:
                save(global_step)
                last_saved = global_step
            if sig.term:
                bar.close()
                print(f"received SIGTERM: saved {PREFIX}-{global_step}, exiting", flush=True)
                ledger.write("end", seg=seg, status="preempted", step=global_step, samples=seen)
                backend.close()
                sys.exit(143)
            sig.usr1 = False
            print(f"received SIGUSR1: saved {PREFIX}-{global_step}", flush=True)
    if losses and last_saved != global_step:
        save(global_step)
    bar.close()
    if rank == 0:
        runtime = max(time.time() - started, 1e-9)
        trained = len(losses)
        print(str({"train_runtime": round(runtime, 4), "train_samples_per_second": round(trained * glob / runtime, 3),
                   "train_steps_per_second": round(trained / runtime, 3),
                   "train_loss": round(sum(losses) / trained, 4) if trained else 0.0, "epoch": round(seen / n, 2)}))
        print("Training completed. Do not forget to share your model on huggingface.co/models =)", flush=True)
    ledger.write("end", seg=seg, status="finished", step=global_step, samples=seen, trained_steps=len(losses))
    backend.close()


if __name__ == "__main__":
    main(sys.argv[1:])
