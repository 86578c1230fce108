#!/usr/bin/env python3
"""The fault-injection campaign (issue 8): every fault kind under every system, in one run, judged by the trainer's
ledger. Started by bench/faults/run; see README.md next to it."""
import argparse
import hashlib
import json
import os
import random
import re
import shlex
import shutil
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import time

import kinds as K
import procs
import report
from judge import judge
from ledger import read as read_ledger
from systems import Job, ShellLoop, Supervisord, Torchrun, Warden

HERE = os.path.dirname(os.path.abspath(__file__))
JOB_FILES = {"trainer.py": "train.py", "inject.py": "inject.py", "ledger.py": "ledger.py", "standin.py": "standin.py",
             "torch_backend.py": "torch_backend.py", "launch2.sh": "launch2.sh"}
N_SAMPLES = {"long": 2048, "short": 1024}
QUICK_LONG = 1024         # --quick: 64 steps instead of 128, to stay under two minutes
SCHEDULER_GRACE_S = 5.0   # preemption: SIGTERM to the supervisor, then everything left is killed (the node goes)
MEMCG_LIMIT = 192 << 20   # host_oom: what the trainer may add after it moves into the memory cgroup
ALL_SYSTEMS = ("loop", "supervisord", "torchrun", "warden")


def parse_args():
    p = argparse.ArgumentParser(prog="bench/faults/run", description="fault-injection campaign: Warden vs the alternatives")
    p.add_argument("--quick", action="store_true", help=f"only {', '.join(K.QUICK)} (CI; under two minutes)")
    p.add_argument("--systems", default=",".join(ALL_SYSTEMS), help="comma-separated: " + ",".join(ALL_SYSTEMS))
    p.add_argument("--kinds", default=None, help="comma-separated fault kinds (default: all, or the quick three)")
    p.add_argument("--repeat", type=int, default=1, help="run every kind x system N times; the table shows medians")
    p.add_argument("--json", default=None, help="where to write the JSON (default bench/out/faults-<time>.json)")
    p.add_argument("--root", default=os.path.dirname(os.path.dirname(HERE)))
    p.add_argument("--keep", action="store_true", help="keep the work directory (for debugging; processes are still killed)")
    p.add_argument("--no-build", action="store_true", help="never run mvn: a missing or stale jar skips warden")
    p.add_argument("--warden-cmd", default=None,
                   help="how to start warden instead of `java -jar target/warden.jar` (tests: java -cp CP dev.warden.cli.Main)")
    p.add_argument("--strict", action="store_true",
                   help="exit 1 unless warden ran and was correct on every kind, leaving no process behind (for CI)")
    a = p.parse_args()
    a.systems = [s.strip() for s in a.systems.split(",") if s.strip()]
    for s in a.systems:
        if s not in ALL_SYSTEMS:
            p.error(f"unknown system `{s}`; known: {', '.join(ALL_SYSTEMS)}")
    keys = a.kinds.split(",") if a.kinds else (K.QUICK if a.quick else [k.key for k in K.KINDS])
    a.kinds = K.by_key([k.strip() for k in keys if k.strip()])
    return a


def say(msg):
    print(msg, file=sys.stderr, flush=True)


def link_python(python, at):
    """`python` for the jobs. A virtualenv's interpreter finds its packages from the path it is started by (pyvenv.cfg
    beside its bin/), so it gets a one-line wrapper; any other interpreter a symlink (no extra exec per start)."""
    if os.path.exists(os.path.join(os.path.dirname(os.path.dirname(python)), "pyvenv.cfg")):
        with open(at, "w") as f:
            f.write(f"#!/bin/sh\nexec {shlex.quote(python)} \"$@\"\n")
        os.chmod(at, 0o755)
    else:
        os.symlink(python, at)


