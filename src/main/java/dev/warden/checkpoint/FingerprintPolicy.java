package dev.warden.checkpoint;

import com.fasterxml.jackson.databind.JsonNode;
import dev.warden.spec.CheckpointSpec;
import dev.warden.spec.Sizes;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Clock;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeSet;

/**
 * Before resuming: compares the run's dataset and config fingerprints with the newest seal that recorded
 * them, and applies on_dataset_change / on_config_change. Refuse wins over archive, archive over continue.
 * Archiving renames the old checkpoints into ROOT/archive/TIME/ (nothing is deleted) so the run starts
 * fresh, instead of a 4000-step checkpoint making a new 2487-step dataset "finish" at once.
 */
public final class FingerprintPolicy {
    private static final DateTimeFormatter STAMP = DateTimeFormatter.ofPattern("yyyyMMdd'T'HHmmss'Z'").withZone(ZoneOffset.UTC);

    private FingerprintPolicy() {}

    public static ResumeDecision apply(Path root, CheckpointSpec spec, Path specDir) {
        return apply(root, spec, specDir, FingerprintCache.inWardenHome(), Clock.systemUTC());
    }

    public static ResumeDecision apply(Path root, CheckpointSpec spec, Path specDir, FingerprintCache cache, Clock clock) {
        CheckpointSettings settings = CheckpointSettings.from(spec, root);
        Fingerprints current = Fingerprints.compute(spec, specDir, cache);
        if (current.dataset() == null && current.config() == null) {
            return new ResumeDecision.Resume(current, "no fingerprint configured; resuming without comparing dataset or config");
        }
        List<Checkpoint> all = Checkpoints.scan(root, settings, clock);
        SealRecord datasetSeal = null;
        SealRecord configSeal = null;
        for (int i = all.size() - 1; i >= 0 && (datasetSeal == null || configSeal == null); i--) {
            if (!all.get(i).sealed()) {
                continue;
            }
            SealRecord r;
            try {
                r = SealRecordJson.read(SealPaths.of(all.get(i).path()).record());
            } catch (IOException | RuntimeException e) {
                continue; // verify reports it; it cannot vouch for a fingerprint
            }
            if (datasetSeal == null && r.dataset() != null) {
                datasetSeal = r;
            }
            if (configSeal == null && r.config() != null) {
                configSeal = r;
            }
        }
        String datasetChange = current.dataset() == null || datasetSeal == null ? null
                : datasetChange(datasetSeal, current.dataset());
        String configChange = current.config() == null || configSeal == null ? null
                : configChange(configSeal, current.config());
        if (datasetChange == null && configChange == null) {
            if (datasetSeal == null && configSeal == null) {
                return new ResumeDecision.Resume(current, all.isEmpty() ? "no checkpoints yet"
                        : "no sealed checkpoint records a fingerprint; nothing to compare");
            }
            return new ResumeDecision.Resume(current, "dataset and config match the newest seal");
        }
        List<String> refusals = new ArrayList<>();
        boolean archive = false;
        if (configChange != null) {
            refusals.addAll(settings.onConfigChange() == CheckpointSettings.ChangePolicy.REFUSE ? List.of(configChange) : List.of());
            archive |= settings.onConfigChange() == CheckpointSettings.ChangePolicy.ARCHIVE;
        }
        if (datasetChange != null) {
            refusals.addAll(settings.onDatasetChange() == CheckpointSettings.ChangePolicy.REFUSE ? List.of(datasetChange) : List.of());
            archive |= settings.onDatasetChange() == CheckpointSettings.ChangePolicy.ARCHIVE;
        }
        String what = String.join("; ", nonNull(configChange, datasetChange));
        if (!refusals.isEmpty()) {
            return new ResumeDecision.Refused(current, "refusing to resume: " + String.join("; ", refusals)
                    + ". Restore the old values, or move the checkpoints in " + root + " aside to start fresh"
                    + " (or set checkpoints.on_config_change / on_dataset_change to archive or continue)");
        }
        if (archive) {
            Path dir = root.resolve("archive").resolve(STAMP.format(clock.instant()));
            return new ResumeDecision.Archived(current, dir, archive(root, settings.layout(), dir), what);
        }
        return new ResumeDecision.Resume(current, what + "; continuing because the spec says continue");
    }

    private static List<String> nonNull(String a, String b) {
        List<String> out = new ArrayList<>();
        if (a != null) out.add(a);
        if (b != null) out.add(b);
        return out;
    }

