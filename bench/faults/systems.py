"""The systems under test, each driven the way its users run it: a shell retry loop, supervisord in its best
configuration, torchrun --max-restarts 3 (when a working one is installed), and `warden run` with a spec."""
import glob
import json
import os
import re
import shlex
import signal
import subprocess
import tempfile
import threading
import time
from dataclasses import dataclass, field
from datetime import datetime

import procs


@dataclass
class Job:
    dir: str                 # the job's working directory (train.py, data/, checkpoints/, warden.yaml)
    argv: list               # the training command, as every system runs it
    spec: str                # warden.yaml for `warden run`
    env: dict                # FAULT*, FAULTS_LEDGER, FAULTS_TAG, PATH with `python` first
    sysdir: str              # the system's own files (config, logs, WARDEN_HOME)
    grace: float             # SIGTERM to SIGKILL, the same for every system
    ranks: int = 1


@dataclass
class Ended:
    state: str               # finished | stopped (the system ended or gave up by itself)
    detail: str
    exit_code: object = None
    at: object = None        # time.monotonic() when it ended, where known exactly (else when it was noticed)


@dataclass
class Running:
    proc: subprocess.Popen
    job: Job
    kind: str
    extra: dict = field(default_factory=dict)
    exited_at: object = None

    def __post_init__(self):
        # the supervising process's exit, timed exactly as the bare trainer's is (the campaign polls every 50 ms)
        def wait():
            self.proc.wait()
            self.exited_at = time.monotonic()
        threading.Thread(target=wait, daemon=True).start()

    @property
    def pid(self):
        return self.proc.pid


def _popen(argv, job, log, extra_env=None):
    env = dict(job.env)
    env.update(extra_env or {})
    out = open(log, "ab")
    try:
        return subprocess.Popen(argv, cwd=job.dir, env=env, stdin=subprocess.DEVNULL, stdout=out,
                                stderr=subprocess.STDOUT, start_new_session=True)
    finally:
        out.close()


def _wait(proc, seconds):
    try:
        proc.wait(timeout=seconds)
        return True
    except subprocess.TimeoutExpired:
        return False


class System:
    name = "?"
    names_causes = False

    def available(self):
        """None when it can run here, else why not (the system is then reported as skipped)."""
        return None

    def launch(self, job):
        raise NotImplementedError

    def ended(self, r):
        rc = r.proc.poll()
        if rc is None:
            return None
        return Ended("finished" if rc == 0 else "stopped", f"exit {rc}", rc, r.exited_at)

    def preempt(self, r):
        """A scheduler's SIGTERM to the supervising process itself."""
        try:
            os.kill(r.pid, signal.SIGTERM)
        except ProcessLookupError:
            pass

    def stop(self, r):
        """How its user stops it (at the time limit): SIGTERM to the supervisor, a grace, then SIGKILL."""
        self.preempt(r)
        if not _wait(r.proc, r.job.grace + 5):
            procs.killpg(r.pid, signal.SIGKILL)
            _wait(r.proc, 5)

    def causes(self, r, since):
        return None

    def close(self, r):
        """After the system ended by itself: make sure the supervising process is gone too."""
        if r.proc.poll() is None:
            self.stop(r)


class ShellLoop(System):
    name = "loop"

    def launch(self, job):
        script = f"until {shlex.join(job.argv)}; do sleep 1; done"
        return Running(_popen(["bash", "-c", script], job, os.path.join(job.sysdir, "loop.log")), job, self.name)

    def stop(self, r):
        # a user's Ctrl-C (SIGINT to the foreground process group), then kill -9 of the group if anything of it
        # is still there after the grace; what left the group (setsid) is not reached
        procs.killpg(r.pid, signal.SIGINT)
        deadline = time.monotonic() + r.job.grace + 5
        while time.monotonic() < deadline and procs.group_alive(r.pid):
            time.sleep(0.1)
        procs.killpg(r.pid, signal.SIGKILL)
        _wait(r.proc, 5)


