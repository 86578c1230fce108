#!/usr/bin/env python3
"""Writes a training log of about SIZE bytes: healthy lines (loss dicts with eval_error_rate, tqdm
bars with carriage returns, DeepSpeed INFO lines, an allocator warning), then a real CUDA OOM
traceback near the end (pytorch/pytorch#16417), then a few more healthy lines."""
import random
import sys

path, size = sys.argv[1], int(sys.argv[2])
rnd = random.Random(7)
lines = []
step = 0
for _ in range(160000):
    r = rnd.random()
    step += 1
    if r < 0.55:
        lines.append("{'loss': %.4f, 'grad_norm': %.3f, 'learning_rate': %.6e, 'epoch': %.2f}"
                     % (rnd.uniform(0.5, 3), rnd.uniform(0.1, 5), rnd.uniform(1e-6, 3e-4), step / 5000))
    elif r < 0.8:
        pct = step % 100
        lines.append("\r%3d%%|%s%s| %d/10000 [%02d:%02d<%02d:%02d, %.2fit/s]"
                     % (pct, "#" * (pct // 10), " " * (10 - pct // 10), step % 10000, step // 60 % 60, step % 60, 10, 20, rnd.uniform(1, 9)))
    elif r < 0.9:
        lines.append("[2024-05-0%d 12:%02d:%02d,%03d] [INFO] [logging.py:96:log_dist] [Rank 0] step=%d, skipped=0, lr=[%.6e], mom=[(0.9, 0.95)]"
                     % (rnd.randint(1, 9), rnd.randint(0, 59), rnd.randint(0, 59), rnd.randint(0, 999), step, rnd.uniform(1e-6, 3e-4)))
    elif r < 0.999:
        lines.append("{'eval_loss': %.4f, 'eval_error_rate': %.4f, 'eval_runtime': %.2f, 'eval_samples_per_second': %.3f, 'epoch': %.2f}"
                     % (rnd.uniform(0.5, 3), rnd.uniform(0, 0.5), rnd.uniform(10, 60), rnd.uniform(10, 100), step / 5000))
    else:
        lines.append("[2025-10-09 12:01:31,035] [WARNING] [stage3.py:2160:step] 1 pytorch allocator cache flushes since last step. "
                     "this happens when there is high memory pressure and is detrimental to performance.")
block = ("\n".join(lines) + "\n").encode()
error = (
    "Traceback (most recent call last):\n"
    '  File "train.py", line 212, in <module>\n'
    "    loss.backward()\n"
    "torch.cuda.OutOfMemoryError: CUDA out of memory. Tried to allocate 22.00 MiB. GPU 0 has a total capacity of 23.65 GiB "
    "of which 11.06 MiB is free. Including non-PyTorch memory, this process has 23.60 GiB memory in use.\n").encode()
with open(path, "wb") as f:
    written = 0
    while written + len(block) <= size - 64 * 1024:
        f.write(block)
        written += len(block)
    tail = block[: (size - written) // 2]
    tail = tail[: tail.rfind(b"\n") + 1]
    f.write(tail)
    f.write(error)
    f.write(block[:20000][: block[:20000].rfind(b"\n") + 1])
