package dev.warden.checkpoint;

import dev.warden.spec.CheckpointSpec;
import dev.warden.spec.Sizes;

import java.io.IOException;
import java.nio.file.FileStore;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.List;
import java.util.Locale;

/**
 * Before a run: the checkpoint filesystem must have room for the next checkpoints, i.e. free space of at
 * least factor x the newest checkpoint's size. With no checkpoint yet there is nothing to measure: ok.
 */
public final class DiskGuard {
    private DiskGuard() {}

    /**
     * @param newest       the checkpoint measured, or null when there is none
     * @param newestBytes  its size
     * @param neededBytes  factor x newestBytes
     * @param freeBytes    usable space on the filesystem that holds root
     */
    public record Result(boolean ok, long freeBytes, long neededBytes, long newestBytes, Path newest, double factor, String message) {}

    /** Measures the newest checkpoint of the layout detected in root. */
    public static Result check(Path root, double factor) {
        return check(root, CheckpointSettings.from(null, root).layout(), factor);
    }

    public static Result check(Path root, CheckpointSpec spec) {
        CheckpointSettings s = CheckpointSettings.from(spec, root);
        return check(root, s.layout(), s.diskFactor());
    }

    static Result check(Path root, Layout layout, double factor) {
        long free = usableSpace(root);
        CheckpointSettings settings = new CheckpointSettings(layout, Algorithm.SHA256, false,
                CheckpointSettings.DEFAULT_SETTLE, CheckpointSettings.ChangePolicy.ARCHIVE, CheckpointSettings.ChangePolicy.REFUSE, factor);
        List<Checkpoint> all = Checkpoints.scan(root, settings, Clock.systemUTC());
        if (all.isEmpty()) {
            return new Result(true, free, 0, 0, null, factor,
                    "no checkpoint in " + root + " yet; " + Sizes.format(free) + " free");
        }
        Checkpoint newest = all.get(all.size() - 1);
        long size;
        try {
            size = CheckpointFiles.list(newest.path()).totalBytes();
        } catch (IOException e) {
            size = 0;
        }
        long needed = (long) Math.ceil(size * factor);
        boolean ok = free >= needed;
        String f = String.format(Locale.ROOT, "%.3g", factor).replaceAll("\\.?0+$", "");
        String msg = ok
                ? Sizes.format(free) + " free on the checkpoint filesystem, " + f + "x the newest checkpoint ("
                  + newest.name() + ", " + Sizes.format(size) + ") is " + Sizes.format(needed)
                : "only " + Sizes.format(free) + " free on the checkpoint filesystem of " + root + "; need " + Sizes.format(needed)
                  + " (" + f + "x the newest checkpoint " + newest.name() + ", " + Sizes.format(size)
                  + "); free space or move old checkpoints elsewhere (warden ckpt prune, warden ckpt backup)";
        return new Result(ok, free, needed, size, newest.path(), factor, msg);
    }

    /** Usable space of the filesystem root is on (or would be on: its nearest existing parent). */
    static long usableSpace(Path root) {
        Path p = root.toAbsolutePath();
        while (p != null && !Files.exists(p)) {
            p = p.getParent();
        }
        if (p == null) {
            return 0;
        }
        try {
            FileStore store = Files.getFileStore(p);
            return store.getUsableSpace();
        } catch (IOException e) {
            throw new java.io.UncheckedIOException("cannot read free space of " + p + ": " + e.getMessage(), e);
        }
    }
}