def pick_python():
    """Debian's python3 has torch (python3-torch); else any python3 runs the standard-library stand-in."""
    for py in ("/usr/bin/python3", shutil.which("python3")):
        if py and os.path.exists(py):
            ok = subprocess.run([py, "-c", "import torch"], capture_output=True).returncode == 0
            if ok:
                return py, "torch " + subprocess.run([py, "-c", "import torch; print(torch.__version__)"],
                                                     capture_output=True, text=True).stdout.strip()
    py = shutil.which("python3") or "/usr/bin/python3"
    return py, "stdlib stand-in (no torch)"


def write_dataset(path, n, seed):
    rnd = random.Random(seed)
    w = [rnd.uniform(-1, 1) for _ in range(16)]
    with open(path, "w") as f:
        for _ in range(n):
            x = [round(rnd.gauss(0, 1), 4) for _ in range(16)]
            y = sum(a * b for a, b in zip(w, x)) + rnd.gauss(0, 0.1)
            f.write(json.dumps({"x": x, "y": round(y, 4)}) + "\n")


class Spec:
    """What the campaign takes from a Warden spec: the command every system runs, and the time constants."""

    def __init__(self, path):
        self.path = path
        text = open(path).read()
        m = re.search(r"^command:\s*(.+)$", text, re.M)
        if not m:
            raise SystemExit(f"{path}: no one-line `command:`; the campaign runs the same command under every system")
        batch = re.search(r"^\s*batch_size:\s*(\d+)", text, re.M)
        self.command = m.group(1).strip().replace("${batch_size}", batch.group(1) if batch else "32")
        self.argv = shlex.split(self.command)
        self.stall_s = _seconds(re.search(r"^stall_after:\s*(\S+)", text, re.M))
        self.grace_s = _seconds(re.search(r"^grace:\s*(\S+)", text, re.M)) or 30.0
        e = re.search(r"--num_train_epochs\s+(\d+)", self.command)
        self.epochs = int(e.group(1)) if e else 2


def _seconds(m):
    if not m:
        return None
    v = m.group(1)
    units = {"ms": 0.001, "s": 1, "m": 60, "h": 3600}
    u = re.match(r"^([0-9.]+)(ms|s|m|h)$", v)
    return float(u.group(1)) * units[u.group(2)] if u else None


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return str(s.getsockname()[1])


