package dev.warden.checkpoint;

import dev.warden.UserError;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * Dataset fingerprint: each named path (a file or a directory tree) contributes the relative names, sizes
 * and XXH3-128 digests of its files. The spec's path strings themselves are not part of it: moving a
 * dataset without changing it keeps its fingerprint.
 */
final class DatasetFingerprinter {
    private DatasetFingerprinter() {}

    static Fingerprints.Dataset compute(List<String> paths, Path specDir, FingerprintCache cache) {
        List<CheckpointFiles.Entry> all = new ArrayList<>();
        List<List<CheckpointFiles.Entry>> perPath = new ArrayList<>();
        for (String p : paths) {
            Path path = specDir.resolve(p).normalize();
            if (!Files.exists(path)) {
                throw new UserError("dataset path `" + p + "` in checkpoints.fingerprint.dataset does not exist (looked at "
                        + path + "); fix the path or remove it from the list", UserError.CONFIG);
            }
            try {
                CheckpointFiles.Listing l = CheckpointFiles.list(path.toRealPath());
                if (!l.problems().isEmpty()) {
                    throw new UserError("dataset path `" + p + "`: " + l.problems().get(0).describe()
                            + "; fix it so the dataset can be fingerprinted", UserError.CONFIG);
                }
                List<CheckpointFiles.Entry> files = l.singleFile()
                        ? List.of(new CheckpointFiles.Entry("", l.files().get(0).path(), l.files().get(0).size(), l.files().get(0).mtimeMillis()))
                        : l.files();
                perPath.add(files);
                all.addAll(files);
            } catch (IOException e) {
                throw new UncheckedIOException("cannot list dataset path " + path + ": " + e.getMessage(), e);
            }
        }
        Map<String, String> digests = digests(all, cache);
        MessageDigest sha = JavaDigesters.sha256();
        long bytes = 0;
        for (int i = 0; i < perPath.size(); i++) {
            sha.update(("path " + i + "\n").getBytes(StandardCharsets.UTF_8));
            for (CheckpointFiles.Entry e : perPath.get(i)) {
                String line = e.name() + '\0' + e.size() + '\0' + digests.get(key(e)) + '\n';
                sha.update(line.getBytes(StandardCharsets.UTF_8));
                bytes += e.size();
            }
        }
        return new Fingerprints.Dataset(HexFormat.of().formatHex(sha.digest()), all.size(), bytes, List.copyOf(paths));
    }

    private static String key(CheckpointFiles.Entry e) {
        return e.path().toString();
    }

    /** Digest of every file, from the cache where (size, mtime, inode) still match, else read. */
    private static Map<String, String> digests(List<CheckpointFiles.Entry> files, FingerprintCache cache) {
        Map<String, String> out = new java.util.HashMap<>();
        List<CheckpointFiles.Entry> toRead = new ArrayList<>();
        Map<String, FingerprintCache.Entry> stamps = new java.util.HashMap<>();
        try {
            for (CheckpointFiles.Entry e : files) {
                BasicFileAttributes a = Files.readAttributes(e.path(), BasicFileAttributes.class);
                long mtime = a.lastModifiedTime().to(TimeUnit.NANOSECONDS);
                String fileKey = a.fileKey() == null ? null : a.fileKey().toString();
                String cached = cache.lookup(key(e), a.size(), mtime, fileKey);
                if (cached != null) {
                    out.put(key(e), cached);
                } else {
                    toRead.add(new CheckpointFiles.Entry(key(e), e.path(), a.size(), e.mtimeMillis()));
                    stamps.put(key(e), new FingerprintCache.Entry(a.size(), mtime, fileKey, null));
                }
            }
            long total = toRead.stream().mapToLong(CheckpointFiles.Entry::size).sum();
            Map<String, FileDigester.FileDigest> read = ParallelHasher.hash(toRead,
                    FileDigester.best(Algorithm.XXH128, total), ParallelHasher.defaultThreads(), Progress.NONE);
            for (var r : read.entrySet()) {
                FingerprintCache.Entry s = stamps.get(r.getKey());
                if (r.getValue().bytes() == s.size()) { // changed while read: do not cache it
                    cache.put(r.getKey(), new FingerprintCache.Entry(s.size(), s.mtimeNanos(), s.fileKey(), r.getValue().hex()));
                }
                out.put(r.getKey(), r.getValue().hex());
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read the dataset: " + e.getMessage(), e);
        }
        cache.save();
        return out;
    }
}
