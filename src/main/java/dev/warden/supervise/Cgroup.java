package dev.warden.supervise;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * A cgroup v2 per attempt, where Warden may create one (root, or a delegated subtree): every process the job
 * starts lands in it, setsid or double fork or not, and `cgroup.kill` ends them all. Absent elsewhere; process
 * groups and descendant tracking cover those hosts.
 */
public final class Cgroup {
    private final Path dir;

    private Cgroup(Path dir) {
        this.dir = dir;
    }

    public static Optional<Cgroup> create(String name) {
        if (System.getenv("WARDEN_NO_CGROUP") != null || Boolean.getBoolean("warden.noCgroup")) {
            return Optional.empty();
        }
        Optional<Path> root = v2Root();
        if (root.isEmpty()) {
            return Optional.empty();
        }
        try {
            Path parent = root.get().resolve("warden");
            Files.createDirectories(parent);
            Path d = parent.resolve(name);
            Files.createDirectories(d);
            if (!Files.exists(d.resolve("cgroup.kill")) || !Files.isWritable(d.resolve("cgroup.procs"))) {
                remove(d);
                return Optional.empty();
            }
            return Optional.of(new Cgroup(d));
        } catch (IOException | RuntimeException e) {
            return Optional.empty();
        }
    }

    /** A cgroup an earlier supervisor created (recorded in its attempt_started event), if it is still there. */
    public static Optional<Cgroup> existing(Path dir) {
        return Files.isDirectory(dir) && Files.exists(dir.resolve("cgroup.kill")) ? Optional.of(new Cgroup(dir)) : Optional.empty();
    }

    static Optional<Path> v2Root() {
        try {
            for (String line : Files.readAllLines(Path.of("/proc/self/mounts"))) {
                String[] f = line.split(" ");
                if (f.length > 2 && f[2].equals("cgroup2")) {
                    Path p = Path.of(f[1]);
                    if (Files.isWritable(p)) {
                        return Optional.of(p);
                    }
                }
            }
        } catch (IOException e) {
            // no mounts table: no cgroup
        }
        return Optional.empty();
    }

    public Path path() {
        return dir;
    }

    public List<Long> pids() {
        try {
            return Files.readAllLines(dir.resolve("cgroup.procs")).stream().filter(s -> !s.isBlank()).map(Long::parseLong).toList();
        } catch (IOException | RuntimeException e) {
            return List.of();
        }
    }

    public boolean kill() {
        try {
            Files.writeString(dir.resolve("cgroup.kill"), "1");
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    /** Removes the empty cgroup directory (rmdir: the kernel refuses while a process remains). */
    public void remove() {
        remove(dir);
    }

    private static final ExecutorService REMOVER = Executors.newSingleThreadExecutor(r -> {
        Thread t = new Thread(r, "warden-cgroup-rmdir");
        t.setDaemon(true);
        return t;
    });
    private static final Set<Future<?>> PENDING = ConcurrentHashMap.newKeySet();

    /**
     * {@link #remove} on a background thread: an rmdir waits for the kernel to tear the cgroup down (5-10 ms),
     * which would otherwise sit between a crash and the next attempt. {@link #awaitRemovals} before exiting.
     */
    public void removeInBackground() {
        Future<?>[] self = new Future<?>[1];
        synchronized (PENDING) {
            self[0] = REMOVER.submit(() -> {
                remove(dir);
                synchronized (PENDING) { // after the submitting thread has recorded it
                    PENDING.remove(self[0]);
                }
            });
            PENDING.add(self[0]);
        }
    }

    /** Waits (up to a few seconds) for the removals started in the background. */
    public static void awaitRemovals() {
        for (Future<?> f : List.copyOf(PENDING)) {
            try {
                f.get(5, TimeUnit.SECONDS);
            } catch (ExecutionException | TimeoutException e) {
                // left for `warden health --fix`
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
    }

    private static void remove(Path d) {
        try {
            Files.deleteIfExists(d);
        } catch (IOException ignored) {
            // still populated or already gone; health --fix reports leftovers
        }
    }
}
