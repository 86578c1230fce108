"""Standard-library stand-in for the trainer where torch is missing: the same checkpoint files, ledger, progress and
failure texts, with a linear model trained by plain SGD. Weights are a zip archive holding a pickle, as torch.save
writes them, so a truncated file fails to load as a truncated torch file does (with zipfile's message)."""
import io
import math
import os
import pickle
import random
import sys
import zipfile


class OutOfMemoryError(RuntimeError):
    """Prints as torch.cuda.OutOfMemoryError, the class PyTorch 1.13 raises."""


OutOfMemoryError.__module__ = "torch.cuda"


class StdlibBackend:
    name = "stdlib"

    def __init__(self, in_dim, hidden, lr, seed, world):
        if world > 1:
            sys.exit("train.py: the standard-library stand-in runs one rank; install python3-torch for WORLD_SIZE > 1")
        rnd = random.Random(seed)
        self.in_dim = in_dim
        self.w = [rnd.uniform(-0.1, 0.1) for _ in range(in_dim)]
        self.b = 0.0
        self.lr = lr * 10
        self.hooks = []
        self.oom_error = OutOfMemoryError

    def add_forward_pre_hook(self, hook):
        self.hooks.append(hook)

    def _forward(self, xs):
        for h in self.hooks:
            h(self, (xs,))
        for x in xs:
            if len(x) != self.in_dim:
                raise RuntimeError(f"mat1 and mat2 shapes cannot be multiplied ({len(xs)}x{len(x)} and {self.in_dim}x64)")
        return [sum(wi * xi for wi, xi in zip(self.w, x)) + self.b for x in xs]

    def train_step(self, xs, ys):
        pred = self._forward(xs)
        err = [p - y for p, y in zip(pred, ys)]
        loss = sum(e * e for e in err) / len(err)
        for j in range(self.in_dim):
            self.w[j] -= self.lr * 2 * sum(e * x[j] for e, x in zip(err, xs)) / len(err)
        self.b -= self.lr * 2 * sum(err) / len(err)
        return loss if math.isfinite(loss) else float("nan")

    def _write(self, path, obj):
        buf = io.BytesIO()
        with zipfile.ZipFile(buf, "w") as z:
            z.writestr("archive/data.pkl", pickle.dumps(obj))
        with open(path, "wb") as f:
            f.write(buf.getvalue())

    def _read(self, path):
        with zipfile.ZipFile(path) as z:
            return pickle.loads(z.read("archive/data.pkl"))

    def save(self, d, weights, optimizer):
        self._write(os.path.join(d, weights), {"w": self.w, "b": self.b})
        self._write(os.path.join(d, optimizer), {"lr": self.lr})

    def load(self, d, weights, optimizer):
        s = self._read(os.path.join(d, weights))
        self.w, self.b = s["w"], s["b"]
        self.lr = self._read(os.path.join(d, optimizer))["lr"]

    def poison(self):
        self.w[0] = float("nan")

    def bad_batch(self):
        self._forward([[0.0] * (self.in_dim - 1)] * 2)

    def close(self):
        pass


class tqdm:
    """Enough of tqdm for the trainer: 'NN%|####      | k/n [elapsed]' on stderr, write() on stdout."""

    def __init__(self, total, initial=0, file=sys.stderr, disable=False):
        self.total, self.n, self.file, self.disable = total, initial, file, disable

    def update(self, k):
        self.n += k
        if not self.disable:
            pct = int(100 * self.n / self.total) if self.total else 100
            bar = "#" * (pct // 10)
            self.file.write(f"\r{pct:3d}%|{bar:<10}| {self.n}/{self.total} [00:00<00:00]")
            self.file.flush()

    @staticmethod
    def write(s):
        print(s, flush=True)

    def close(self):
        if not self.disable:
            self.file.write("\n")
            self.file.flush()
