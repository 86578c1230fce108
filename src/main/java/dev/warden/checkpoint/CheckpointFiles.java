package dev.warden.checkpoint;

import java.io.IOException;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * The files that make up a checkpoint: every regular file under the directory (or the one file), named
 * relative to it with '/', sorted, without Warden's own seal files. Symbolic links are followed only when
 * they stay inside the checkpoint; a link that leaves it, or dangles, is reported and never read.
 */
final class CheckpointFiles {
    private CheckpointFiles() {}

    /** @param name relative name with '/' separators; @param path where to read it */
    record Entry(String name, Path path, long size, long mtimeMillis) {}

    record Listing(Path checkpoint, boolean singleFile, List<Entry> files, List<Problem> problems) {
        long totalBytes() {
            return files.stream().mapToLong(Entry::size).sum();
        }

        long newestMtimeMillis() {
            return files.stream().mapToLong(Entry::mtimeMillis).max().orElse(0);
        }
    }

    static Listing list(Path checkpoint) throws IOException {
        BasicFileAttributes top = Files.readAttributes(checkpoint, BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
        if (top.isRegularFile()) {
            Entry e = new Entry(checkpoint.getFileName().toString(), checkpoint, top.size(), top.lastModifiedTime().toMillis());
            return new Listing(checkpoint, true, List.of(e), List.of());
        }
        if (!top.isDirectory()) {
            throw new IOException(checkpoint + " is neither a directory nor a regular file");
        }
        Path realRoot = checkpoint.toRealPath();
        List<Entry> files = new ArrayList<>();
        List<Problem> problems = new ArrayList<>();
        Files.walkFileTree(checkpoint, new SimpleFileVisitor<>() {
            @Override
            public FileVisitResult visitFile(Path file, BasicFileAttributes attrs) {
                String name = relativeName(checkpoint, file);
                if (file.getParent().equals(checkpoint) && SealPaths.isOwnFile(name)) {
                    return FileVisitResult.CONTINUE;
                }
                if (attrs.isSymbolicLink()) {
                    link(file, name, realRoot, files, problems);
                } else if (attrs.isRegularFile()) {
                    files.add(new Entry(name, file, attrs.size(), attrs.lastModifiedTime().toMillis()));
                } else {
                    problems.add(new Problem.Unreadable(name, "not a regular file"));
                }
                return FileVisitResult.CONTINUE;
            }

            @Override
            public FileVisitResult visitFileFailed(Path file, IOException e) {
                if (!(e instanceof NoSuchFileException)) { // deleted while we walked: the caller sees it missing
                    problems.add(new Problem.Unreadable(relativeName(checkpoint, file), e.getClass().getSimpleName()));
                }
                return FileVisitResult.CONTINUE;
            }
        });
        files.sort(Comparator.comparing(Entry::name));
        return new Listing(checkpoint, false, List.copyOf(files), List.copyOf(problems));
    }

    private static void link(Path file, String name, Path realRoot, List<Entry> files, List<Problem> problems) {
        String target;
        try {
            target = Files.readSymbolicLink(file).toString();
        } catch (IOException e) {
            problems.add(new Problem.Unreadable(name, "cannot read link"));
            return;
        }
        Path real;
        try {
            real = file.toRealPath();
        } catch (IOException e) {
            problems.add(new Problem.LinkEscapes(name, target + " (dangling)"));
            return;
        }
        if (!real.startsWith(realRoot)) {
            problems.add(new Problem.LinkEscapes(name, target));
            return;
        }
        try {
            BasicFileAttributes a = Files.readAttributes(real, BasicFileAttributes.class);
            if (a.isRegularFile()) {
                files.add(new Entry(name, file, a.size(), a.lastModifiedTime().toMillis()));
            }
            // a link to a directory inside the checkpoint adds nothing: its files are listed where they are
        } catch (IOException e) {
            problems.add(new Problem.Unreadable(name, e.getClass().getSimpleName()));
        }
    }

    private static String relativeName(Path root, Path file) {
        Path rel = root.relativize(file);
        StringBuilder b = new StringBuilder();
        for (Path part : rel) {
            if (b.length() > 0) {
                b.append('/');
            }
            b.append(part.toString());
        }
        return b.toString();
    }
}
