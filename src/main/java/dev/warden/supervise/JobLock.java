package dev.warden.supervise;

import dev.warden.UserError;
import dev.warden.event.PlainJson;
import dev.warden.store.AtomicFiles;
import dev.warden.store.WardenHome;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * One supervisor per job name on a machine. The kernel's lock (flock) is released when its holder dies, so a
 * stale lock never blocks; the owner file (pid + process start time + run id) names who holds a live one.
 */
public final class JobLock implements AutoCloseable {
    private final FileChannel channel;
    private final FileLock lock;
    private final Path owner;

    private JobLock(FileChannel channel, FileLock lock, Path owner) {
        this.channel = channel;
        this.lock = lock;
        this.owner = owner;
    }

    /** @return the lock, and a note when a dead supervisor's lock was taken over */
    public static Acquired acquire(WardenHome home, String name, String runId) {
        Path dir = home.locks();
        Path lockFile = dir.resolve(name + ".lock");
        Path ownerFile = dir.resolve(name + ".owner.json");
        try {
            Files.createDirectories(dir);
            FileChannel ch = FileChannel.open(lockFile, StandardOpenOption.CREATE, StandardOpenOption.WRITE);
            FileLock l;
            try {
                l = ch.tryLock();
            } catch (OverlappingFileLockException e) {
                l = null;
            }
            if (l == null) {
                ch.close();
                Optional<Map<String, Object>> o = readOwner(ownerFile);
                String who = o.map(n -> "pid " + PlainJson.whole(n.get("pid")) + " (run " + PlainJson.text(n.get("run")) + ")").orElse("another process");
                throw new UserError("job `" + name + "` is already supervised by " + who + "; watch it with `warden ps`, stop it with `warden stop "
                        + o.map(n -> PlainJson.text(n.get("run"))).orElse(name) + "`, or give this one another `name`", UserError.CONFIG);
            }
            String note = readOwner(ownerFile)
                    .filter(n -> !Boolean.TRUE.equals(n.get("released")))
                    .filter(n -> !ProcStat.sameAlive(PlainJson.whole(n.get("pid")), PlainJson.whole(n.get("start"))))
                    .map(n -> "the previous supervisor of `" + name + "` (pid " + PlainJson.whole(n.get("pid")) + ", run " + PlainJson.text(n.get("run"))
                            + ") is gone; took over its lock")
                    .orElse(null);
            long self = ProcessHandle.current().pid();
            Map<String, Object> owner = new LinkedHashMap<>();
            owner.put("pid", self);
            owner.put("start", ProcStat.of(self).map(ProcStat::startTicks).orElse(0L));
            owner.put("run", runId);
            AtomicFiles.writeString(ownerFile, PlainJson.write(owner).orElseThrow());
            return new Acquired(new JobLock(ch, l, ownerFile), note);
        } catch (IOException e) {
            throw new UserError("cannot lock job `" + name + "` in " + dir + " (" + e.getMessage() + "); check WARDEN_HOME permissions", UserError.CONFIG);
        }
    }

    static Optional<Map<String, Object>> readOwner(Path ownerFile) {
        try {
            return PlainJson.readObject(Files.readString(ownerFile));
        } catch (IOException | RuntimeException e) {
            return Optional.empty();
        }
    }

    public record Acquired(JobLock lock, String takeoverNote) {}

    @Override
    public void close() {
        readOwner(owner).ifPresent(n -> {
            n.put("released", true);
            PlainJson.write(n).ifPresent(json -> AtomicFiles.writeString(owner, json));
        });
        try {
            lock.release();
            channel.close();
        } catch (IOException ignored) {
            // the kernel drops it at exit anyway
        }
    }
}
