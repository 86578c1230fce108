package dev.warden.check;

import dev.warden.event.PlainJson;
import dev.warden.store.AtomicFiles;
import dev.warden.store.WardenHome;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;

/**
 * The import check's passing results, kept with every file the import loaded (each module's file and shared
 * library, the .pth files, the directories of both and of sys.path: size, mtime, inode and device, as the probe's
 * interpreter saw them). A later check whose key (interpreter, modules, workdir, the environment that steers imports)
 * matches and whose files all stat the same returns the result without starting Python: importing torch 2.x takes
 * 3-9 s on a GPU node, and it was paid at every `warden run`. Anything changed, added where Python looks, or
 * unreadable means "import again". A FAIL is never kept; neither is a result without a file list.
 */
final class ImportCache {
    static final int MAX_ENTRIES = 8;
    /** Environment variables that change what an import finds or loads; the rest of the environment does not count. */
    private static final List<String> ENV_PREFIXES = List.of("PATH", "LD_", "PYTHON", "VIRTUAL_ENV", "CONDA_", "CUDA_",
            "HIP_", "ROCM_", "TORCH_", "HF_", "TRANSFORMERS_", "XLA_", "JAX_", "TF_", "NVIDIA_", "HOME");

    /** A kept result: its status, evidence and fix, when it was made, and what it loaded. */
    record Entry(String status, String evidence, String fix, String at, List<Stat> files) {}

    /** One file or directory as the probe saw it; ino and dev tell a replaced file from a rewritten one. */
    record Stat(String path, long size, long mtimeNanos, long ino, long dev) {}

    private final Path file;

    private ImportCache(Path file) {
        this.file = file;
    }

    static ImportCache in(WardenHome home) {
        return new ImportCache(home.root().resolve("cache").resolve("import-checks.json"));
    }

    static String key(String python, List<String> modules, Path workdir, Map<String, String> env) {
        StringBuilder sb = new StringBuilder();
        sb.append(ImportCheck.SCRIPT).append('\0').append(python).append('\0').append(workdir).append('\0');
        resolved(python).ifPresent(p -> sb.append(p).append('\0'));
        modules.forEach(m -> sb.append(m).append(','));
        new TreeMap<>(env).forEach((k, v) -> {
            if (ENV_PREFIXES.stream().anyMatch(k::startsWith)) {
                sb.append('\0').append(k).append('=').append(v);
            }
        });
        try {
            byte[] d = MessageDigest.getInstance("SHA-256").digest(sb.toString().getBytes(StandardCharsets.UTF_8));
            return HexFormat.of().formatHex(d, 0, 16);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    /** An interpreter named by path, followed to the file it runs (a venv's python is a symlink). */
    private static Optional<String> resolved(String python) {
        if (python.indexOf('/') < 0) {
            return Optional.empty(); // found on PATH: PATH is in the key
        }
        try {
            return Optional.of(Path.of(python).toRealPath().toString());
        } catch (IOException | RuntimeException e) {
            return Optional.empty();
        }
    }

    /** The kept result when every file it loaded is as it was; empty otherwise. */
    synchronized Optional<Entry> lookup(String key) {
        Entry e = read().get(key);
        if (e == null || e.files().isEmpty()) {
            return Optional.empty();
        }
        for (Stat s : e.files()) {
            Stat now = stat(s.path());
            if (!s.equals(now != null ? now : absent(s.path()))) {
                return Optional.empty();
            }
        }
        return Optional.of(e);
    }

    synchronized void put(String key, Entry entry) {
        Map<String, Entry> all = read();
        all.remove(key);
        while (all.size() >= MAX_ENTRIES) {
            String oldest = all.entrySet().stream().min(Map.Entry.comparingByValue(java.util.Comparator.comparing(Entry::at)))
                    .map(Map.Entry::getKey).orElseThrow();
            all.remove(oldest);
        }
        all.put(key, entry);
        Map<String, Object> out = new LinkedHashMap<>();
        all.forEach((k, e) -> {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("status", e.status());
            m.put("evidence", e.evidence());
            m.put("fix", e.fix());
            m.put("at", e.at());
            List<Object> files = new ArrayList<>();
            for (Stat s : e.files()) {
                files.add(List.of(s.path(), s.size(), s.mtimeNanos(), s.ino(), s.dev()));
            }
            m.put("files", files);
            out.put(k, m);
        });
        try {
            PlainJson.write(out).ifPresent(json -> AtomicFiles.writeString(file, json));
        } catch (RuntimeException ignored) {
            // a cache that cannot be written costs the next check an import, nothing more
        }
    }

    private Map<String, Entry> read() {
        Map<String, Entry> all = new LinkedHashMap<>();
        if (!Files.isRegularFile(file)) {
            return all;
        }
        try {
            if (!(PlainJson.read(Files.readString(file)) instanceof Map<?, ?> m)) {
                return all;
            }
            for (Map.Entry<?, ?> e : m.entrySet()) {
                Map<?, ?> v = (Map<?, ?>) e.getValue();
                List<Stat> files = new ArrayList<>();
                for (Object o : (List<?>) v.get("files")) {
                    List<?> f = (List<?>) o;
                    files.add(new Stat((String) f.get(0), PlainJson.whole(f.get(1)), PlainJson.whole(f.get(2)),
                            PlainJson.whole(f.get(3)), PlainJson.whole(f.get(4))));
                }
                all.put((String) e.getKey(), new Entry((String) v.get("status"), (String) v.get("evidence"),
                        (String) v.get("fix"), (String) v.get("at"), files));
            }
        } catch (IOException | RuntimeException e) {
            all.clear(); // unreadable: never trusted, rewritten by the next put
        }
        return all;
    }

    /** The file as Java sees it now, in the probe's terms; null when it is gone or cannot be read. */
    static Stat stat(String path) {
        try {
            Map<String, Object> a = Files.readAttributes(Path.of(path), "unix:size,lastModifiedTime,ino,dev");
            return new Stat(path, (Long) a.get("size"),
                    ((java.nio.file.attribute.FileTime) a.get("lastModifiedTime")).to(TimeUnit.NANOSECONDS),
                    (Long) a.get("ino"), (Long) a.get("dev"));
        } catch (IOException | RuntimeException e) {
            return null;
        }
    }

    /** How the probe records a path Python looks in that does not exist (yet). */
    static Stat absent(String path) {
        return new Stat(path, -1, 0, 0, 0);
    }

    /** The probe's WARDEN-FILES line: [[path, size, mtime_ns, ino, dev], ...]; empty when missing or malformed. */
    static List<Stat> parseFiles(String json) {
        List<Stat> out = new ArrayList<>();
        try {
            if (PlainJson.read(json) instanceof List<?> l) {
                for (Object o : l) {
                    List<?> f = (List<?>) o;
                    out.add(new Stat((String) f.get(0), PlainJson.whole(f.get(1)), PlainJson.whole(f.get(2)),
                            PlainJson.whole(f.get(3)), PlainJson.whole(f.get(4))));
                }
            }
        } catch (IOException | RuntimeException e) {
            return List.of();
        }
        return out;
    }

    static String now() {
        return Instant.now().toString();
    }
}
