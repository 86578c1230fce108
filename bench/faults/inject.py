"""Fault injection for the campaign's trainer, driven by environment variables, so the same command runs unchanged
under every supervisor. Each fault produces the real failure (a real SIGSEGV, a real kernel OOM kill, a real gloo
error, a real ModuleNotFoundError) or, where the campaign has no GPU, the text PyTorch prints (sources.md).

  FAULT           none | cuda_oom | hang | segfault | setsid_orphan | corrupt_checkpoint | nan | missing_module |
                  host_oom | rank_kill   (dataset_change and preemption are done by the campaign from outside)
  FAULT_STEP      the global step at which a transient fault fires
  FAULT_STATE     directory for "already fired" markers: a transient fault fires once per campaign run
  FAULT_RANK      the rank that rank_kill kills (default 1)
  FAULT_GPU_LOCK  a file that stands for the GPU: a trainer holds an exclusive flock on it while it runs; a second
                  holder gets CUDA out of memory, as a second process on a full GPU does
  FAULT_MEMCG     a cgroup-v1 memory directory with a limit (made by the campaign): host_oom moves the trainer into
                  it and allocates until the kernel's OOM killer kills it (dmesg gets the kernel's line)
"""
import ctypes
import fcntl
import os
import signal
import subprocess
import sys
import threading

OOM_ABOVE_BATCH = 16


def format_size(n):
    """c10::CachingAllocator format_size (PyTorch 1.13)."""
    if n <= 1024:
        return f"{n} bytes"
    if n <= 1048576:
        return f"{n / 1024.0:.2f} KiB"
    if n <= 1073741824:
        return f"{n / 1048576.0:.2f} MiB"
    return f"{n / 1073741824.0:.2f} GiB"


def cuda_oom_message(want, total, allocated, free, reserved):
    """The message of PyTorch 1.13's CUDA caching allocator on a failed cudaMalloc (sources.md)."""
    return (f"CUDA out of memory. Tried to allocate {format_size(want)} (GPU 0; {format_size(total)} total capacity; "
            f"{format_size(allocated)} already allocated; {format_size(free)} free; {format_size(reserved)} reserved "
            "in total by PyTorch) If reserved memory is >> allocated memory try setting max_split_size_mb to avoid "
            "fragmentation.  See documentation for Memory Management and PYTORCH_CUDA_ALLOC_CONF")


GIB = 1 << 30
H100_TOTAL = int(79.15 * GIB)


class Faults:
    def __init__(self, env=os.environ):
        self.kind = env.get("FAULT", "none") or "none"
        self.step = int(env.get("FAULT_STEP", "0") or 0)
        self.state = env.get("FAULT_STATE") or None
        self.rank_to_kill = int(env.get("FAULT_RANK", "1"))
        self.gpu_lock = env.get("FAULT_GPU_LOCK") or None
        self.memcg = env.get("FAULT_MEMCG") or None
        self.rank = int(env.get("RANK", "0"))
        self._lock_fd = None

    # ---- every attempt
    def at_import(self):
        if self.kind == "missing_module":
            import flash_attn  # noqa: F401  (not installed: ModuleNotFoundError, every attempt)

    def acquire_gpu(self, oom_error):
        """Takes the 'GPU'. A process still holding it (an orphan of a crashed attempt) makes this one OOM."""
        if not self.gpu_lock:
            return
        fd = os.open(self.gpu_lock + (f".{self.rank}" if self.rank else ""), os.O_RDWR | os.O_CREAT, 0o644)
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            raise oom_error(cuda_oom_message(20 * 1048576, H100_TOTAL, 0, 3 * 1048576, 0)) from None
        self._lock_fd = fd

    def oom_hook(self, batch, oom_error):
        """cuda_oom: a forward pass with a per-device batch above 16 does not fit; 16 and below do."""
        if self.kind != "cuda_oom" or batch <= OOM_ABOVE_BATCH:
            return None

        def hook(module, inputs):
            want = int(batch / 16 * 2 * GIB)
            raise oom_error(cuda_oom_message(want, H100_TOTAL, int(74.21 * GIB), int(1.06 * GIB), int(76.57 * GIB)))
        return hook

    # ---- transient faults, once per campaign run
    def _once(self, name):
        if not self.state:
            return True
        try:
            os.close(os.open(os.path.join(self.state, name + ".fired"), os.O_CREAT | os.O_EXCL | os.O_WRONLY))
            return True
        except FileExistsError:
            return False

    def before_step(self, step, backend):
        if step != self.step or self.kind in ("none", "cuda_oom", "missing_module", "corrupt_checkpoint"):
            return
        if self.kind == "rank_kill":
            if self.rank == self.rank_to_kill and self._once("rank_kill"):
                os.kill(os.getpid(), signal.SIGKILL)
            return
        if self.rank != 0 or not self._once(self.kind):
            return
        if self.kind == "hang":
            # alive, silent, no progress: a stuck collective or a dead dataloader; SIGTERM does not get it out
            while True:
                threading.Event().wait(3600)
        elif self.kind == "segfault":
            ctypes.string_at(0)  # a real SIGSEGV; faulthandler prints "Fatal Python error: Segmentation fault"
        elif self.kind == "setsid_orphan":
            self._leave_orphan()
            backend.bad_batch()  # a real shape error from the framework: the crash
        elif self.kind == "nan":
            backend.poison()  # one weight NaN: the loss is NaN from here on, and stays so (as in a real blow-up)
        elif self.kind == "host_oom":
            self._host_oom()

    def _leave_orphan(self):
        """A helper that called setsid (a compile worker, a dataloader with persistent workers) and shares the
        trainer's open GPU handle: when the trainer dies, the 'GPU memory' stays held while it lives."""
        fds = (self._lock_fd,) if self._lock_fd is not None else ()
        subprocess.Popen([sys.executable, "-c", "import time\nwhile True: time.sleep(3600)"], start_new_session=True,
                         pass_fds=fds, stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)

    def _host_oom(self):
        if self.memcg and os.path.isdir(self.memcg):
            with open(os.path.join(self.memcg, "cgroup.procs"), "w") as f:
                f.write(str(os.getpid()))
            hoard = []
            for _ in range(256):  # 4 GiB at most, far above the cgroup's limit: the kernel kills us first
                hoard.append(bytearray(16 * 1048576))
                for i in range(0, len(hoard[-1]), 4096):
                    hoard[-1][i] = 1
            raise MemoryError("the memory cgroup did not kill the trainer")
        os.kill(os.getpid(), signal.SIGKILL)  # no writable memory cgroup here: the kill without the kernel's line

    # ---- checkpoints
    def after_checkpoint(self, ckpt_dir, step, weights_file):
        """corrupt_checkpoint: trainer_state.json is on disk, the weights lost their tail (a node crash before the
        page cache reached the disk), then the process is SIGKILLed."""
        if self.kind != "corrupt_checkpoint" or step < self.step or self.rank != 0 or not self._once("corrupt_checkpoint"):
            return
        path = os.path.join(ckpt_dir, weights_file)
        os.truncate(path, os.path.getsize(path) // 2)
        os.kill(os.getpid(), signal.SIGKILL)
