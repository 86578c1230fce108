"""Lost time, ETTR and the oracle from the campaign's raw results; the tables and the JSON."""
import json


def ettr_table(results, bare, stall_s):
    """Adds fault-free time, lost time, ETTR and the oracle to every result (dicts, in place); returns the oracle rows
    (per kind) and the per-system summary."""
    ff = {}
    for r in results:
        if r["kind"].calibration or r["kind"].key == "none":
            if r["ok"]:
                ff[(r["system"], r["kind"].key)] = r["wall_s"]
    oracle = {}
    for r in results:
        k = r["kind"]
        b = bare[r["oracle_ref"]]
        if k.key not in oracle:
            lost = k.unavoidable(b["start_s"], b["step_s"], stall_s)
            if lost is None:  # deterministic: the oracle stops after one start; no ETTR
                oracle[k.key] = {"kind": k.key, "wall_s": b["start_s"], "lost_s": None, "ettr": None}
            else:
                oracle[k.key] = {"kind": k.key, "wall_s": b["wall_s"] + lost, "lost_s": lost,
                                 "ettr": b["wall_s"] / (b["wall_s"] + lost)}
        base = ff.get((r["system"], r["ref"]))
        r["fault_free_s"] = base
        r["lost_s"] = None if base is None or r["outcome"] == "skipped" or not k.recoverable else r["wall_s"] - base
        if k.recoverable and r["outcome"] != "skipped" and base is not None:
            r["ettr"] = base / r["wall_s"] if r["ok"] else 0.0
            # the measure: this system's ETTR (its own fault-free time over its wall) over the oracle's
            o_ettr = oracle[k.key]["ettr"]
            r["ettr_ratio"] = r["ettr"] / o_ettr if r["ok"] and o_ettr else 0.0
            # against the physical limit: the oracle's wall over this system's, both built on the bare trainer, so
            # a system's own start-up overhead counts against it (its own-ETTR would hide that)
            r["ettr_vs_oracle"] = oracle[k.key]["wall_s"] / r["wall_s"] if r["ok"] else 0.0
            # recovery only: the oracle given this system's own fault-free overhead (JVM start, polling)
            overhead = base - bare[r["ref"]]["wall_s"]
            r["recovery_vs_oracle"] = (oracle[k.key]["wall_s"] + overhead) / r["wall_s"] if r["ok"] else 0.0
        else:
            r["ettr"] = r["ettr_ratio"] = r["ettr_vs_oracle"] = r["recovery_vs_oracle"] = None
    summary = {}
    for r in results:
        if r["kind"].calibration or r["outcome"] == "skipped":
            continue
        s = summary.setdefault(r["system"], {"kinds": 0, "correct": 0, "timed_out": 0, "left_behind": 0,
                                             "useful_s": 0.0, "wall_s": 0.0, "ettr_at_least_0_9_oracle": 0, "at_least_0_9_oracle": 0,
                                             "recovery_at_least_0_9_oracle": 0, "recoverable": 0})
        s["kinds"] += 1
        s["correct"] += 1 if r["ok"] else 0
        s["timed_out"] += 1 if r["outcome"] == "timed out" else 0
        s["left_behind"] += r["left_behind"]
        if r["kind"].recoverable and r["kind"].key != "none" and r["ettr"] is not None:
            s["recoverable"] += 1
            s["useful_s"] += r["fault_free_s"] if r["ok"] else 0.0
            s["wall_s"] += r["wall_s"]
            if r["ettr_ratio"] is not None and r["ettr_ratio"] >= 0.9:
                s["ettr_at_least_0_9_oracle"] += 1
            if r["ettr_vs_oracle"] is not None and r["ettr_vs_oracle"] >= 0.9:
                s["at_least_0_9_oracle"] += 1
            if r["recovery_vs_oracle"] is not None and r["recovery_vs_oracle"] >= 0.9:
                s["recovery_at_least_0_9_oracle"] += 1
    o_use = o_wall = 0.0
    for r in results:
        k = r["kind"]
        if k.recoverable and k.key != "none" and not k.calibration and r["system"] == results[0]["system"]:
            o_use += bare[r["oracle_ref"]]["wall_s"]
            o_wall += oracle[k.key]["wall_s"]
    for s in summary.values():
        s["ettr"] = s["useful_s"] / s["wall_s"] if s["wall_s"] else None
    summary["oracle"] = {"ettr": o_use / o_wall if o_wall else None}
    return oracle, summary


