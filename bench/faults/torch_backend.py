"""The trainer's model and optimizer in real PyTorch (CPU): a two-layer MLP, AdamW, MSE; gloo for WORLD_SIZE > 1."""
import math
import os

import torch
import torch.nn.functional as F


class TorchBackend:
    name = "torch"

    def __init__(self, in_dim, hidden, lr, seed, world):
        torch.manual_seed(seed)
        torch.set_num_threads(1)
        self.in_dim = in_dim
        self.world = world
        self.model = torch.nn.Sequential(torch.nn.Linear(in_dim, hidden), torch.nn.Tanh(), torch.nn.Linear(hidden, 1))
        self.opt = torch.optim.AdamW(self.model.parameters(), lr=lr)
        self.oom_error = torch.cuda.OutOfMemoryError
        self.dist = None
        if world > 1:
            import datetime
            import torch.distributed as dist
            if int(os.environ.get("RANK", "0")) != 0:
                wait_for_store(int(os.environ.get("MASTER_PORT", "29500")))
            dist.init_process_group("gloo", init_method="env://", timeout=datetime.timedelta(seconds=60))
            self.dist = dist

    def add_forward_pre_hook(self, hook):
        self.model[0].register_forward_pre_hook(hook)

    def train_step(self, xs, ys):
        x = torch.tensor(xs, dtype=torch.float32)
        y = torch.tensor(ys, dtype=torch.float32).unsqueeze(1)
        loss = F.mse_loss(self.model(x), y)
        self.opt.zero_grad()
        loss.backward()
        value = loss.detach()
        if self.dist:
            for p in self.model.parameters():
                self.dist.all_reduce(p.grad)
                p.grad /= self.world
            self.dist.all_reduce(value)
            value /= self.world
        self.opt.step()
        v = float(value)
        return v if math.isfinite(v) else float("nan")

    def save(self, d, weights, optimizer):
        torch.save(self.model.state_dict(), os.path.join(d, weights))
        torch.save(self.opt.state_dict(), os.path.join(d, optimizer))

    def load(self, d, weights, optimizer):
        self.model.load_state_dict(torch.load(os.path.join(d, weights)))
        self.opt.load_state_dict(torch.load(os.path.join(d, optimizer)))

    def poison(self):
        with torch.no_grad():
            self.model[0].weight[0, 0] = float("nan")

    def bad_batch(self):
        self.model(torch.zeros(2, self.in_dim - 1))  # RuntimeError: mat1 and mat2 shapes cannot be multiplied

    def close(self):
        if self.dist and self.dist.is_initialized():
            self.dist.destroy_process_group()


def wait_for_store(port, timeout=60.0):
    """Rank 0 hosts the rendezvous store. A rank whose connect is refused because it got there first is retried by
    torch 1.13 about a second later, so one 2-rank start in several lost a second at random (8 bare starts: 7 at
    0.65 s, 1 at 1.64 s). torchrun has no such race: its agent hosts the store before any rank starts. Waiting until
    the port listens, read from /proc/net/tcp (no connection made), does the same here."""
    import time
    want = f":{port:04X}"
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        for table in ("/proc/net/tcp", "/proc/net/tcp6"):
            try:
                with open(table) as f:
                    for line in f:
                        fields = line.split()
                        if len(fields) > 3 and fields[1].endswith(want) and fields[3] == "0A":  # 0A: LISTEN
                            return
            except OSError:
                return  # no /proc: let init_process_group retry as usual
        time.sleep(0.005)