class Supervisord(System):
    """autorestart=unexpected with exitcodes=0 (restart a crash, not a finished run), stopasgroup and killasgroup:
    its best configuration for a training job."""
    name = "supervisord"
    DONE = re.compile(r"exited: train \(exit status 0; expected\)")
    FATAL = re.compile(r"gave up: train entered FATAL state.*")

    def available(self):
        try:
            subprocess.run(["supervisord", "--version"], capture_output=True, check=True, timeout=30)
            return None
        except (OSError, subprocess.SubprocessError) as e:
            return f"supervisord not usable ({e.__class__.__name__}); apt-get install supervisor"

    def launch(self, job):
        conf = os.path.join(job.sysdir, "supervisord.conf")
        with open(conf, "w") as f:
            f.write(f"""[supervisord]
nodaemon=true
logfile={job.sysdir}/supervisord.log
pidfile={job.sysdir}/supervisord.pid
childlogdir={job.sysdir}

[program:train]
command={shlex.join(job.argv)}
directory={job.dir}
autostart=true
autorestart=unexpected
exitcodes=0
startsecs=1
startretries=3
stopsignal=TERM
stopwaitsecs={int(job.grace)}
stopasgroup=true
killasgroup=true
redirect_stderr=true
stdout_logfile={job.sysdir}/train.log
""")
        log = os.path.join(job.sysdir, "supervisord.log")
        offset = os.path.getsize(log) if os.path.exists(log) else 0  # a second launch (requeue) reads on from here
        return Running(_popen(["supervisord", "-n", "-c", conf], job, os.path.join(job.sysdir, "supervisord.out")),
                       job, self.name, {"log": log, "offset": offset})

    def ended(self, r):
        log = r.extra["log"]
        try:
            with open(log, encoding="utf-8", errors="replace") as f:
                f.seek(r.extra["offset"])
                text = f.read()
        except FileNotFoundError:
            text = ""
        done = self.DONE.search(text)
        if done:
            return Ended("finished", "exited: train (exit status 0; expected)", 0, self.logged_at(text, done.start()))
        m = self.FATAL.search(text)
        if m:
            return Ended("stopped", m.group(0))
        rc = r.proc.poll()
        if rc is not None:
            return Ended("stopped", f"supervisord exited {rc}", rc)
        return None



    @staticmethod
    def logged_at(text, pos):
        """The monotonic time of the log line at pos, from supervisord's own stamp (local time, milliseconds)."""
        line = text[text.rfind("\n", 0, pos) + 1:pos]
        try:
            stamp = datetime.strptime(line[:23], "%Y-%m-%d %H:%M:%S,%f").timestamp()
        except ValueError:
            return None
        return time.monotonic() - max(0.0, time.time() - stamp)


class Torchrun(System):
    name = "torchrun"

    def __init__(self, python):
        self.python = python

    def available(self):
        with tempfile.TemporaryDirectory(prefix="warden-faults-probe.") as d:
            script = os.path.join(d, "probe.py")
            with open(script, "w") as f:
                f.write("print('torchrun-probe-ok')\n")
            try:
                p = subprocess.run([self.python, "-m", "torch.distributed.run", "--nnodes", "1", "--nproc_per_node", "1",
                                    "--max_restarts", "0", "--master_port", "0", script], capture_output=True,
                                   timeout=120, text=True, start_new_session=True)
            except (OSError, subprocess.SubprocessError) as e:
                return f"torchrun probe failed ({e.__class__.__name__})"
        if p.returncode == 0 and "torchrun-probe-ok" in p.stdout:
            return None
        last = [line.strip() for line in (p.stderr or "").splitlines() if line.strip()]
        return "torchrun is broken here: " + (last[-1][:160] if last else f"exit {p.returncode}")

    def launch(self, job):
        argv = list(job.argv)
        if argv[:2] == ["bash", "launch2.sh"]:
            argv = argv[2:]
        script = argv[1:]  # drop `python`
        cmd = [self.python, "-m", "torch.distributed.run", "--nnodes", "1", "--nproc_per_node", str(job.ranks),
               "--max_restarts", "3", "--master_port", job.env.get("MASTER_PORT", "29517")] + script
        return Running(_popen(cmd, job, os.path.join(job.sysdir, "torchrun.log")), job, self.name)


class Warden(System):
    """`./warden run warden.yaml`: the launcher a user runs (its JVM flags and class-data archive included)."""
    name = "warden"
    names_causes = True

    def __init__(self, jar, unavailable=None, command=None):
        self.jar = jar
        self.unavailable = unavailable
        self.command = command  # e.g. ["java", "-cp", CLASSPATH, "dev.warden.cli.Main"] instead of the jar

    def available(self):
        if self.command:
            return None
        if self.unavailable:
            return self.unavailable
        if not os.path.exists(self.jar):
            return f"{self.jar} missing (mvn -q -B -o -DskipTests package)"
        return None

    def launch(self, job):
        home = os.path.join(job.sysdir, "warden-home")
        os.makedirs(home, exist_ok=True)
        launcher = os.path.join(os.path.dirname(os.path.dirname(os.path.abspath(self.jar or "."))), "warden")
        cmd = (self.command or [launcher]) + ["run", job.spec]
        return Running(_popen(cmd, job, os.path.join(job.sysdir, "warden.log"), {"WARDEN_HOME": home}), job, self.name,
                       {"home": home})

    def events(self, r, since):
        out = []
        for path in glob.glob(os.path.join(r.extra["home"], "runs", "*", "events.jsonl")):
            evs = []
            with open(path, encoding="utf-8", errors="replace") as f:
                for line in f:
                    try:
                        evs.append(json.loads(line))
                    except ValueError:
                        pass
            if evs and _epoch(evs[0]["at"]) >= since - 1:
                out.extend(evs)
        out.sort(key=lambda e: (_epoch(e["at"]), e.get("seq", 0)))
        return out

    def causes(self, r, since):
        return [e["data"]["category"] for e in self.events(r, since)
                if e["type"] == "diagnosed" and "category" in (e.get("data") or {})]


def _epoch(iso):
    from datetime import datetime
    return datetime.fromisoformat(iso.replace("Z", "+00:00")).timestamp()
