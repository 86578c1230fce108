package dev.warden.checkpoint;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Checks a checkpoint against its seal: the seal record first, then the manifest against the record (a
 * hand-edited manifest), then names (missing, extra), then sizes (cheap), then digests (files in parallel).
 * Every problem is reported, not just the first, unless {@link Options#failFast()} asks to stop before
 * hashing once something is already wrong.
 */
public final class Verifier {
    private Verifier() {}

    /** @param failFast skip hashing when the seal, names or sizes already show a problem */
    public record Options(int threads, Progress progress, boolean failFast) {
        public static Options defaults() {
            return new Options(ParallelHasher.defaultThreads(), Progress.NONE, false);
        }

        public Options withProgress(Progress p) {
            return new Options(threads, p, failFast);
        }

        public Options withFailFast(boolean f) {
            return new Options(threads, progress, f);
        }
    }

    public static VerifyReport verify(Path checkpoint) {
        return verify(checkpoint, Options.defaults());
    }

    public static VerifyReport verify(Path checkpoint, Options options) {
        long started = System.nanoTime();
        Sealer.requireCheckpoint(checkpoint);
        SealPaths where = SealPaths.of(checkpoint);
        List<Problem> problems = new ArrayList<>();
        if (!where.sealed()) {
            problems.add(new Problem.NotSealed(checkpoint.toString()));
            return report(checkpoint, null, problems, 0, started, "");
        }
        SealRecord seal;
        try {
            seal = SealRecordJson.read(where.record());
            validate(seal);
        } catch (IOException | RuntimeException e) {
            String msg = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage().lines().findFirst().orElse("");
            problems.add(new Problem.SealUnreadable(where.record().getFileName() + ": " + msg));
            return report(checkpoint, null, problems, 0, started, "");
        }
        Algorithm algorithm = seal.algorithmValue();
        checkManifest(where, seal, algorithm, problems);

        CheckpointFiles.Listing listing;
        try {
            listing = CheckpointFiles.list(checkpoint);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot list " + checkpoint + ": " + e.getMessage(), e);
        }
        problems.addAll(listing.problems());
        Map<String, CheckpointFiles.Entry> present = new LinkedHashMap<>();
        listing.files().forEach(e -> present.put(e.name(), e));
        Set<String> escaped = new HashSet<>();
        listing.problems().forEach(p -> {
            if (p instanceof Problem.LinkEscapes l) {
                escaped.add(l.file());
            }
        });

        List<CheckpointFiles.Entry> toHash = new ArrayList<>();
        Map<String, SealRecord.FileHash> sealed = new LinkedHashMap<>();
        for (SealRecord.FileHash f : seal.files()) {
            sealed.put(f.path(), f);
            CheckpointFiles.Entry e = present.get(f.path());
            if (e == null) {
                if (!escaped.contains(f.path())) {
                    problems.add(new Problem.Missing(f.path()));
                }
            }
        }
        for (CheckpointFiles.Entry e : listing.files()) {
            if (!sealed.containsKey(e.name())) {
                problems.add(new Problem.Extra(e.name(), e.size()));
            }
        }
        for (SealRecord.FileHash f : seal.files()) {
            CheckpointFiles.Entry e = present.get(f.path());
            if (e != null) {
                if (e.size() != f.size()) {
                    problems.add(new Problem.SizeMismatch(f.path(), f.size(), e.size()));
                } else {
                    toHash.add(e);
                }
            }
        }
        if (options.failFast() && !problems.isEmpty()) {
            return report(checkpoint, seal, problems, 0, started, "");
        }

        long bytes = toHash.stream().mapToLong(CheckpointFiles.Entry::size).sum();
        FileDigester digester = FileDigester.best(algorithm, bytes);
        options.progress().start("verifying " + checkpoint.getFileName(), bytes);
        Map<String, ParallelHasher.Outcome> outcomes;
        try {
            outcomes = ParallelHasher.hashEach(toHash, digester, options.threads(), options.progress());
        } finally {
            options.progress().finish();
        }
        for (CheckpointFiles.Entry e : toHash) {
            ParallelHasher.Outcome o = outcomes.get(e.name());
            SealRecord.FileHash f = sealed.get(e.name());
            if (o.error() != null) {
                if (o.error().getCause() instanceof NoSuchFileException) {
                    problems.add(new Problem.Missing(e.name()));
                } else {
                    Throwable why = o.error().getCause() != null ? o.error().getCause() : o.error();
                    problems.add(new Problem.Unreadable(e.name(), why.getClass().getSimpleName()
                            + (why.getMessage() == null ? "" : " " + why.getMessage())));
                }
            } else if (o.digest().bytes() != f.size()) {
                problems.add(new Problem.SizeMismatch(e.name(), f.size(), o.digest().bytes()));
            } else if (!o.digest().hex().equals(f.hash())) {
                problems.add(new Problem.HashMismatch(e.name(), f.hash(), o.digest().hex()));
            }
        }
        return report(checkpoint, seal, problems, bytes, started, digester.engine());
    }

    private static VerifyReport report(Path checkpoint, SealRecord seal, List<Problem> problems, long bytes, long started, String engine) {
        return new VerifyReport(checkpoint, seal, List.copyOf(problems), bytes, Duration.ofNanos(System.nanoTime() - started), engine);
    }

    private static void validate(SealRecord seal) {
        if (seal.files() == null || seal.algorithm() == null || seal.manifest() == null) {
            throw new IllegalArgumentException("it lacks files, algorithm or manifest");
        }
        seal.algorithmValue();
        if (!seal.manifest().equals(seal.algorithmValue().manifestName())
                && !seal.manifest().equals(seal.checkpoint() + "." + seal.algorithmValue().manifestName())) {
            throw new IllegalArgumentException("it names an unexpected manifest `" + Names.printable(seal.manifest()) + "`");
        }
        Set<String> names = new HashSet<>();
        for (SealRecord.FileHash f : seal.files()) {
            if (f == null || f.path() == null || f.hash() == null || !names.add(f.path())) {
                throw new IllegalArgumentException("its file list has an empty or repeated entry");
            }
        }
    }

    /** The manifest must say exactly what the record says; otherwise someone edited one of them. */
    private static void checkManifest(SealPaths where, SealRecord seal, Algorithm algorithm, List<Problem> problems) {
        Path manifest = where.manifest(algorithm);
        byte[] bytes;
        try {
            bytes = Files.readAllBytes(manifest);
        } catch (NoSuchFileException e) {
            problems.add(new Problem.ManifestEdited(manifest.getFileName() + " is missing"));
            return;
        } catch (IOException e) {
            problems.add(new Problem.ManifestEdited(manifest.getFileName() + " is unreadable (" + e.getClass().getSimpleName() + ")"));
            return;
        }
        String sha = SmallSha256.hex(bytes);
        if (sha.equals(seal.manifestSha256())) {
            return;
        }
        Manifest.Parsed parsed = Manifest.parse(algorithm, new String(bytes, StandardCharsets.UTF_8));
        int before = problems.size();
        parsed.badLines().forEach(l -> problems.add(new Problem.ManifestEdited("unreadable " + l)));
        Map<String, String> listed = new LinkedHashMap<>(parsed.entries());
        for (SealRecord.FileHash f : seal.files()) {
            String hex = listed.remove(f.path());
            if (hex == null) {
                problems.add(new Problem.ManifestEdited(Names.printable(f.path()) + " is no longer listed"));
            } else if (!hex.equals(f.hash())) {
                problems.add(new Problem.ManifestEdited(Names.printable(f.path()) + " has a different digest in the manifest than in the seal"));
            }
        }
        listed.keySet().forEach(n -> problems.add(new Problem.ManifestEdited(Names.printable(n) + " is listed but was not sealed")));
        if (problems.size() == before) {
            problems.add(new Problem.ManifestEdited(manifest.getFileName() + " was rewritten (its entries still agree with the seal)"));
        }
    }
}
