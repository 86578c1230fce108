package dev.warden.checkpoint;

import dev.warden.UserError;
import dev.warden.store.AtomicFiles;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * Seals a checkpoint: hashes every file (in parallel), writes the manifest, then the seal record. Both go
 * through AtomicFiles and the record is written last: it is the commit point. An old record is removed
 * first, so a kill -9 or a full disk at any moment leaves either no seal or a whole one, never a seal that
 * describes other content.
 */
public final class Sealer {
    private Sealer() {}

    /** Phases, for tests that kill a sealing process at a chosen point and for progress output. */
    public interface Listener {
        Listener NONE = phase -> {};

        /** "listed", "hashed", "manifest-written", "sealed" */
        void phase(String phase);
    }

    /**
     * @param step     the step to record; null = read it from the name
     * @param threads  hashing workers
     * @param progress bytes hashed so far
     */
    public record Options(Long step, int threads, Progress progress, Listener listener, Clock clock) {
        public static Options defaults() {
            return new Options(null, ParallelHasher.defaultThreads(), Progress.NONE, Listener.NONE, Clock.systemUTC());
        }

        public Options withStep(Long s) {
            return new Options(s, threads, progress, listener, clock);
        }

        public Options withThreads(int n) {
            return new Options(step, Math.max(1, n), progress, listener, clock);
        }

        public Options withProgress(Progress p) {
            return new Options(step, threads, p, listener, clock);
        }

        public Options withListener(Listener l) {
            return new Options(step, threads, progress, l, clock);
        }
    }

    public static SealRecord seal(Path checkpoint, Algorithm algorithm, Fingerprints fingerprints) {
        return seal(checkpoint, algorithm, fingerprints, Options.defaults());
    }

    public static SealRecord seal(Path checkpoint, Algorithm algorithm, Fingerprints fingerprints, Options options) {
        requireCheckpoint(checkpoint);
        SealPaths where = SealPaths.of(checkpoint);
        CheckpointFiles.Listing listing = listing(checkpoint);
        if (!listing.problems().isEmpty()) {
            throw new UserError("cannot seal " + checkpoint + ": " + listing.problems().get(0).describe()
                    + (listing.problems().size() > 1 ? " (and " + (listing.problems().size() - 1) + " more)" : "")
                    + "; remove the link or copy its target into the checkpoint", UserError.CONFIG);
        }
        if (listing.files().isEmpty()) {
            throw new UserError("cannot seal " + checkpoint + ": it has no files; point at a checkpoint directory with data in it",
                    UserError.CONFIG);
        }
        options.listener().phase("listed");

        long total = listing.totalBytes();
        FileDigester digester = FileDigester.best(algorithm, total);
        Map<String, FileDigester.FileDigest> digests;
        options.progress().start("sealing " + checkpoint.getFileName(), total);
        try {
            digests = ParallelHasher.hash(listing.files(), digester, options.threads(), options.progress());
        } catch (IOException e) {
            throw new UncheckedIOException("cannot seal " + checkpoint + ": " + e.getMessage(), e);
        } finally {
            options.progress().finish();
        }
        requireUnchanged(checkpoint, listing, digests);
        options.listener().phase("hashed");

        List<SealRecord.FileHash> files = new ArrayList<>();
        for (CheckpointFiles.Entry e : listing.files()) {
            files.add(new SealRecord.FileHash(e.name(), e.size(), digests.get(e.name()).hex()));
        }
        String manifest = Manifest.format(algorithm, files);
        byte[] manifestBytes = manifest.getBytes(StandardCharsets.UTF_8);

        try {
            Files.deleteIfExists(where.record()); // un-seal first: from here until the commit there is no seal
        } catch (IOException e) {
            throw new UncheckedIOException("cannot replace the old seal " + where.record() + ": " + e.getMessage(), e);
        }
        write(checkpoint, () -> AtomicFiles.write(where.manifest(algorithm), manifestBytes));
        options.listener().phase("manifest-written");

        String name = checkpoint.getFileName().toString();
        long step = options.step() != null ? options.step() : Steps.fromName(name);
        SealRecord record = new SealRecord(SealRecord.FORMAT, name, step < 0 ? null : step, algorithm.id(),
                where.manifest(algorithm).getFileName().toString(),
                SmallSha256.hex(manifestBytes),
                List.copyOf(files), total, fingerprints.dataset(), fingerprints.config(),
                options.clock().instant(), WardenVersion.VALUE);
        write(checkpoint, () -> AtomicFiles.writeString(where.record(), SealRecordJson.write(record)));
        options.listener().phase("sealed");
        cleanUp(where, algorithm);
        return record;
    }

