"""The fault kinds of the campaign (issue 8), each with how it is injected, what a correct outcome is, and what the
oracle cannot avoid losing."""
from dataclasses import dataclass

SAVE_STEPS = 16       # must match --save_steps in specs/*.yaml
FAULT_STEP = 56       # one-rank job: 128 steps at batch 32; the last checkpoint before it is 48
FAULT_STEP_2RANK = 40  # two-rank job: 64 steps; last checkpoint before it 32


@dataclass(frozen=True)
class Kind:
    id: int
    key: str
    title: str
    fault: str = "none"             # FAULT for inject.py ("none": nothing inside the trainer)
    recoverable: bool = True        # False: correct = stop within one attempt naming an expected cause
    causes: tuple = ()              # categories a diagnosing system should name
    cause_required: bool = False    # for a recoverable kind: finishing is not enough, the cause must be right too
    data: str = "long"              # long | short (the dataset the run is meant to train)
    ranks: int = 1
    step: int = FAULT_STEP
    previous_run: bool = False      # dataset_change: a finished run on the long dataset first, then the short one
    preempt_at: int = 0             # preemption: SIGTERM to the supervising process at this step
    calibration: bool = False       # a fault-free run on other data / ranks, to measure lost time against
    oracle_batch: int = 0           # the batch the oracle has to run at (cuda_oom: the one that fits)

    def last_good_steps_lost(self):
        """Steps done since the last checkpoint that survives the fault."""
        done = self.step - 1
        if self.fault == "corrupt_checkpoint":
            broken = -(-self.step // SAVE_STEPS) * SAVE_STEPS
            return broken - (broken - SAVE_STEPS)
        return done - (done // SAVE_STEPS) * SAVE_STEPS

    def unavoidable(self, start_s, step_s, stall_s):
        """What an oracle supervisor loses: the work since the last good checkpoint, the stall timeout for a hang,
        one trainer start per restart. None for a deterministic kind (it stops; no ETTR)."""
        if not self.recoverable:
            return None
        if self.fault == "none" and not self.preempt_at:
            return 0.0
        if self.preempt_at:
            return start_s + step_s  # the trainer saves at the end of the step it is in
        if self.fault == "cuda_oom":
            return start_s            # the first attempt dies at its first forward pass
        lost = start_s + self.last_good_steps_lost() * step_s
        return lost + (stall_s if self.fault == "hang" else 0.0)


KINDS = [
    Kind(1, "none", "none: the pure overhead of each system"),
    Kind(2, "cuda_oom", "CUDA OOM at batch 32, fine at 16", fault="cuda_oom", causes=("cuda_oom",), oracle_batch=16),
    Kind(3, "hang", "hang: alive, silent, no progress", fault="hang", causes=("hang",)),
    Kind(4, "segfault", "segfault (transient)", fault="segfault", causes=("segfault",)),
    Kind(5, "setsid_orphan", "crash leaving a setsid grandchild on the GPU", fault="setsid_orphan"),
    Kind(6, "corrupt_checkpoint", "truncated weights under trainer_state.json, SIGKILL", fault="corrupt_checkpoint"),
    Kind(7, "nan", "NaN loss from a step on (transient)", fault="nan", causes=("nan_loss",)),
    Kind(8, "missing_module", "missing Python module (deterministic)", fault="missing_module", recoverable=False,
         causes=("missing_dependency",)),
    Kind(9, "dataset_change", "dataset replaced by a shorter one under old checkpoints", data="short", previous_run=True),
    Kind(10, "host_oom", "host OOM killer (exit 137, kernel line)", fault="host_oom", causes=("host_oom",)),
    Kind(11, "rank_kill", "one rank of a 2-rank gloo job killed", fault="rank_kill", ranks=2, step=FAULT_STEP_2RANK,
         causes=("killed", "host_oom"), cause_required=True),
    Kind(12, "preemption", "SIGTERM to the supervisor, grace, requeue", preempt_at=FAULT_STEP),
]

CALIBRATIONS = {
    "short": Kind(1, "none_short", "none on the short dataset (for kind 9)", data="short", calibration=True),
    "2rank": Kind(1, "none_2rank", "none with two ranks (for kind 11)", ranks=2, calibration=True),
}

QUICK = ("none", "segfault", "hang")


def by_key(keys):
    known = {k.key: k for k in KINDS}
    out = []
    for key in keys:
        if key not in known:
            raise SystemExit(f"bench/faults/run: unknown fault kind `{key}`; known: {', '.join(known)}")
        out.append(known[key])
    return out


def calibrations_for(kinds):
    """Fault-free reference runs the selected kinds need besides `none`."""
    out = []
    if any(k.data == "short" for k in kinds):
        out.append(CALIBRATIONS["short"])
    if any(k.ranks == 2 for k in kinds):
        out.append(CALIBRATIONS["2rank"])
    return out


def oracle_key(kind):
    """Which bare-trainer run the oracle's time is built on."""
    return f"batch{kind.oracle_batch}" if kind.oracle_batch else reference_key(kind)


def reference_key(kind):
    """Which fault-free run a kind's lost time is measured against."""
    if kind.data == "short":
        return "none_short"
    if kind.ranks == 2:
        return "none_2rank"
    return "none"