class Campaign:
    def __init__(self, args):
        self.args = args
        self.token = f"wf{os.getpid()}x{random.randrange(1 << 24):06x}"
        self.work = tempfile.mkdtemp(prefix="warden-faults.")
        self.python, self.backend = pick_python()
        if args.quick:
            N_SAMPLES["long"] = QUICK_LONG
        self.specs = {1: Spec(os.path.join(HERE, "specs", "train.yaml")), 2: Spec(os.path.join(HERE, "specs", "train-2rank.yaml"))}
        self.memcgs = []
        bindir = os.path.join(self.work, "bin")
        os.makedirs(bindir)
        link_python(self.python, os.path.join(bindir, "python"))
        self.data = {}
        for name, seed in (("long", 1), ("short", 2)):
            path = os.path.join(self.work, f"data-{name}.jsonl")
            write_dataset(path, N_SAMPLES[name], seed)
            self.data[name] = (path, hashlib.sha256(open(path, "rb").read()).hexdigest()[:16])
        env = {k: v for k, v in os.environ.items() if not k.startswith(("FAULT", "WARDEN_", "MASTER_", "RANK", "WORLD_SIZE"))}
        env["PATH"] = bindir + os.pathsep + env.get("PATH", "/usr/bin:/bin")
        env["PYTHONDONTWRITEBYTECODE"] = "1"
        self.base_env = env
        self.run_no = 0

    # ---- one run's directory and environment
    def prepare(self, kind, system_name):
        self.run_no += 1
        rd = os.path.join(self.work, f"{self.run_no:02d}-{kind.key}-{system_name}")
        job, state, sysdir = (os.path.join(rd, d) for d in ("job", "state", "sys"))
        for d in (job, state, sysdir, os.path.join(job, "data")):
            os.makedirs(d)
        for src, dst in JOB_FILES.items():
            shutil.copy(os.path.join(HERE, src), os.path.join(job, dst))
        spec = self.specs[kind.ranks]
        shutil.copy(spec.path, os.path.join(job, "warden.yaml"))
        self.put_data(job, "long" if kind.previous_run else kind.data)
        tag = f"{self.token}/{self.run_no}"
        env = dict(self.base_env)
        env.update({"FAULT": kind.fault, "FAULT_STEP": str(kind.step), "FAULT_STATE": state,
                    "FAULT_GPU_LOCK": os.path.join(state, "gpu.lock"), "FAULTS_LEDGER": os.path.join(state, "ledger.jsonl"),
                    "FAULTS_TAG": tag, "MASTER_PORT": free_port()})
        if kind.fault == "host_oom":
            cg = procs.MemoryCgroup(f"warden-faults-{self.token}-{self.run_no}", MEMCG_LIMIT)
            self.memcgs.append(cg)
            if cg.path:
                env["FAULT_MEMCG"] = cg.path
        return Job(dir=job, argv=list(spec.argv), spec=os.path.join(job, "warden.yaml"), env=env, sysdir=sysdir,
                   grace=spec.grace_s, ranks=kind.ranks), tag

    def put_data(self, job_dir, which):
        shutil.copy(self.data[which][0], os.path.join(job_dir, "data", "train.jsonl"))

    # ---- the trainer alone: the oracle's fault-free time, its start-up time and its step time
    def bare(self, data, ranks, batch=0):
        kind = K.Kind(0, f"bare_{data}_{ranks}", "bare", data=data, ranks=ranks, calibration=True)
        job, tag = self.prepare(kind, "bare")
        if batch:
            i = job.argv.index("--per_device_train_batch_size")
            job.argv[i + 1] = str(batch)
        t0 = time.monotonic()
        p = subprocess.Popen(job.argv, cwd=job.dir, env=job.env, stdin=subprocess.DEVNULL,
                             stdout=open(os.path.join(job.sysdir, "bare.log"), "wb"), stderr=subprocess.STDOUT,
                             start_new_session=True)
        rc = p.wait(timeout=600)
        wall = time.monotonic() - t0
        procs.kill_tagged(tag)
        recs = read_ledger(job.env["FAULTS_LEDGER"])
        start = next(r for r in recs if r["ev"] == "start")
        steps = [r for r in recs if r["ev"] == "step"]
        if rc != 0 or not steps:
            raise SystemExit(f"bench/faults: the trainer fails without any fault (exit {rc}); see {job.sysdir}/bare.log")
        train_s = steps[-1]["t"] - start["t"]
        return {"wall_s": wall, "step_s": train_s / len(steps), "start_s": wall - train_s, "steps": len(steps)}

    def limit_for(self, kind, bare):
        b = bare[K.oracle_key(kind)]
        lost = kind.unavoidable(b["start_s"], b["step_s"], self.specs[kind.ranks].stall_s or 0) or b["start_s"]
        oracle = b["wall_s"] + lost
        return oracle + max(10.0, 0.75 * oracle)

    # ---- one fault kind under one system
    def run(self, kind, system, bare):
        job, tag = self.prepare(kind, system.name)
        limit = self.limit_for(kind, bare)
        notes = []
        if kind.previous_run:
            r = system.launch(job)
            end = self.wait(system, r, time.monotonic() + 3 * bare["none"]["wall_s"] + 15)
            system.close(r)
            left = procs.settle(tag, 2.0)
            procs.kill_tagged(tag)
            if end is None or end.state != "finished":
                notes.append("the previous run on the long dataset did not finish")
            if left:
                notes.append(f"{len(left)} process(es) left by the previous run")
            self.put_data(job.dir, kind.data)
        since = time.time()
        t0 = time.monotonic()
        r = system.launch(job)
        state, detail, code, end_at = None, "", None, None
        while True:
            end = system.ended(r)
            if end:
                state, detail, code, end_at = end.state, end.detail, end.exit_code, end.at
                break
            if kind.preempt_at and not notes_has(notes, "preempted") and self.max_step(job, since) >= kind.preempt_at:
                system.preempt(r)
                try:
                    r.proc.wait(timeout=SCHEDULER_GRACE_S)
                    notes.append(f"preempted: supervisor exited {r.proc.returncode}")
                except subprocess.TimeoutExpired:
                    notes.append("preempted: supervisor still running at the end of the grace")
                killed = procs.kill_tagged(tag)
                if killed:
                    notes.append(f"{len(killed)} process(es) killed with the node")
                system.close(r)
                r = system.launch(job)
                continue
            if time.monotonic() - t0 > limit:
                system.stop(r)
                state = "timed_out"
                break
            time.sleep(0.05)
        wall = (end_at or time.monotonic()) - t0
        system.close(r)
        causes = system.causes(r, since) if system.names_causes else None
        left = procs.settle(tag, 2.0)
        procs.kill_tagged(tag)
        for cg in self.memcgs:
            cg.remove()
        data_sha = self.data[kind.data][1]
        total = N_SAMPLES[kind.data] * self.specs[kind.ranks].epochs
        v = judge(kind, state, read_ledger(job.env["FAULTS_LEDGER"]), since, data_sha, total, causes)
        if kind.fault == "host_oom" and "FAULT_MEMCG" not in job.env:
            notes.append("no writable memory cgroup: SIGKILL without the kernel's line")
        det = v.detail + (f"; exit {code}" if code not in (None, 0) and system.name == "warden" else "")
        return {"kind": kind, "system": system.name, "ref": K.reference_key(kind), "oracle_ref": K.oracle_key(kind), "outcome": v.outcome, "ok": v.ok,
                "detail": "; ".join([det] + notes), "attempts": v.attempts, "cause": v.cause, "cause_ok": v.cause_ok,
                "wall_s": wall, "limit_s": limit, "left_behind": len(left), "left_names": [c for _, c in left],
                "system_end": state, "system_detail": detail, "exit_code": code}

    def wait(self, system, r, deadline):
        while time.monotonic() < deadline:
            end = system.ended(r)
            if end:
                return end
            time.sleep(0.05)
        system.stop(r)
        return None

    def max_step(self, job, since):
        steps = [x["step"] for x in read_ledger(job.env["FAULTS_LEDGER"]) if x["ev"] == "step" and x["t"] >= since]
        return max(steps, default=0)

    def cleanup(self):
        left = procs.kill_tagged(self.token)
        for cg in self.memcgs:
            cg.remove()
        if not self.args.keep:
            shutil.rmtree(self.work, ignore_errors=True)
        return left


