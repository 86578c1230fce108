"""Self-tests of the campaign's judge: the ledger, not a system's exit code, decides an outcome.
Run: python3 -m unittest discover -s bench/faults -p 'test_*.py'"""
import unittest

from judge import judge, lineage
from kinds import KINDS

SHA, OTHER = "a" * 16, "b" * 16
NONE = next(k for k in KINDS if k.key == "none")
MISSING = next(k for k in KINDS if k.key == "missing_module")
RANK = next(k for k in KINDS if k.key == "rank_kill")


def segment(seg, t, first, last, glob=32, sha=SHA, resume=None, finite=lambda step: True, end="finished", ckpt_every=4):
    """Ledger lines of one trainer process that trains steps first..last (1-based) of a global batch `glob`."""
    recs = [{"ev": "launch", "t": t}]
    resume_seg, resume_samples = resume or (None, None)
    recs.append({"ev": "start", "t": t + 0.1, "seg": seg, "data_sha": sha, "resume_from": "ck" if resume else None,
                 "resume_seg": resume_seg, "resume_samples": resume_samples})
    for i, step in enumerate(range(first, last + 1)):
        recs.append({"ev": "step", "t": t + 0.2 + i * 0.01, "seg": seg, "step": step, "s0": (step - 1) * glob,
                     "s1": step * glob, "finite": finite(step)})
        if step % ckpt_every == 0:
            recs.append({"ev": "ckpt", "t": t + 0.2 + i * 0.01, "seg": seg, "step": step, "samples": step * glob})
    if end:
        recs.append({"ev": "end", "t": t + 1, "seg": seg, "status": end, "samples": last * glob})
    return recs


class LineageTest(unittest.TestCase):
    def test_a_clean_run_is_correct(self):
        ok, why = lineage(segment("s1", 0, 1, 16), 0, SHA, 16 * 32)
        self.assertTrue(ok, why)

    def test_a_crash_resumed_from_the_last_checkpoint_is_correct_and_the_lost_steps_do_not_count(self):
        recs = segment("s1", 0, 1, 10, end=None) + segment("s2", 5, 9, 16, resume=("s1", 8 * 32))
        ok, why = lineage(recs, 0, SHA, 16 * 32)
        self.assertTrue(ok, why)
        self.assertIn("1 resume", why)

    def test_nan_steps_kept_in_the_history_make_a_wrong_result(self):
        ok, why = lineage(segment("s1", 0, 1, 16, finite=lambda s: s < 7), 0, SHA, 16 * 32)
        self.assertFalse(ok)
        self.assertIn("NaN", why)

    def test_a_restart_from_before_the_nan_clears_it(self):
        recs = segment("s1", 0, 1, 10, finite=lambda s: s < 7, end=None) + segment("s2", 5, 5, 16, resume=("s1", 4 * 32))
        ok, why = lineage(recs, 0, SHA, 16 * 32)
        self.assertTrue(ok, why)

    def test_resuming_past_the_end_of_a_new_shorter_dataset_trains_nothing_and_is_wrong(self):
        recs = segment("old", 0, 1, 32, sha=OTHER) + [
            {"ev": "launch", "t": 10}, {"ev": "start", "t": 10.1, "seg": "new", "data_sha": SHA, "resume_from": "ck",
                                        "resume_seg": "old", "resume_samples": 32 * 32},
            {"ev": "end", "t": 10.2, "seg": "new", "status": "finished", "samples": 32 * 32}]
        ok, why = lineage(recs, 10, SHA, 16 * 32)
        self.assertFalse(ok)
        self.assertIn("0 of 512 intended samples", why)

    def test_skipped_samples_are_a_wrong_result(self):
        recs = segment("s1", 0, 1, 8, end=None) + segment("s2", 5, 13, 16, resume=("s1", 12 * 32))
        ok, why = lineage(recs, 0, SHA, 16 * 32)
        self.assertFalse(ok)
        self.assertIn("skipped", why)

    def test_a_run_that_never_finished_is_not_correct(self):
        ok, why = lineage(segment("s1", 0, 1, 8, end=None), 0, SHA, 16 * 32)
        self.assertFalse(ok)


class JudgeTest(unittest.TestCase):
    def test_success_claimed_by_the_system_is_checked_against_the_ledger(self):
        v = judge(NONE, "finished", segment("s1", 0, 1, 8), 0, SHA, 16 * 32, None)
        self.assertEqual("wrong result", v.outcome)

    def test_a_deterministic_fault_is_correct_only_when_stopped_in_one_attempt_with_its_cause(self):
        one = [{"ev": "launch", "t": 1}]
        self.assertTrue(judge(MISSING, "stopped", one, 0, SHA, 512, ["missing_dependency"]).ok)
        self.assertFalse(judge(MISSING, "stopped", one * 3, 0, SHA, 512, ["missing_dependency"] * 3).ok)
        self.assertFalse(judge(MISSING, "stopped", one, 0, SHA, 512, ["unknown"]).ok)
        self.assertFalse(judge(MISSING, "stopped", one, 0, SHA, 512, None).ok)
        self.assertFalse(judge(MISSING, "timed_out", one * 9, 0, SHA, 512, None).ok)

    def test_the_root_cause_of_a_killed_rank_must_be_named_first(self):
        recs = segment("s1", 0, 1, 10, end=None) + segment("s2", 5, 9, 16, resume=("s1", 8 * 32))
        self.assertTrue(judge(RANK, "finished", recs, 0, SHA, 512, ["killed"]).ok)
        wrong = judge(RANK, "finished", recs, 0, SHA, 512, ["network", "killed"])
        self.assertFalse(wrong.ok)
        self.assertEqual("finished, wrong cause", wrong.outcome)
        self.assertTrue(judge(RANK, "finished", recs, 0, SHA, 512, None).ok)  # a system that names no causes


if __name__ == "__main__":
    unittest.main()
