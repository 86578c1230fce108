package dev.warden.supervise;

/**
 * A process identity that survives pid reuse. equals and hashCode are written out: a record's own are linked
 * through invokedynamic on first use, ~5 ms on the path from a job's exit to the next attempt (or to Warden's exit).
 */
public record ProcId(long pid, long startTicks) {
    public boolean alive() {
        return ProcStat.sameAlive(pid, startTicks);
    }

    static ProcId of(ProcStat s) {
        return new ProcId(s.pid(), s.startTicks());
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof ProcId p && p.pid == pid && p.startTicks == startTicks;
    }

    @Override
    public int hashCode() {
        return Long.hashCode(pid) * 31 + Long.hashCode(startTicks);
    }

    @Override
    public String toString() {
        return "ProcId[pid=" + pid + ", startTicks=" + startTicks + "]";
    }
}