def say_bare(bare, which):
    for key, b in bare.items():
        say(f"bench/faults: bare trainer ({key}, {which}): {b['wall_s']:.1f} s, start-up {b['start_s']:.1f} s, "
            f"{b['step_s'] * 1000:.0f} ms/step")


def median_bare(samples):
    return {key: statistics.median(s[key] for s in samples) for key in samples[0]}


def aggregate(rs):
    """One row from the repeats of a kind x system: median wall; correct only when every repeat was."""
    if len(rs) == 1:
        return rs[0]
    row = dict(rs[0])
    row["repeats"] = [{k: r[k] for k in ("outcome", "ok", "wall_s", "attempts", "left_behind", "cause", "detail")} for r in rs]
    row["wall_s"] = statistics.median(r["wall_s"] for r in rs)
    row["attempts"] = max(r["attempts"] for r in rs)
    row["left_behind"] = max(r["left_behind"] for r in rs)
    row["ok"] = all(r["ok"] for r in rs)
    outcomes = sorted({r["outcome"] for r in rs})
    if len(outcomes) > 1:
        good = sum(1 for r in rs if r["ok"])
        row["outcome"] = f"mixed ({good}/{len(rs)} ok)"
    bad = [r for r in rs if not r["ok"]]
    row["detail"] = (bad or rs)[0]["detail"]
    return row


def notes_has(notes, word):
    return any(n.startswith(word) for n in notes)


