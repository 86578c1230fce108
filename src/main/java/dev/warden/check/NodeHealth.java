package dev.warden.check;

import dev.warden.supervise.ProcStat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.warden.gpu.GpuExclusions;
import dev.warden.gpu.ToolRunner;
import dev.warden.store.WardenHome;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * `warden health`: this node's disk, memory, GPUs, kernel-log GPU errors, GPU exclusions, and
 * Warden's own litter: lock files whose process is dead, and `.*.tmp` files left by an interrupted
 * atomic write. {@link #fix} repairs only those two (nothing of the user's is touched).
 */
public final class NodeHealth {
    /** A temp file younger than this may belong to a write in progress. */
    static final Duration TEMP_MIN_AGE = Duration.ofMinutes(10);
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Pattern FIRST_NUMBER = Pattern.compile("\\b(\\d{1,10})\\b");

    private NodeHealth() {}

    public static PreflightReport check(WardenHome home, ToolRunner tools) {
        PreflightInput in = new PreflightInput(home.root().toFile().exists() ? home.root() : Path.of("/"),
                List.of(), List.of(), 0, 0, 0, null, java.util.Set.of());
        CheckRegistry r = CheckRegistry.builtIn();
        List<CheckItem> items = List.of(
                r.create(new CheckArgs(-1, "disk", Map.of("path", "/", "min_free", "5GiB")), "disk:/"),
                r.create(new CheckArgs(-1, "disk", Map.of("path", home.root().toString(), "min_free", "1GiB")), "disk:warden_home"),
                r.create(new CheckArgs(-1, "memory", null), "memory"),
                r.create(new CheckArgs(-1, "gpu", null), "gpu"),
                r.create(new CheckArgs(-1, "gpu_errors", null), "gpu_errors"),
                new CheckItem("exclusions", "exclusions", Duration.ofSeconds(5), NodeHealth::exclusions),
                new CheckItem("stale_locks", "stale_locks", Duration.ofSeconds(5), ctx -> staleLocks(ctx.home())),
                new CheckItem("temp_files", "temp_files", Duration.ofSeconds(10), ctx -> tempFiles(ctx.home(), Instant.now())));
        long start = System.nanoTime();
        List<CheckResult> results = CheckRunner.run(items, new CheckContext(in, tools, home));
        return new PreflightReport(results, Duration.ofNanos(System.nanoTime() - start));
    }

    private static CheckResult exclusions(CheckContext ctx) {
        List<GpuExclusions.Exclusion> list = ctx.exclusions().list();
        if (list.isEmpty()) {
            return CheckResult.pass("no GPU excluded");
        }
        List<String> parts = new ArrayList<>();
        for (GpuExclusions.Exclusion e : list) {
            parts.add("GPU " + e.gpu() + (e.reason() == null || e.reason().isBlank() ? "" : " (" + e.reason() + ")"));
        }
        return CheckResult.pass("excluded from runs: " + String.join(", ", parts));
    }

    /** A lock file in WARDEN_HOME/locks whose recorded process is gone, with the reason. */
    record StaleLock(Path file, long pid, String why) {}

    static List<StaleLock> staleLockFiles(WardenHome home) throws IOException {
        List<StaleLock> out = new ArrayList<>();
        if (!Files.isDirectory(home.locks())) {
            return out;
        }
        try (Stream<Path> s = Files.list(home.locks())) {
            for (Path f : s.filter(Files::isRegularFile).sorted().toList()) {
                String text = Files.readString(f).strip();
                Long pid = null;
                Long start = null;
                if (text.startsWith("{")) {
                    try {
                        JsonNode n = JSON.readTree(text);
                        if (n.path("released").asBoolean(false)) {
                            continue; // a supervisor that ended cleanly: a record, not a lock
                        }
                        pid = n.hasNonNull("pid") ? n.get("pid").asLong() : null;
                        // warden run writes locks/<job>.owner.json {pid, start (ticks), run}; the lock itself is a flock
                        JsonNode st = n.hasNonNull("start") ? n.get("start") : n.hasNonNull("start_time") ? n.get("start_time") : n.get("starttime");
                        start = st != null && st.canConvertToLong() ? st.asLong() : null;
                    } catch (IOException e) {
                        continue; // not a lock format we know: leave it alone
                    }
                } else {
                    Matcher m = FIRST_NUMBER.matcher(text);
                    pid = m.find() ? Long.parseLong(m.group(1)) : null;
                }
                if (pid == null) {
                    continue;
                }
                Optional<String> why = dead(pid, start);
                if (why.isPresent()) {
                    out.add(new StaleLock(f, pid, why.get()));
                }
            }
        }
        return out;
    }

    /** Why the process is not the lock's owner any more, or empty while it still is. */
    static Optional<String> dead(long pid, Long startTicks) {
        Optional<ProcStat> stat = ProcStat.of(pid);
        if (stat.isEmpty()) {
            return Optional.of("PID " + pid + " is not running");
        }
        if (!stat.get().alive()) {
            return Optional.of("PID " + pid + " is a zombie");
        }
        if (startTicks != null && stat.get().startTicks() != startTicks) {
            return Optional.of("PID " + pid + " now belongs to another process");
        }
        return Optional.empty();
    }

    private static CheckResult staleLocks(WardenHome home) throws IOException {
        List<StaleLock> stale = staleLockFiles(home);
        if (stale.isEmpty()) {
            return CheckResult.pass("no stale lock in " + home.locks());
        }
        return CheckResult.warn(stale.size() + " stale lock file(s): " + stale.get(0).file().getFileName() + " ("
                + stale.get(0).why() + ")" + (stale.size() > 1 ? " (+" + (stale.size() - 1) + " more)" : ""),
                "`warden health --fix` removes them");
    }

    static List<Path> leftoverTempFiles(WardenHome home, Instant now) throws IOException {
        if (!Files.isDirectory(home.root())) {
            return List.of();
        }
        try (Stream<Path> s = Files.walk(home.root(), 6)) {
            return s.filter(Files::isRegularFile)
                    .filter(p -> {
                        String n = p.getFileName().toString();
                        return n.startsWith(".") && n.endsWith(".tmp");
                    })
                    .filter(p -> {
                        try {
                            return Files.getLastModifiedTime(p).toInstant().isBefore(now.minus(TEMP_MIN_AGE));
                        } catch (IOException e) {
                            return false;
                        }
                    })
                    .sorted().toList();
        }
    }

    private static CheckResult tempFiles(WardenHome home, Instant now) throws IOException {
        List<Path> left = leftoverTempFiles(home, now);
        if (left.isEmpty()) {
            return CheckResult.pass("no leftover temp files in " + home.root());
        }
        return CheckResult.warn(left.size() + " leftover temp file(s) from interrupted writes, e.g. "
                + home.root().relativize(left.get(0)), "`warden health --fix` removes them");
    }

    /** Removes stale locks and old leftover temp files; returns one line per thing done. */
    public static List<String> fix(WardenHome home, Instant now) throws IOException {
        List<String> done = new ArrayList<>();
        for (StaleLock l : staleLockFiles(home)) {
            if (Files.deleteIfExists(l.file())) {
                done.add("removed stale lock " + home.root().relativize(l.file()) + " (" + l.why() + ")");
            }
        }
        for (Path p : leftoverTempFiles(home, now)) {
            if (Files.deleteIfExists(p)) {
                done.add("removed leftover temp file " + home.root().relativize(p));
            }
        }
        return done;
    }
}
