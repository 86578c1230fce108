#!/usr/bin/env python3
"""A real PyTorch training loop on an NVIDIA GPU, for trying Warden on your own machine (`examples/cuda/README.md`).

Everything here is real: the model trains on the GPU, checkpoints are Hugging Face-style `checkpoint-<step>/`
directories written with torch.save (trainer_state.json last), and the failures are the real ones:
  * each step holds activations sized to the GPU: batch_size x 4.5 % of its memory. At batch 32 that is 1.44x the
    card, so the CUDA caching allocator raises torch.OutOfMemoryError with its own message; at 16 it fits;
  * with --hang-at-step N, the first attempt that reaches step N stops printing and waits forever with its GPU
    memory held (a stuck collective, a dead data loader);
  * with --orphan-at-step N, the first attempt that reaches step N starts a helper that calls setsid and holds 40 %
    of the GPU (a data-loader or compile worker that outlives its parent), then crashes. Left alive, the helper makes
    every later attempt at batch 16 run out of GPU memory.
"""
import argparse
import json
import os
import subprocess
import sys
import time

import torch


def save_checkpoint(output_dir, step, model, opt, loss):
    d = os.path.join(output_dir, f"checkpoint-{step}")
    os.makedirs(d, exist_ok=True)
    torch.save(model.state_dict(), os.path.join(d, "pytorch_model.bin"))
    torch.save(opt.state_dict(), os.path.join(d, "optimizer.pt"))
    with open(os.path.join(d, "trainer_state.json.tmp"), "w") as f:
        json.dump({"global_step": step, "log_history": [{"step": step, "loss": loss}]}, f)
    os.replace(os.path.join(d, "trainer_state.json.tmp"), os.path.join(d, "trainer_state.json"))


def main():
    p = argparse.ArgumentParser()
    p.add_argument("--steps", type=int, default=40)
    p.add_argument("--batch-size", type=int, default=32)
    p.add_argument("--output-dir", default="output")
    p.add_argument("--save-every", type=int, default=10)
    p.add_argument("--resume_from_checkpoint", default="")
    p.add_argument("--hang-at-step", type=int, default=0)
    p.add_argument("--orphan-at-step", type=int, default=0)
    p.add_argument("--activation-share", type=float, default=0.045,
                   help="GPU memory per sample, as a share of the card's total")
    args = p.parse_args()

    dev = torch.device("cuda")
    total = torch.cuda.get_device_properties(dev).total_memory
    torch.manual_seed(0)
    model = torch.nn.Sequential(torch.nn.Linear(1024, 4096), torch.nn.GELU(), torch.nn.Linear(4096, 1024)).to(dev)
    opt = torch.optim.AdamW(model.parameters(), lr=1e-4)
    start = 0
    if args.resume_from_checkpoint:
        model.load_state_dict(torch.load(os.path.join(args.resume_from_checkpoint, "pytorch_model.bin")))
        opt.load_state_dict(torch.load(os.path.join(args.resume_from_checkpoint, "optimizer.pt")))
        with open(os.path.join(args.resume_from_checkpoint, "trainer_state.json")) as f:
            start = json.load(f)["global_step"]
    print(f"cuda trainer: {torch.cuda.get_device_name(dev)}, torch {torch.__version__}, batch_size={args.batch_size}, "
          + (f"resuming from {args.resume_from_checkpoint} at step {start}" if start else "starting fresh"), flush=True)

    hang_marker = os.path.join(args.output_dir, ".hung-once")
    orphan_marker = os.path.join(args.output_dir, ".orphaned-once")
    per_sample = int(total * args.activation_share)
    x = torch.randn(256, 1024, device=dev)
    for step in range(start + 1, args.steps + 1):
        activations = torch.empty(args.batch_size * per_sample, dtype=torch.uint8, device=dev)
        loss = torch.nn.functional.mse_loss(model(x), x)
        opt.zero_grad()
        loss.backward()
        opt.step()
        torch.cuda.synchronize()
        del activations
        if args.hang_at_step and step == args.hang_at_step and not os.path.exists(hang_marker):
            os.makedirs(args.output_dir, exist_ok=True)
            open(hang_marker, "w").close()
            while True:  # alive, silent, GPU memory held
                time.sleep(3600)
        if args.orphan_at_step and step == args.orphan_at_step and not os.path.exists(orphan_marker):
            os.makedirs(args.output_dir, exist_ok=True)
            open(orphan_marker, "w").close()
            holder = ("import os, time, torch; os.setsid(); "
                      "h = torch.empty(int(torch.cuda.get_device_properties(0).total_memory * 0.4), dtype=torch.uint8, "
                      "device='cuda'); print('gpu holder', os.getpid(), 'holds', h.numel() >> 30, 'GiB', flush=True); "
                      "time.sleep(3600)")
            torch.cuda.empty_cache()  # hand this process's cached blocks back, so the helper gets its share
            subprocess.Popen([sys.executable, "-c", holder])
            time.sleep(8)  # the holder has its memory before the crash
            raise RuntimeError(f"worker crashed at step {step} (its helper keeps running)")
        print(f"{{'loss': {loss.item():.4f}, 'learning_rate': 0.0001, 'epoch': {step / args.steps:.2f}}}  "
              f"step {step}/{args.steps}", flush=True)
        if step % args.save_every == 0 or step == args.steps:
            save_checkpoint(args.output_dir, step, model, opt, loss.item())
        time.sleep(0.1)
    print(f"training done: {args.steps} steps on {torch.cuda.get_device_name(dev)}", flush=True)


if __name__ == "__main__":
    main()
