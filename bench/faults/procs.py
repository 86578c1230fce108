"""Process bookkeeping for the campaign: every process a system starts carries FAULTS_TAG in its environment
(descendants inherit it, setsid or not), so what is left behind can be found, counted and killed by scanning /proc.
Also the memory cgroup the host_oom fault is killed in."""
import os
import signal
import time


def _environ_has(pid, needle):
    try:
        with open(f"/proc/{pid}/environ", "rb") as f:
            return needle in f.read()
    except OSError:
        return False


def _stat(pid):
    try:
        with open(f"/proc/{pid}/stat", "rb") as f:
            s = f.read().decode(errors="replace")
        comm = s[s.index("(") + 1:s.rindex(")")]
        state = s[s.rindex(")") + 2]
        return comm, state
    except (OSError, ValueError):
        return None, None


def tagged(tag):
    """Live (non-zombie) processes whose environment has FAULTS_TAG starting with `tag`: [(pid, comm)]."""
    needle = b"FAULTS_TAG=" + tag.encode()
    me = os.getpid()
    out = []
    for name in os.listdir("/proc"):
        if not name.isdigit() or int(name) == me:
            continue
        pid = int(name)
        if _environ_has(pid, needle):
            comm, state = _stat(pid)
            if comm is not None and state not in ("Z", "X"):
                out.append((pid, comm))
    return out


def kill_tagged(tag, sig=signal.SIGKILL):
    procs = tagged(tag)
    for pid, _ in procs:
        try:
            os.kill(pid, sig)
        except ProcessLookupError:
            pass
    return procs


def settle(tag, seconds):
    """Waits up to `seconds` for the tagged processes to go away by themselves; returns those still alive."""
    deadline = time.monotonic() + seconds
    while True:
        left = tagged(tag)
        if not left or time.monotonic() >= deadline:
            return left
        time.sleep(0.1)


def group_alive(pgid):
    """Whether any live process is in process group `pgid`."""
    for name in os.listdir("/proc"):
        if name.isdigit():
            try:
                with open(f"/proc/{name}/stat", "rb") as f:
                    s = f.read().decode(errors="replace")
                fields = s[s.rindex(")") + 2:].split()
                if int(fields[2]) == pgid and fields[0] not in ("Z", "X"):
                    return True
            except (OSError, ValueError, IndexError):
                pass
    return False


def killpg(pgid, sig):
    try:
        os.killpg(pgid, sig)
        return True
    except (ProcessLookupError, PermissionError):
        return False


class MemoryCgroup:
    """A memory-limited cgroup (v2 where the memory controller is there, else v1) the host_oom fault moves its
    trainer into; the kernel's OOM killer then kills it and writes its line to the kernel log. None of it when
    cgroups are not writable here (the fault then falls back to SIGKILL without the kernel's line)."""

    def __init__(self, name, limit_bytes):
        self.path = None
        v2 = "/sys/fs/cgroup"
        v1 = "/sys/fs/cgroup/memory"
        try:
            if os.path.exists(os.path.join(v2, "cgroup.controllers")) and "memory" in open(os.path.join(v2, "cgroup.controllers")).read().split():
                path = os.path.join(v2, name)
                os.mkdir(path)
                self.path = path
                self._write("memory.max", limit_bytes)
                self._write("memory.swap.max", 0, optional=True)
            elif os.path.isdir(v1) and os.access(v1, os.W_OK):
                path = os.path.join(v1, name)
                os.mkdir(path)
                self.path = path
                self._write("memory.limit_in_bytes", limit_bytes)
        except OSError:
            self.remove()

    def _write(self, f, v, optional=False):
        try:
            with open(os.path.join(self.path, f), "w") as fh:
                fh.write(str(v))
        except OSError:
            if not optional:
                raise

    def remove(self):
        if not self.path:
            return
        for _ in range(50):
            try:
                os.rmdir(self.path)
                break
            except FileNotFoundError:
                break
            except OSError:
                try:
                    for pid in open(os.path.join(self.path, "cgroup.procs")).read().split():
                        os.kill(int(pid), signal.SIGKILL)
                except OSError:
                    pass
                time.sleep(0.1)
        self.path = None
