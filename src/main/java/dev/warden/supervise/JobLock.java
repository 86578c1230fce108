package dev.warden.supervise;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.warden.UserError;
import dev.warden.store.AtomicFiles;
import dev.warden.store.WardenHome;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Optional;

/**
 * One supervisor per job name on a machine. The kernel's lock (flock) is released when its holder dies, so a
 * stale lock never blocks; the owner file (pid + process start time + run id) names who holds a live one.
 */
public final class JobLock implements AutoCloseable {
    private static final ObjectMapper JSON = new ObjectMapper();
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
                Optional<JsonNode> o = readOwner(ownerFile);
                String who = o.map(n -> "pid " + n.path("pid").asLong() + " (run " + n.path("run").asText() + ")").orElse("another process");
                throw new UserError("job `" + name + "` is already supervised by " + who + "; watch it with `warden ps`, stop it with `warden stop "
                        + o.map(n -> n.path("run").asText()).orElse(name) + "`, or give this one another `name`", UserError.CONFIG);
            }
            String note = readOwner(ownerFile)
                    .filter(n -> !n.path("released").asBoolean(false))
                    .filter(n -> !ProcStat.sameAlive(n.path("pid").asLong(), n.path("start").asLong()))
                    .map(n -> "the previous supervisor of `" + name + "` (pid " + n.path("pid").asLong() + ", run " + n.path("run").asText()
                            + ") is gone; took over its lock")
                    .orElse(null);
            long self = ProcessHandle.current().pid();
            AtomicFiles.writeString(ownerFile, JSON.createObjectNode().put("pid", self)
                    .put("start", ProcStat.of(self).map(ProcStat::startTicks).orElse(0L)).put("run", runId).toString());
            return new Acquired(new JobLock(ch, l, ownerFile), note);
        } catch (IOException e) {
            throw new UserError("cannot lock job `" + name + "` in " + dir + " (" + e.getMessage() + "); check WARDEN_HOME permissions", UserError.CONFIG);
        }
    }

    static Optional<JsonNode> readOwner(Path ownerFile) {
        try {
            return Optional.of(JSON.readTree(Files.readString(ownerFile)));
        } catch (IOException | RuntimeException e) {
            return Optional.empty();
        }
    }

    public record Acquired(JobLock lock, String takeoverNote) {}

    @Override
    public void close() {
        readOwner(owner).ifPresent(n -> AtomicFiles.writeString(owner, ((com.fasterxml.jackson.databind.node.ObjectNode) n)
                .put("released", true).toString()));
        try {
            lock.release();
            channel.close();
        } catch (IOException ignored) {
            // the kernel drops it at exit anyway
        }
    }
}
