package dev.warden.checkpoint;

import dev.warden.event.PlainJson;
import dev.warden.store.AtomicFiles;
import dev.warden.store.WardenHome;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.TreeMap;

/**
 * Digests of dataset files keyed by (real path, size, mtime, inode), kept in one small JSON file so a
 * 100 GB dataset is read once, not at every start. A changed size, mtime or inode means "read it again".
 * A broken cache file is ignored (and rewritten), never trusted. Entries of files that no longer exist are dropped
 * when it is written. Read and written with jackson-core's streaming API: every `warden run` with a dataset
 * fingerprint reads it before the job starts, and an ObjectMapper for that cost ~15 ms.
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
        return in(WardenHome.fromEnvironment());
    }

    public static FingerprintCache in(WardenHome home) {
        return at(home.root().resolve("cache").resolve("dataset-digests.json"));
    }

    public static FingerprintCache at(Path file) {
        Map<String, Entry> entries = new TreeMap<>();
        if (Files.isRegularFile(file)) {
            try {
                Map<String, Object> all = PlainJson.readObject(Files.readString(file))
                        .orElseThrow(() -> new IOException("not a JSON object"));
                for (Map.Entry<String, Object> e : all.entrySet()) {
                    Map<?, ?> v = (Map<?, ?>) e.getValue();
                    entries.put(e.getKey(), new Entry(((Number) v.get("size")).longValue(),
                            ((Number) v.get("mtime_nanos")).longValue(), (String) v.get("file_key"), (String) v.get("xxh128")));
                }
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
            entries.keySet().removeIf(path -> !Files.exists(Path.of(path)));
            Map<String, Object> out = new LinkedHashMap<>();
            entries.forEach((path, e) -> {
                Map<String, Object> m = new LinkedHashMap<>();
                m.put("size", e.size());
                m.put("mtime_nanos", e.mtimeNanos());
                if (e.fileKey() != null) {
                    m.put("file_key", e.fileKey());
                }
                if (e.xxh128() != null) {
                    m.put("xxh128", e.xxh128());
                }
                out.put(path, m);
            });
            AtomicFiles.writeString(file, PlainJson.write(out).orElseThrow() + "\n");
            dirty = false;
        }
    }

    public Path file() {
        return file;
    }
}