def build_jar(root, allowed=True):
    """The jar, built the way the README says, only when missing or older than the sources."""
    jar = os.path.join(root, "target", "warden.jar")
    newest = 0.0
    for base in (os.path.join(root, "src", "main"), os.path.join(root, "pom.xml")):
        if os.path.isfile(base):
            newest = max(newest, os.path.getmtime(base))
        for d, _, files in os.walk(base):
            for f in files:
                newest = max(newest, os.path.getmtime(os.path.join(d, f)))
    if os.path.exists(jar) and os.path.getmtime(jar) >= newest:
        prime_launcher(root)
        return jar, None, 0.0
    if not allowed:
        return jar, f"{jar} is missing or older than src/main (--no-build)", 0.0
    if not shutil.which("mvn") or not shutil.which("java"):
        return jar, "java or mvn not installed", 0.0
    t = time.monotonic()
    p = subprocess.run(["mvn", "-q", "-B", "-o", "-DskipTests", "package"], cwd=root, capture_output=True, text=True)
    if p.returncode != 0:
        tail = (p.stdout + p.stderr).strip().splitlines()[-3:]
        return jar, "build failed: " + " | ".join(tail), time.monotonic() - t
    prime_launcher(root)
    return jar, None, time.monotonic() - t


def prime_launcher(root):
    """The ./warden launcher makes its class-data archive on its first start after a build: not inside a timed run."""
    subprocess.run([os.path.join(root, "warden"), "--version"], cwd=root, capture_output=True)


