package dev.warden.check;

import dev.warden.spec.Sizes;

import java.io.IOException;
import java.nio.file.FileStore;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * disk: free space at a path (default: the workdir). `- disk: /data` or
 * `- disk: {path: /data, min_free: 20GiB}`. FAIL below min_free (default 10GiB), WARN below 1.5x it.
 * A path that does not exist yet (a checkpoint directory) is measured at its nearest existing parent.
 */
final class DiskCheck implements Check {
    static final long DEFAULT_MIN_FREE = 10L << 30;

    private final String path;
    private final long minFree;

    private DiskCheck(String path, long minFree) {
        this.path = path;
        this.minFree = minFree;
    }

    static Check create(CheckArgs a) {
        a.allow("path", "min_free");
        return new DiskCheck(a.main("path"), a.size("min_free", DEFAULT_MIN_FREE));
    }

    @Override
    public CheckResult run(CheckContext ctx) throws IOException {
        Path target = path == null ? ctx.workdir() : ctx.resolve(path);
        Path existing = target;
        while (existing != null && !Files.exists(existing)) {
            existing = existing.getParent();
        }
        if (existing == null) {
            return CheckResult.fail("no part of " + target + " exists", "fix `path` of the disk check");
        }
        FileStore store = Files.getFileStore(existing);
        long free = store.getUsableSpace();
        String at = existing.equals(target) ? target.toString() : target + " (measured at " + existing + ")";
        String evidence = Sizes.format(free) + " free at " + at + " (min " + Sizes.format(minFree) + ")";
        if (free < minFree) {
            return CheckResult.fail(evidence, "free space on " + existing + " (old checkpoints, caches: `du -sh "
                    + existing + "/* | sort -h`), or lower `min_free`");
        }
        if (free < minFree + minFree / 2) {
            return CheckResult.warn(evidence, "little headroom above min_free: checkpoints may fill it during the run;"
                    + " free space on " + existing);
        }
        return CheckResult.pass(evidence);
    }
}
