package dev.warden.check;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.PathMatcher;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

/**
 * files: inputs the job reads. `- files: [train.py, data/train.jsonl, "data/shards/*.arrow"]`.
 * FAIL when one is missing or unreadable (a glob must match at least one file); WARN when one is
 * empty (a 0-byte file or an empty directory). Relative paths are relative to the workdir.
 */
final class FilesCheck implements Check {
    private final List<String> paths;

    private FilesCheck(List<String> paths) {
        this.paths = paths;
    }

    static Check create(CheckArgs a) {
        a.allow("paths");
        return new FilesCheck(a.requireList("paths", "[train.py, data/train.jsonl]"));
    }

    @Override
    public CheckResult run(CheckContext ctx) throws IOException {
        List<String> missing = new ArrayList<>();
        List<String> unreadable = new ArrayList<>();
        List<String> empty = new ArrayList<>();
        int found = 0;
        for (String p : paths) {
            List<Path> matches = isGlob(p) ? glob(ctx, p) : List.of(ctx.resolve(p));
            if (matches.isEmpty() || !Files.exists(matches.get(0))) {
                missing.add(p);
                continue;
            }
            for (Path m : matches) {
                found++;
                if (!Files.isReadable(m)) {
                    unreadable.add(p);
                } else if (Files.isDirectory(m) ? isEmptyDir(m) : Files.size(m) == 0) {
                    empty.add(p);
                }
            }
        }
        if (!missing.isEmpty() || !unreadable.isEmpty()) {
            List<String> parts = new ArrayList<>();
            if (!missing.isEmpty()) {
                parts.add("missing: " + String.join(", ", missing));
            }
            if (!unreadable.isEmpty()) {
                parts.add("unreadable: " + String.join(", ", unreadable));
            }
            return CheckResult.fail(String.join("; ", parts),
                    "copy or generate them before the run (relative paths are from " + ctx.workdir() + ")"
                            + (unreadable.isEmpty() ? "" : "; fix permissions (`chmod a+r`)"));
        }
        if (!empty.isEmpty()) {
            return CheckResult.warn("empty: " + String.join(", ", empty), "check that the data was written completely");
        }
        return CheckResult.pass(found + (found == 1 ? " file" : " files") + " present and readable: "
                + String.join(", ", paths));
    }

    static boolean isGlob(String p) {
        return p.contains("*") || p.contains("?") || p.contains("[");
    }

    private static List<Path> glob(CheckContext ctx, String pattern) throws IOException {
        Path full = ctx.resolve(pattern);
        Path base = full;
        while (base != null && isGlob(base.toString())) {
            base = base.getParent();
        }
        if (base == null || !Files.isDirectory(base)) {
            return List.of();
        }
        PathMatcher m = FileSystems.getDefault().getPathMatcher("glob:" + full);
        try (Stream<Path> s = Files.walk(base, 8)) {
            return s.filter(m::matches).sorted().toList();
        }
    }

    private static boolean isEmptyDir(Path dir) throws IOException {
        try (DirectoryStream<Path> s = Files.newDirectoryStream(dir)) {
            return !s.iterator().hasNext();
        }
    }
}
