package dev.warden.supervise;

/** A process identity that survives pid reuse. */
public record ProcId(long pid, long startTicks) {
    public boolean alive() {
        return ProcStat.sameAlive(pid, startTicks);
    }

    static ProcId of(ProcStat s) {
        return new ProcId(s.pid(), s.startTicks());
    }
}
