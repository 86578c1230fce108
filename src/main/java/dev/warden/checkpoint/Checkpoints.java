package dev.warden.checkpoint;

import dev.warden.spec.CheckpointSpec;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Clock;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.function.Consumer;

/** Finding checkpoints under a root and choosing the one to resume from. */
public final class Checkpoints {
    /** Quarantined checkpoints are renamed NAME.corrupt-YYYYMMDDTHHMMSSZ: never matched again, never deleted. */
    public static final String QUARANTINE_MARK = ".corrupt-";
    private static final DateTimeFormatter STAMP = DateTimeFormatter.ofPattern("yyyyMMdd'T'HHmmss'Z'").withZone(ZoneOffset.UTC);

    private Checkpoints() {}

    /** The checkpoint directory of a spec: `dir` resolved against the spec file's directory. */
    public static Path root(CheckpointSpec spec, Path specDir) {
        if (spec == null || spec.dir() == null || spec.dir().isBlank()) {
            throw new dev.warden.UserError("checkpoints.dir is not set; name the directory your trainer saves checkpoints in"
                    + " (e.g. dir: output/)", dev.warden.UserError.CONFIG);
        }
        return specDir.resolve(spec.dir()).normalize();
    }

    /** Every checkpoint of the spec's layout under root, oldest step first (newest last); empty if root does not exist. */
    public static List<Checkpoint> scan(Path root, CheckpointSpec spec) {
        return scan(root, CheckpointSettings.from(spec, root), Clock.systemUTC());
    }

    public static List<Checkpoint> scan(Path root, CheckpointSettings settings, Clock clock) {
        return scan(root, settings, clock, true);
    }

    /** @param honourUnfinished false only for the watcher, whose own warden.unfinished markers mean "I am watching" */
    static List<Checkpoint> scan(Path root, CheckpointSettings settings, Clock clock, boolean honourUnfinished) {
        return scan(root, settings, clock, honourUnfinished, p -> true);
    }

    /** @param judge which candidates to judge (the watcher skips those it already handled); the rest are left out */
    static List<Checkpoint> scan(Path root, CheckpointSettings settings, Clock clock, boolean honourUnfinished,
                                 java.util.function.Predicate<Path> judge) {
        if (!Files.isDirectory(root)) {
            return List.of();
        }
        Layout layout = settings.layout();
        record Found(long step, Path path) {}
        List<Found> found = new ArrayList<>();
        boolean anyCommit = false;
        try (DirectoryStream<Path> entries = Files.newDirectoryStream(root)) {
            for (Path p : entries) {
                OptionalLong step = layout.candidate(p);
                if (step.isPresent()) {
                    found.add(new Found(step.getAsLong(), p));
                    anyCommit |= layout.kind() == Layout.Kind.ORBAX && Files.exists(p.resolve(Layout.ORBAX_COMMIT));
                }
            }
        } catch (IOException e) {
            throw new java.io.UncheckedIOException("cannot list checkpoint directory " + root + ": " + e.getMessage(), e);
        }
        Layout.Context ctx = new Layout.Context(clock, settings.settle(), settings.grace(), anyCommit, honourUnfinished);
        List<Checkpoint> out = new ArrayList<>();
        for (Found f : found) {
            if (judge.test(f.path())) {
                Completeness c = layout.completeness(f.path(), ctx);
                out.add(new Checkpoint(f.step(), f.path(), c.complete(), layout.id(), c.why(), SealPaths.of(f.path()).sealed(), c.quiet()));
            }
        }
        out.sort(Comparator.comparingLong(Checkpoint::step).thenComparing(Checkpoint::name));
        return List.copyOf(out);
    }

    /**
     * The newest complete checkpoint whose seal verifies. A sealed one that fails verification is quarantined
     * (renamed aside) and reported to onQuarantine; the next older one is tried. Complete but unsealed
     * checkpoints are sealed on the fly when the spec has seal: auto, trusted when it has seal: off.
     */
    public static Optional<Checkpoint> latestValid(Path root, CheckpointSpec spec, Consumer<Quarantined> onQuarantine) {
        CheckpointSettings settings = CheckpointSettings.from(spec, root);
        return latestValid(root, settings, settings.autoSeal() ? UnsealedPolicy.SEAL : UnsealedPolicy.TRUST,
                true, Clock.systemUTC(), onQuarantine);
    }