def main():
    args = parse_args()
    started = time.time()
    t_start = time.monotonic()

    def interrupted(signum, frame):
        raise KeyboardInterrupt
    signal.signal(signal.SIGTERM, interrupted)
    systems, skipped = [], {}
    build_s = 0.0
    c = Campaign(args)
    results = []
    try:
        for name in args.systems:
            if name == "loop":
                s = ShellLoop()
            elif name == "supervisord":
                s = Supervisord()
            elif name == "torchrun":
                s = Torchrun(c.python)
            else:
                if args.warden_cmd:
                    s = Warden(None, None, shlex.split(args.warden_cmd))
                else:
                    jar, why, build_s = build_jar(args.root, not args.no_build)
                    s = Warden(jar, why)
            why = s.available()
            if why:
                skipped[name] = why
                say(f"bench/faults: {name} skipped: {why}")
            else:
                systems.append(s)
        say(f"bench/faults: trainer = {c.backend} ({c.python}); systems: {', '.join(s.name for s in systems) or 'none'}; "
            f"work dir {c.work}")
        refs = {"none": ("long", 1, 0)}
        calib = K.calibrations_for(args.kinds)
        for k in calib:
            refs[k.key] = (k.data, k.ranks, 0)
        for k in args.kinds:
            if k.oracle_batch:
                refs[K.oracle_key(k)] = (k.data, k.ranks, k.oracle_batch)
        # The bare reference runs are spread over the campaign like the systems' runs (two at the start, then one at
        # each further round, or at a third and two thirds of a single round), so drift of a shared machine over a
        # long campaign moves both sides of every ratio; the oracle is the median of them all. The first two set the
        # time limits.
        bare_samples = {key: [c.bare(*ref) for _ in range(2)] for key, ref in refs.items()}
        bare = {key: median_bare(v) for key, v in bare_samples.items()}
        say_bare(bare, "first round")
        plan = []
        kinds = sorted(args.kinds, key=lambda k: k.id)
        if not any(k.key == "none" for k in kinds):
            kinds.insert(0, K.KINDS[0])  # every system's fault-free time is needed for lost time and ETTR
        order_of_kinds = kinds[:1] + calib + kinds[1:]
        for rep in range(args.repeat):
            for k in order_of_kinds:
                for s in systems:
                    plan.append((k, s))
        for k in order_of_kinds:
            for name, why in skipped.items():
                if not k.calibration:
                    results.append({"kind": k, "system": name, "ref": K.reference_key(k), "oracle_ref": K.oracle_key(k),
                                    "outcome": "skipped", "ok": False, "detail": why, "attempts": 0, "cause": "-",
                                    "cause_ok": None, "wall_s": 0.0, "left_behind": 0, "left_names": []})
        runs = {}
        per_round = len(plan) // args.repeat
        if args.repeat > 1:
            bare_at = {1 + r * per_round for r in range(1, args.repeat)}
        else:
            bare_at = set() if args.quick or len(plan) < 6 else {1 + len(plan) // 3, 1 + 2 * len(plan) // 3}
        for i, (k, s) in enumerate(plan, 1):
            if i in bare_at:
                for key, ref in refs.items():
                    bare_samples[key].append(c.bare(*ref))
            res = c.run(k, s, bare)
            runs.setdefault((k.key, s.name), []).append(res)
            say(f"[{i:>2}/{len(plan)}] {k.id:>2} {k.key:<18} {s.name:<11} {res['outcome']:<20} {res['wall_s']:6.1f} s  "
                f"attempts {res['attempts']}  left {res['left_behind']}  {res['detail'][:70]}")
        results += [aggregate(rs) for rs in runs.values()]
        bare = {key: median_bare(v) for key, v in bare_samples.items()}
        say_bare(bare, f"median of all {len(next(iter(bare_samples.values())))} runs")
    except KeyboardInterrupt:
        say("bench/faults: interrupted; stopping everything it started")
        left = c.cleanup()
        say(f"bench/faults: killed {len(left)} process(es); {'kept' if args.keep else 'removed'} {c.work}")
        sys.exit(130)
    left = c.cleanup()
    order = {name: i for i, name in enumerate(ALL_SYSTEMS)}
    results.sort(key=lambda r: (r["kind"].id, r["kind"].calibration, r["kind"].key, order[r["system"]]))
    oracle, summary = report.ettr_table(results, bare, c.specs[1].stall_s or 0)
    took = time.monotonic() - t_start
    load = os.getloadavg()[0]
    header = (f"Fault campaign: {len(args.kinds)} kinds x {len(systems)} systems in {took:.0f} s · trainer {c.backend} on CPU · "
              f"{os.cpu_count()} cores, load {load:.1f} · lost = wall - that system's fault-free wall · "
              f"ETTR = fault-free / wall (0 unless correct)")
    print(report.render(results, oracle, summary, header))
    leftover_line = (f"after the campaign: {len(left)} stray process(es) killed; work dir "
                     f"{'kept at ' + c.work if args.keep else 'removed'}")
    print(leftover_line)
    meta = {"started": time.strftime("%Y-%m-%dT%H:%M:%S", time.localtime(started)), "duration_s": took,
            "trainer": c.backend, "python": c.python, "cpus": os.cpu_count(), "load": load, "build_s": build_s,
            "skipped": skipped, "bare": bare, "stall_after_s": c.specs[1].stall_s, "grace_s": c.specs[1].grace_s,
            "scheduler_grace_s": SCHEDULER_GRACE_S, "kinds": [k.key for k in args.kinds], "stray_after": len(left),
            "command": c.specs[1].command}
    out = args.json or os.path.join(args.root, "bench", "out", time.strftime("faults-%Y%m%d-%H%M%S.json"))
    os.makedirs(os.path.dirname(os.path.abspath(out)), exist_ok=True)
    tmp = out + ".tmp"
    with open(tmp, "w") as f:
        f.write(report.to_json(results, oracle, summary, meta))
    os.replace(tmp, out)
    print(f"JSON: {out}")
    if args.strict:
        mine = [r for r in results if r["system"] == "warden" and not r["kind"].calibration]
        bad = [r["kind"].key for r in mine if not r["ok"] or r["left_behind"]]
        if not mine or bad or left:
            print(f"--strict: warden {'did not run' if not mine else 'failed ' + ', '.join(bad) if bad else 'ok'}; "
                  f"{len(left)} stray process(es)", file=sys.stderr)
            return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
