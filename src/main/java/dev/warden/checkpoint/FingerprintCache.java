package dev.warden.checkpoint;

import com.fasterxml.jackson.core.type.TypeReference;
import dev.warden.store.AtomicFiles;
import dev.warden.store.WardenHome;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.TreeMap;

/**
 * Digests of dataset files keyed by (real path, size, mtime, inode), kept in one small JSON file so a
 * 100 GB dataset is read once, not at every start. A changed size, mtime or inode means "read it again".
 * A broken cache file is ignored (and rewritten), never trusted.
 */
public final class FingerprintCache {
    /** @param fileKey inode identity where the filesystem has one */
    public record Entry(long size, long mtimeNanos, String fileKey, String xxh128) {}

    private final Path file;
    private final Map<String, Entry> entries;
    private boolean dirty;

    private FingerprintCache(Path file, Map<String, Entry> entries) {
        this.file = file;
        this.entries = entries;
    }

    /** The cache under WARDEN_HOME (cache/dataset-digests.json). */
    public static FingerprintCache inWardenHome() {
        return at(WardenHome.fromEnvironment().root().resolve("cache").resolve("dataset-digests.json"));
    }

    public static FingerprintCache at(Path file) {
        Map<String, Entry> entries = new TreeMap<>();
        if (Files.isRegularFile(file)) {
            try {
                entries.putAll(SealJson.MAPPER.readValue(Files.readAllBytes(file), new TypeReference<Map<String, Entry>>() {}));
            } catch (IOException | RuntimeException e) {
                entries.clear(); // unreadable: start over
            }
        }
        return new FingerprintCache(file, entries);
    }

    /** A cache that remembers nothing (every file is read). */
    public static FingerprintCache none() {
        return new FingerprintCache(null, new TreeMap<>());
    }

    synchronized String lookup(String realPath, long size, long mtimeNanos, String fileKey) {
        Entry e = entries.get(realPath);
        if (e != null && e.size() == size && e.mtimeNanos() == mtimeNanos && java.util.Objects.equals(e.fileKey(), fileKey)) {
            return e.xxh128();
        }
        return null;
    }

    synchronized void put(String realPath, Entry entry) {
        if (!entry.equals(entries.put(realPath, entry))) {
            dirty = true;
        }
    }

    /** Writes the cache if anything changed (atomically: a reader never sees half of it). */
    synchronized void save() {
        if (dirty && file != null) {
            AtomicFiles.writeString(file, SealJson.write(entries));
            dirty = false;
        }
    }

    public Path file() {
        return file;
    }
}
