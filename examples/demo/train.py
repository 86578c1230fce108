#!/usr/bin/env python3
"""Warden's demo trainer: standard-library Python that behaves like a real training loop.

It prints Hugging Face-style progress, writes a checkpoint every few steps, resumes from the newest one, and
misbehaves the way real jobs do:
  * with --batch-size above 16 it dies at step 6 with PyTorch's CUDA out-of-memory error (the message format of
    c10/cuda/CUDACachingAllocator.cpp in PyTorch 2.x), as a too-large batch does on a real GPU;
  * the first time it gets past step 17 it hangs: alive, silent, no progress (a stuck collective, a dead
    dataloader worker).
Under `warden run` both are caught: the OOM is retried with half the batch, the hang is stopped after
`stall_after` and the run resumes from the last checkpoint.
"""
import argparse
import json
import math
import os
import random
import sys
import time


def save_checkpoint(ckpt_dir, step, loss):
    os.makedirs(ckpt_dir, exist_ok=True)
    path = os.path.join(ckpt_dir, f"step-{step}.json")
    tmp = path + ".tmp"
    with open(tmp, "w") as f:
        json.dump({"step": step, "loss": loss}, f)
        f.flush()
        os.fsync(f.fileno())
    os.replace(tmp, path)


def latest_checkpoint(ckpt_dir):
    if not os.path.isdir(ckpt_dir):
        return None
    steps = [int(n[5:-5]) for n in os.listdir(ckpt_dir) if n.startswith("step-") and n.endswith(".json")]
    if not steps:
        return None
    with open(os.path.join(ckpt_dir, f"step-{max(steps)}.json")) as f:
        return json.load(f)


def cuda_oom(batch_size):
    gib = batch_size / 16
    print("Traceback (most recent call last):", file=sys.stderr)
    print('  File "train.py", line 97, in <module>', file=sys.stderr)
    print("    loss = model(batch).loss", file=sys.stderr)
    print(
        f"torch.OutOfMemoryError: CUDA out of memory. Tried to allocate {gib:.2f} GiB. GPU 0 has a total capacity "
        "of 79.15 GiB of which 1.06 GiB is free. Including non-PyTorch memory, this process has 78.08 GiB memory in "
        "use. Of the allocated memory 74.21 GiB is allocated by PyTorch, and 2.36 GiB is reserved by PyTorch but "
        "unallocated. If reserved but unallocated memory is large try setting "
        "PYTORCH_CUDA_ALLOC_CONF=expandable_segments:True to avoid fragmentation.  See documentation for Memory "
        "Management  (https://pytorch.org/docs/stable/notes/cuda.html#environment-variables)",
        file=sys.stderr,
    )
    sys.exit(1)


def main():
    p = argparse.ArgumentParser()
    p.add_argument("--steps", type=int, default=30)
    p.add_argument("--batch-size", type=int, default=32)
    p.add_argument("--ckpt-dir", default="checkpoints")
    p.add_argument("--save-every", type=int, default=5)
    p.add_argument("--step-time", type=float, default=0.15)
    p.add_argument("--no-faults", action="store_true")
    args = p.parse_args()

    state = latest_checkpoint(args.ckpt_dir)
    start = state["step"] if state else 0
    print(f"demo trainer: batch_size={args.batch_size}, steps={args.steps}, "
          + (f"resuming from checkpoint at step {start}" if state else "starting fresh"))
    hang_marker = os.path.join(args.ckpt_dir, ".hung-once")
    rng = random.Random(start)
    loss = state["loss"] if state else 2.5
    for step in range(start + 1, args.steps + 1):
        time.sleep(args.step_time)
        if not args.no_faults and args.batch_size > 16 and step == 6:
            cuda_oom(args.batch_size)
        if not args.no_faults and step == 18 and not os.path.exists(hang_marker):
            open(hang_marker, "w").close()
            while True:  # alive, silent, no progress
                time.sleep(3600)
        loss = loss * 0.93 + rng.uniform(-0.02, 0.02)
        print(f"{{'loss': {loss:.4f}, 'learning_rate': 0.0003, 'epoch': {step / args.steps:.2f}}}  step {step}/{args.steps}")
        if step % args.save_every == 0 or step == args.steps:
            save_checkpoint(args.ckpt_dir, step, loss)
    print(f"training done: {args.steps} steps, final loss {loss:.4f}, perplexity {math.exp(loss):.2f}")


if __name__ == "__main__":
    main()