def _f(v, fmt="{:.1f}"):
    return "-" if v is None else fmt.format(v)


def render(results, oracle, summary, header):
    lines = [header, ""]
    cols = f"{'kind':<36} {'system':<12} {'outcome':<24} {'cause':<22} {'wall s':>7} {'lost s':>7} {'att':>4} {'left':>4} {'ETTR':>5} {'÷orc':>5} {'/orcl':>5}  note"
    lines += [cols, "-" * len(cols)]
    seen = set()
    for r in results:
        k = r["kind"]
        if k.key not in seen:
            label = f"{k.id:>2} {k.key}" if not k.calibration else f"   {k.key} (reference)"
            seen.add(k.key)
            o = oracle[k.key]
            if not k.calibration:
                what = "stop in 1 attempt" if not k.recoverable else ""
                lines.append(f"{label:<36} {'oracle':<12} {what:<24} {'':<22} {_f(o['wall_s']):>7} {_f(o['lost_s']):>7} {'':>4} {'':>4} {_f(o['ettr'], '{:.2f}'):>5} {'':>5} {'':>5}")
                label = ""
        if r["outcome"] == "skipped":
            lines.append(f"{label:<36} {r['system']:<12} {'skipped':<24} {'':<22} {'':>7} {'':>7} {'':>4} {'':>4} {'':>5} {'':>5} {'':>5}  {r['detail']}")
            label = ""
            continue
        mark = "✓ " if r["ok"] else "✗ "
        cause = r["cause"] + ("" if r["cause_ok"] is None else (" ✓" if r["cause_ok"] else " ✗"))
        lines.append(f"{label:<36} {r['system']:<12} {mark + r['outcome']:<24} {cause[:22]:<22} {r['wall_s']:>7.1f} {_f(r['lost_s']):>7} "
                     f"{r['attempts']:>4} {r['left_behind']:>4} {_f(r['ettr'], '{:.2f}'):>5} {_f(r['ettr_ratio'], '{:.2f}'):>5} {_f(r['ettr_vs_oracle'], '{:.2f}'):>5}  {r['detail'][:90]}")
        label = ""
    lines += ["", "kinds at 0.9 of the oracle: ÷orc = ETTR over the oracle's ETTR, each from its own fault-free time (the "
                  "issue's goal); /orcl = oracle wall over system wall (start-up charged); recovery only = /orcl with the "
                  "oracle given the system's fault-free overhead",
              f"{'system':<12} {'correct':>9} {'timed out':>9} {'left behind':>11} {'ETTR (recoverable kinds)':>25} "
              f"{'÷orc >= 0.9':>12} {'/orcl >= 0.9':>13} {'(recovery only)':>16}"]
    for name, s in summary.items():
        if name == "oracle":
            continue
        lines.append(f"{name:<12} {s['correct']:>4} / {s['kinds']:<2} {s['timed_out']:>9} {s['left_behind']:>11} {_f(s['ettr'], '{:.2f}'):>25} "
                     f"{s['ettr_at_least_0_9_oracle']:>7} / {s['recoverable']:<2} {s['at_least_0_9_oracle']:>8} / {s['recoverable']:<2} "
                     f"{s['recovery_at_least_0_9_oracle']:>11} / {s['recoverable']:<2}")
    lines.append(f"{'oracle':<12} {'':>9} {'':>9} {'':>11} {_f(summary['oracle']['ettr'], '{:.2f}'):>25}")
    return "\n".join(lines)


def to_json(results, oracle, summary, meta):
    rows = []
    for r in results:
        row = {k: v for k, v in r.items() if k != "kind"}
        row["kind"] = r["kind"].key
        row["kind_id"] = r["kind"].id
        row["recoverable"] = r["kind"].recoverable
        row["reference_run"] = r["kind"].calibration
        rows.append(row)
    return json.dumps({"meta": meta, "results": rows, "oracle": oracle, "summary": summary}, indent=2, default=str)