    private static String datasetChange(SealRecord seal, Fingerprints.Dataset now) {
        Fingerprints.Dataset old = seal.dataset();
        if (Objects.equals(old.value(), now.value())) {
            return null;
        }
        return "dataset changed since " + seal.checkpoint() + " was sealed: was " + describe(old) + ", now " + describe(now);
    }

    private static String describe(Fingerprints.Dataset d) {
        return d.files() + " file" + (d.files() == 1 ? "" : "s") + ", " + Sizes.format(d.bytes()) + ", fingerprint "
                + (d.value().length() > 12 ? d.value().substring(0, 12) : d.value());
    }

    private static String configChange(SealRecord seal, Fingerprints.Config now) {
        Fingerprints.Config old = seal.config();
        if (Objects.equals(old.value(), now.value())) {
            return null;
        }
        Map<String, Object> a = old.keys() == null ? Map.of() : old.keys();
        Map<String, Object> b = now.keys() == null ? Map.of() : now.keys();
        List<String> diffs = new ArrayList<>();
        for (String key : new TreeSet<>(union(a, b))) {
            String before = canonical(a, key);
            String after = canonical(b, key);
            if (!before.equals(after)) {
                diffs.add(key + " " + before + " -> " + after);
            }
        }
        if (diffs.isEmpty()) {
            diffs.add("fingerprint " + old.value().substring(0, 12) + " -> " + now.value().substring(0, 12));
        }
        return "config " + now.file() + " changed since " + seal.checkpoint() + " was sealed: " + String.join(", ", diffs);
    }

    private static java.util.Set<String> union(Map<String, Object> a, Map<String, Object> b) {
        java.util.Set<String> s = new TreeSet<>(a.keySet());
        s.addAll(b.keySet());
        return s;
    }

    private static String canonical(Map<String, Object> values, String key) {
        if (!values.containsKey(key)) {
            return "(not fingerprinted)";
        }
        JsonNode n = ConfigFingerprinter.canonical(SealJson.MAPPER.valueToTree(values.get(key)));
        return n.isNull() ? "(missing)" : n.toString();
    }

    /** A catch-all glob ("*") matches any numbered name: then only sealed entries are known to be checkpoints. */
    private static boolean isCheckpoint(Path p, Layout layout) {
        if (layout.candidate(p).isEmpty()) {
            return false;
        }
        boolean catchAll = layout.glob() != null && layout.glob().equals("*");
        return !catchAll || SealPaths.of(p).sealed()
                || (layout.kind() == Layout.Kind.TORCH_DCP && Files.exists(p.resolve(".metadata")));
    }

    /** Lightning's last.ckpt and NeMo's -last links point into the checkpoints: they move with them. */
    private static boolean linkIntoCheckpoints(Path p, Layout layout) {
        if (!Files.isSymbolicLink(p)) {
            return false;
        }
        try {
            Path target = Files.readSymbolicLink(p);
            Path resolved = p.resolveSibling(target).normalize();
            return p.getFileName().toString().contains("last")
                    || (resolved.getParent() != null && resolved.getParent().equals(p.getParent().normalize())
                        && layout.candidate(resolved).isPresent());
        } catch (IOException e) {
            return false;
        }
    }

    /** Moves every checkpoint of the layout, their seal files and the pointers into them ("latest", "last.ckpt"). */
    private static List<Path> archive(Path root, Layout layout, Path dir) {
        List<Path> moved = new ArrayList<>();
        try {
            Files.createDirectories(dir);
            List<Path> toMove = new ArrayList<>();
            try (DirectoryStream<Path> entries = Files.newDirectoryStream(root)) {
                for (Path p : entries) {
                    String n = p.getFileName().toString();
                    boolean pointer = n.equals("latest") || n.endsWith(Layout.NEMO_UNFINISHED)
                            || n.equals("latest_checkpointed_iteration.txt") || linkIntoCheckpoints(p, layout);
                    boolean ownSide = SealPaths.isOwnFile(n) && !n.startsWith(".");
                    if (isCheckpoint(p, layout) || pointer || ownSide) {
                        toMove.add(p);
                    }
                }
            }
            for (Path p : toMove) {
                Path target = dir.resolve(p.getFileName().toString());
                Files.move(p, target, StandardCopyOption.ATOMIC_MOVE);
                moved.add(target);
            }
            dev.warden.store.AtomicFiles.fsyncDirectory(root);
            return moved;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot archive old checkpoints into " + dir + " (moved " + moved.size()
                    + " so far, nothing deleted): " + e.getMessage(), e);
        }
    }
}
