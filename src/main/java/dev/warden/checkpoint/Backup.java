package dev.warden.checkpoint;

import dev.warden.UserError;
import dev.warden.store.AtomicFiles;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.channels.FileChannel;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.Comparator;
import java.util.UUID;
import java.util.stream.Stream;

/**
 * Copies a sealed checkpoint and verifies the copy against the seal before it gets its final name.
 * The source is only read. The copy is built under a hidden temporary name next to the destination and
 * renamed into place only once it verifies, so DEST never holds a half or unverified copy.
 */
public final class Backup {
    private Backup() {}

    public record Result(Path copy, VerifyReport report) {}

    /**
     * @param dest an existing directory (the copy goes inside it) or the path a directory checkpoint's copy should
     *             have; a file checkpoint always goes inside dest (created if needed)
     */
    public static Result copy(Path checkpoint, Path dest, Progress progress) {
        Sealer.requireCheckpoint(checkpoint);
        SealPaths seal = SealPaths.of(checkpoint);
        if (!seal.sealed()) {
            throw new UserError(checkpoint + " is not sealed, so a copy could not be verified; seal it first: warden ckpt seal "
                    + checkpoint);
        }
        String name = checkpoint.getFileName().toString();
        boolean dir = Files.isDirectory(checkpoint, LinkOption.NOFOLLOW_LINKS);
        // a file checkpoint keeps its name: its manifest and seal list the file by name
        Path target = Files.isDirectory(dest) || !dir ? dest.resolve(name) : dest;
        if (Files.exists(target, LinkOption.NOFOLLOW_LINKS)) {
            throw new UserError(target + " already exists; choose another destination (backup never overwrites)");
        }
        if (target.toAbsolutePath().normalize().startsWith(checkpoint.toAbsolutePath().normalize())) {
            throw new UserError("destination " + dest + " is inside the checkpoint " + checkpoint + "; choose a place outside it");
        }
        Path parent = target.toAbsolutePath().getParent();
        Path staging = parent.resolve(".warden-backup-" + UUID.randomUUID().toString().substring(0, 8));
        try {
            Files.createDirectories(parent);
            Files.createDirectory(staging);
            Path staged = staging.resolve(name);
            if (dir) {
                copyTree(checkpoint, staged);
            } else {
                copyFile(checkpoint, staged);
                SealPaths to = SealPaths.of(staged);
                for (Algorithm a : Algorithm.values()) {
                    if (Files.exists(seal.manifest(a))) {
                        copyFile(seal.manifest(a), to.manifest(a));
                    }
                }
                copyFile(seal.record(), to.record());
            }
            VerifyReport report = Verifier.verify(staged, Verifier.Options.defaults().withProgress(progress));
            if (!report.ok()) {
                throw new UserError("the copy of " + checkpoint + " does not match its seal (" + report.summary()
                        + "); nothing was kept at " + target + ". Check the source: warden ckpt verify " + checkpoint, 74);
            }
            if (dir) {
                Files.move(staged, target, StandardCopyOption.ATOMIC_MOVE);
            } else {
                SealPaths from = SealPaths.of(staged);
                SealPaths to = SealPaths.of(target);
                Files.move(staged, target, StandardCopyOption.ATOMIC_MOVE);
                for (Algorithm a : Algorithm.values()) {
                    if (Files.exists(from.manifest(a))) {
                        Files.move(from.manifest(a), to.manifest(a), StandardCopyOption.ATOMIC_MOVE);
                    }
                }
                Files.move(from.record(), to.record(), StandardCopyOption.ATOMIC_MOVE); // the seal last: its commit point
            }
            AtomicFiles.fsyncDirectory(parent);
            return new Result(target, report);
        } catch (IOException e) {
            throw new UncheckedIOException("backup of " + checkpoint + " to " + target + " failed (" + e.getClass().getSimpleName()
                    + " " + e.getMessage() + "); the source is untouched and nothing was left at " + target, e);
        } finally {
            deleteQuietly(staging);
        }
    }

    private static void copyTree(Path from, Path to) throws IOException {
        Files.walkFileTree(from, new SimpleFileVisitor<>() {
            @Override
            public FileVisitResult preVisitDirectory(Path dir, BasicFileAttributes attrs) throws IOException {
                Files.createDirectory(to.resolve(from.relativize(dir).toString()));
                return FileVisitResult.CONTINUE;
            }

            @Override
            public FileVisitResult visitFile(Path file, BasicFileAttributes attrs) throws IOException {
                Path target = to.resolve(from.relativize(file).toString());
                if (attrs.isSymbolicLink()) {
                    Files.createSymbolicLink(target, Files.readSymbolicLink(file)); // verify refuses it if it leaves the tree
                } else {
                    copyFile(file, target);
                }
                return FileVisitResult.CONTINUE;
            }

            @Override
            public FileVisitResult postVisitDirectory(Path dir, IOException e) throws IOException {
                if (e != null) {
                    throw e;
                }
                AtomicFiles.fsyncDirectory(to.resolve(from.relativize(dir).toString()));
                return FileVisitResult.CONTINUE;
            }
        });
    }

    private static void copyFile(Path from, Path to) throws IOException {
        Files.copy(from, to, StandardCopyOption.COPY_ATTRIBUTES, LinkOption.NOFOLLOW_LINKS);
        try (FileChannel ch = FileChannel.open(to, StandardOpenOption.WRITE)) {
            ch.force(true);
        }
    }

    /** Removes our own staging directory (never anything of the user's). */
    static void deleteQuietly(Path dir) {
        if (!Files.exists(dir, LinkOption.NOFOLLOW_LINKS)) {
            return;
        }
        try (Stream<Path> s = Files.walk(dir)) {
            s.sorted(Comparator.reverseOrder()).forEach(p -> {
                try {
                    Files.deleteIfExists(p);
                } catch (IOException e) {
                    // left for the user to see; it is hidden and named .warden-backup-*
                }
            });
        } catch (IOException e) {
            // same
        }
    }
}
