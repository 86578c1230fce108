package dev.warden.supervise;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.LongSupplier;

/**
 * Every process of one attempt: its process group, the descendants of its leader (including those that called
 * setsid and left the group), orphans of those re-parented to this JVM as subreaper, and the cgroup's members.
 * Sampled while the job runs so that an escapee is known before it needs killing.
 */
public final class JobTree {
    /** Wrappers started by this JVM: never mistaken for adopted orphans of another attempt. */
    static final Set<Long> WRAPPERS = ConcurrentHashMap.newKeySet();
    private static final long SELF = ProcessHandle.current().pid();
    private static final long SELF_SESSION = ProcStat.of(SELF).map(ProcStat::session).orElse(-1L);

    private final long pgid;
    private final long startTicks;
    private final Optional<Cgroup> cgroup;
    private final Set<ProcId> known = ConcurrentHashMap.newKeySet();
    private final Set<Long> everSeen = ConcurrentHashMap.newKeySet();
    private volatile boolean idleKilled;

    public JobTree(long pgid, long startTicks, Optional<Cgroup> cgroup) {
        this.pgid = pgid;
        this.startTicks = startTicks;
        this.cgroup = cgroup;
    }

    Optional<Cgroup> cgroup() {
        return cgroup;
    }

    public long pgid() {
        return pgid;
    }

    /** Records every live process that belongs to the attempt; returns them. */
    public Set<ProcId> sample() {
        return sample(ProcStat.all());
    }

    private Set<ProcId> sample(List<ProcStat> all) {
        Map<Long, List<ProcStat>> children = new HashMap<>();
        for (ProcStat s : all) {
            children.computeIfAbsent(s.ppid(), k -> new ArrayList<>()).add(s);
        }
        Set<ProcId> found = new LinkedHashSet<>();
        Set<Long> roots = new HashSet<>();
        for (ProcStat s : all) {
            if (!s.alive()) {
                continue;
            }
            boolean adoptedOrphan = s.ppid() == SELF && !WRAPPERS.contains(s.pid()) && s.startTicks() >= startTicks
                    && s.session() != SELF_SESSION;
            if (s.pgrp() == pgid || adoptedOrphan || known.contains(ProcId.of(s))) {
                roots.add(s.pid());
            }
        }
        cgroup.ifPresent(c -> roots.addAll(c.pids()));
        Map<Long, ProcStat> byPid = new HashMap<>();
        all.forEach(s -> byPid.put(s.pid(), s));
        List<Long> queue = new ArrayList<>(roots);
        Set<Long> seen = new HashSet<>();
        while (!queue.isEmpty()) {
            long pid = queue.remove(queue.size() - 1);
            if (!seen.add(pid)) {
                continue;
            }
            ProcStat s = byPid.get(pid);
            if (s != null && s.alive()) {
                found.add(ProcId.of(s));
            }
            for (ProcStat c : children.getOrDefault(pid, List.of())) {
                queue.add(c.pid());
            }
        }
        known.addAll(found);
        found.forEach(id -> everSeen.add(id.pid()));
        known.removeIf(id -> !id.alive());
        return found;
    }

    /** Every pid that belonged to the attempt at some sample: what the post-run GPU check asks nvidia-smi about. */
    public Set<Long> everSeen() {
        return Set.copyOf(everSeen);
    }

    public boolean anyAlive() {
        return !sample().isEmpty();
    }

    /** Sends a signal to the group and to every escapee. */
    public void signal(int sig) {
        Set<ProcId> now = sample();
        Libc.kill(-pgid, sig);
        for (ProcId id : now) {
            ProcStat.of(id.pid()).filter(s -> s.startTicks() == id.startTicks() && s.pgrp() != pgid)
                    .ifPresent(s -> Libc.kill(s.pid(), sig));
        }
    }

    /**
     * TERM to everything, up to `grace` for it to leave, then KILL (and cgroup.kill). Returns what could not be
     * killed: processes stuck in uninterruptible sleep (D state) are a node problem, not something to wait on.
     */
    public StopResult stop(Duration grace) {
        return stop(grace, null, () -> 0L);
    }

    /**
     * {@link #stop(Duration)} for a job already judged hung: the grace is for a job that acts on SIGTERM (saves,
     * flushes), and such a job shows it, by CPU time, output or checkpoint writes ({@code outside}: any number
     * that changes when the job writes). A group that shows none of that for {@code idle} after SIGTERM is not
     * going to: it is killed without waiting out the rest of the grace.
     */
    public StopResult stop(Duration grace, Duration idle, LongSupplier outside) {
        idleKilled = false;
        List<ProcStat> all = ProcStat.all(); // one scan of /proc when the job is already gone: the usual crash
        Set<ProcId> before = sample(all);
        if (before.isEmpty()) {
            finish(all);
            return new StopResult(0, false, List.of());
        }
        signal(15);
        long deadline = System.nanoTime() + grace.toNanos();
        long lastSign = activity(before, outside);
        long lastChange = System.nanoTime();
        boolean gaveUp = false;
        while (System.nanoTime() < deadline) {
            pause(20);
            Set<ProcId> live = sample();
            if (live.isEmpty()) {
                break;
            }
            if (idle != null) {
                long sign = activity(live, outside);
                long now = System.nanoTime();
                if (sign != lastSign) {
                    lastSign = sign;
                    lastChange = now;
                } else if (now - lastChange >= idle.toNanos()) {
                    gaveUp = true;
                    break;
                }
            }
        }
        boolean killed = false;
        if (anyAlive()) {
            killed = true;
            idleKilled = gaveUp;
            signal(9);
            cgroup.ifPresent(Cgroup::kill);
            long killDeadline = System.nanoTime() + Duration.ofSeconds(3).toNanos();
            while (System.nanoTime() < killDeadline && anyAlive()) {
                pause(20);
            }
        }
        List<ProcStat> stuck = new ArrayList<>();
        for (ProcId id : sample()) {
            ProcStat.of(id.pid()).ifPresent(stuck::add);
        }
        finish(ProcStat.all());
        return new StopResult(before.size(), killed, stuck);
    }

    private long activity(Set<ProcId> members, LongSupplier outside) {
        long ticks = 0;
        for (ProcId id : members) {
            ticks += ProcStat.of(id.pid()).filter(p -> p.startTicks() == id.startTicks()).map(ProcStat::cpuTicks).orElse(0L);
        }
        return ticks * 31 + outside.getAsLong();
    }

    /** The last stop gave up on the grace because the hung group did nothing after SIGTERM. */
    public boolean idleKilled() {
        return idleKilled;
    }

    private void finish(List<ProcStat> all) {
        for (ProcStat s : all) {
            if (s.ppid() == SELF && !s.alive() && !WRAPPERS.contains(s.pid()) && s.session() != SELF_SESSION) {
                Libc.reap(s.pid());
            }
        }
        cgroup.ifPresent(Cgroup::removeInBackground);
    }

    private static void pause(long ms) {
        try {
            Thread.sleep(ms);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /**
     * @param processes how many were alive when the stop began
     * @param killed    SIGKILL was needed (the grace ran out)
     * @param stuck     still there after SIGKILL (D state: a node problem)
     */
    public record StopResult(int processes, boolean killed, List<ProcStat> stuck) {}
}
