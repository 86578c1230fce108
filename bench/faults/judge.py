"""Decides a run's outcome from the trainer's ledger (what was really trained) and the system's end state, never
from the system's own word: "finished" only counts when the final model's history covers every sample of the
intended dataset once, in order, with a finite loss."""
from dataclasses import dataclass


@dataclass
class Verdict:
    outcome: str          # finished correctly | wrong result | timed out | stopped | skipped
    ok: bool
    detail: str
    attempts: int
    cause: str            # what the system named ("-" when it names nothing)
    cause_ok: object      # True / False / None (the system names no causes, or the kind expects none)


def _segments(records):
    segs = {}
    for r in records:
        seg = r.get("seg")
        if seg is None:
            continue
        s = segs.setdefault(seg, {"start": None, "steps": [], "ckpts": [], "end": None})
        if r["ev"] == "start":
            s["start"] = r
        elif r["ev"] == "step":
            s["steps"].append(r)
        elif r["ev"] == "ckpt":
            s["ckpts"].append(r)
        elif r["ev"] == "end":
            s["end"] = r
    return segs


def lineage(records, since, data_sha, total):
    """(True, summary) when the newest finished segment's history is exactly the intended training, else
    (False, why)."""
    segs = _segments(records)
    done = [s for s in segs.values() if s["start"] and s["end"] and s["end"]["status"] == "finished"
            and s["start"]["t"] >= since]
    if not done:
        return False, "the trainer never finished"
    cur = max(done, key=lambda s: s["end"]["t"])
    upto = cur["end"]["samples"]
    chain, hops = [], 0
    while True:
        chain = [st for st in cur["steps"] if st["s1"] <= upto] + chain
        start = cur["start"]
        if not start.get("resume_from"):
            break
        prev = segs.get(start.get("resume_seg"))
        if prev is None or prev["start"] is None:
            return False, f"resumed from {start['resume_from']}, which no run in this campaign wrote"
        upto, cur, hops = start["resume_samples"], prev, hops + 1
        if hops > 1000:
            return False, "resume chain does not end"
    sha_of = {k: (v["start"] or {}).get("data_sha") for k, v in segs.items()}
    pos, twice, gaps, other, nonfinite = 0, 0, 0, 0, 0
    for st in chain:
        if st["s0"] > pos:
            gaps += st["s0"] - pos
        elif st["s0"] < pos:
            twice += pos - st["s0"]
        pos = st["s1"]
        if sha_of.get(st["seg"]) != data_sha:
            other += 1
        if not st["finite"]:
            nonfinite += 1
    right = sum(st["s1"] - st["s0"] for st in chain if sha_of.get(st["seg"]) == data_sha)
    if other:
        return False, f"{right} of {total} intended samples trained; {other} steps of the final model came from another dataset"
    if nonfinite:
        return False, f"loss NaN/inf in {nonfinite} of {len(chain)} steps of the final model's history"
    if gaps or twice or pos != total:
        return False, f"final model saw samples 0..{pos} of {total} ({gaps} skipped, {twice} twice)"
    return True, f"{len(chain)} steps, {total} samples, {hops} resume(s)"


def judge(kind, end_state, records, since, data_sha, total, causes):
    """end_state: finished | stopped | timed_out (how the system ended); causes: categories the system named, in
    attempt order, or None when it names none."""
    attempts = sum(1 for r in records if r["ev"] == "launch" and r["t"] >= since)
    cause = "→".join(causes) if causes else "-"
    cause_ok = None
    if causes is not None and kind.causes:
        named = causes[:1] if kind.cause_required else causes
        cause_ok = any(c in kind.causes for c in named)
    if end_state == "timed_out":
        return Verdict("timed out", False, "killed at the time limit", attempts, cause, cause_ok)
    if end_state == "finished":
        good, why = lineage(records, since, data_sha, total)
        if not good:
            return Verdict("wrong result", False, why, attempts, cause, cause_ok)
        if kind.cause_required and cause_ok is False:
            return Verdict("finished, wrong cause", False, why, attempts, cause, cause_ok)
        return Verdict("finished correctly", kind.recoverable, why, attempts, cause, cause_ok)
    if not kind.recoverable:
        if causes is None:
            return Verdict("stopped", False, "gave up without naming a cause", attempts, cause, None)
        ok = bool(cause_ok) and attempts == 1
        why = "within one attempt" if attempts == 1 else f"after {attempts} attempts"
        return Verdict("stopped, right cause" if cause_ok else "stopped, wrong cause", ok, why, attempts, cause, cause_ok)
    return Verdict("stopped", False, "gave up on a recoverable fault", attempts, cause, cause_ok)