    /** A full disk or a read-only checkpoint directory: say that nothing was sealed and what to do. */
    private static void write(Path checkpoint, Runnable write) {
        try {
            write.run();
        } catch (UncheckedIOException e) {
            throw new UncheckedIOException(e.getMessage() + "; " + checkpoint + " was left unsealed (its data is untouched):"
                    + " free space or fix permissions, then run warden ckpt seal " + checkpoint + " again", e.getCause());
        }
    }

    static void requireCheckpoint(Path checkpoint) {
        if (!Files.exists(checkpoint, LinkOption.NOFOLLOW_LINKS)) {
            throw new UserError("checkpoint " + checkpoint + " does not exist; check the path (warden ckpt list ROOT shows them)");
        }
        if (Files.isSymbolicLink(checkpoint)) {
            String target;
            try {
                target = checkpoint.toRealPath().toString();
            } catch (IOException e) {
                target = "a path that does not exist";
            }
            throw new UserError(checkpoint + " is a symbolic link (to " + target + "); name the checkpoint itself, not the link");
        }
    }

    private static CheckpointFiles.Listing listing(Path checkpoint) {
        try {
            return CheckpointFiles.list(checkpoint);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot list " + checkpoint + ": " + e.getMessage(), e);
        }
    }

    /** A file that changed while it was hashed would make a seal that never verifies: refuse it instead. */
    private static void requireUnchanged(Path checkpoint, CheckpointFiles.Listing before, Map<String, FileDigester.FileDigest> digests) {
        CheckpointFiles.Listing after = listing(checkpoint);
        List<String> changed = new ArrayList<>();
        Map<String, CheckpointFiles.Entry> now = after.files().stream()
                .collect(Collectors.toMap(CheckpointFiles.Entry::name, e -> e));
        for (CheckpointFiles.Entry e : before.files()) {
            CheckpointFiles.Entry n = now.remove(e.name());
            if (n == null || n.size() != e.size() || n.mtimeMillis() != e.mtimeMillis() || digests.get(e.name()).bytes() != e.size()) {
                changed.add(e.name());
            }
        }
        changed.addAll(now.keySet());
        if (!changed.isEmpty()) {
            throw new UserError(checkpoint + " is still being written (" + Names.printable(changed.get(0))
                    + (changed.size() > 1 ? " and " + (changed.size() - 1) + " more" : "")
                    + " changed while sealing); seal it once the trainer has finished saving it", 75);
        }
    }

    /** After the commit: drop the watcher's in-progress marker, the other algorithm's stale manifest, temp files. */
    private static void cleanUp(SealPaths where, Algorithm used) {
        try {
            Files.deleteIfExists(where.unfinished());
        } catch (IOException e) {
            // a stale marker is ignored once the data is newer than it
        }
        for (Algorithm a : Algorithm.values()) {
            if (a != used) {
                try {
                    Files.deleteIfExists(where.manifest(a));
                } catch (IOException e) {
                    // harmless: verify reads the manifest the record names
                }
            }
        }
        String start = "." + where.prefix() + "warden.";
        DirectoryStream.Filter<Path> temps = p -> {
            String n = p.getFileName().toString();
            return n.startsWith(start) && n.endsWith(".tmp");
        };
        try (DirectoryStream<Path> ds = Files.newDirectoryStream(where.directory(), temps)) {
            for (Path p : ds) {
                Files.deleteIfExists(p);
            }
        } catch (IOException e) {
            // leftovers stay; they are never read as checkpoint content
        }
    }
}