    /**
     * @param quarantine false to only report a corrupt checkpoint (onQuarantine gets quarantinedAs == null)
     */
    public static Optional<Checkpoint> latestValid(Path root, CheckpointSettings settings, UnsealedPolicy unsealed,
                                                   boolean quarantine, Clock clock, Consumer<Quarantined> onQuarantine) {
        List<Checkpoint> all = new ArrayList<>(scan(root, settings, clock));
        for (int i = all.size() - 1; i >= 0; i--) {
            Checkpoint c = all.get(i);
            if (!c.quiet()) {
                continue; // being written right now: neither resumed from nor touched
            }
            if (c.sealed()) { // sealed once whole: verification decides, even if a marker has gone missing since
                VerifyReport r;
                try {
                    r = Verifier.verify(c.path(), Verifier.Options.defaults().withFailFast(true));
                } catch (RuntimeException e) { // unreadable directory, vanished meanwhile: not proven corrupt, not usable
                    r = new VerifyReport(c.path(), null, List.of(new Problem.Unreadable(c.name(), String.valueOf(e.getMessage()))),
                            0, java.time.Duration.ZERO, "");
                    onQuarantine.accept(new Quarantined(c, null, r, "not moved: it could not be read"));
                    continue;
                }
                if (r.ok()) {
                    return Optional.of(c);
                }
                onQuarantine.accept(quarantine ? quarantine(c, r, clock) : new Quarantined(c, null, r, "not moved (report only)"));
                continue;
            }
            if (!c.complete()) {
                continue; // never whole (a save cut off by a crash): not resumed from, not touched
            }
            switch (unsealed) {
                case SEAL -> {
                    try {
                        Sealer.seal(c.path(), settings.algorithm(), Fingerprints.NONE, Sealer.Options.defaults().withStep(c.step()));
                        return Optional.of(c.asSealed());
                    } catch (dev.warden.UserError e) {
                        // changed while sealing, or a link leaving it: not a checkpoint to resume from
                    }
                }
                case TRUST -> {
                    return Optional.of(c);
                }
                case SKIP -> { }
            }
        }
        return Optional.empty();
    }

    /** Renames a checkpoint (and, for a file checkpoint, its seal files) to NAME.corrupt-TIME. */
    public static Quarantined quarantine(Checkpoint c, VerifyReport report, Clock clock) {
        Path from = c.path();
        String base = c.name() + QUARANTINE_MARK + STAMP.format(clock.instant());
        Path to = from.resolveSibling(base);
        for (int n = 2; Files.exists(to, LinkOption.NOFOLLOW_LINKS); n++) {
            to = from.resolveSibling(base + "-" + n);
        }
        try {
            SealPaths oldSeal = SealPaths.of(from);
            boolean file = !Files.isDirectory(from, LinkOption.NOFOLLOW_LINKS);
            Files.move(from, to, StandardCopyOption.ATOMIC_MOVE);
            if (file) {
                SealPaths newSeal = new SealPaths(to, oldSeal.directory(), to.getFileName() + ".");
                for (Algorithm a : Algorithm.values()) {
                    moveIfExists(oldSeal.manifest(a), newSeal.manifest(a));
                }
                moveIfExists(oldSeal.record(), newSeal.record());
            }
            return new Quarantined(c, to, report, null);
        } catch (IOException e) {
            return new Quarantined(c, null, report, e.getClass().getSimpleName() + (e.getMessage() == null ? "" : " " + e.getMessage()));
        }
    }

    private static void moveIfExists(Path from, Path to) throws IOException {
        if (Files.exists(from, LinkOption.NOFOLLOW_LINKS)) {
            Files.move(from, to, StandardCopyOption.ATOMIC_MOVE);
        }
    }
}
