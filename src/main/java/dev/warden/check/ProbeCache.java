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
 * What a probe of the job's Python found (the import check's PASS or WARN, the drift check's package list), kept
 * with every file the probe's interpreter loaded or read: each module's file and shared library, the .pth files, the
 * directories of both and of sys.path (size, mtime, inode and device, as the interpreter saw them; a sys.path entry
 * that does not exist yet is kept as absent). A later probe whose key (script, interpreter, arguments, workdir, the
 * environment that steers imports) matches and whose files all stat the same gets the kept result without starting
 * Python: importing torch 2.x takes 3-9 s on a GPU node, and it was paid at every `warden run`. Anything changed,
 * added where Python looks, or unreadable means "probe again". Callers keep only results worth keeping (never a FAIL).
 */
final class ProbeCache {
    static final int MAX_ENTRIES = 8;
    /** Environment variables that change what an import finds or loads; the rest of the environment does not count. */
    private static final List<String> ENV_PREFIXES = List.of("PATH", "LD_", "PYTHON", "VIRTUAL_ENV", "CONDA_", "CUDA_",
            "HIP_", "ROCM_", "TORCH_", "HF_", "TRANSFORMERS_", "XLA_", "JAX_", "TF_", "NVIDIA_", "HOME");

    /**
     * Python lines, appended to a probe script, that print `WARDEN-FILES [[path, size, mtime_ns, ino, dev], ...]`: the
     * files of every loaded module, the shared libraries mapped, the .pth files and directories Python looks in, the
     * interpreter, and the paths in a list `warden_read` the script may fill (files it read without importing them).
     */
    static final List<String> LOADED_FILES = List.of(
            "try:",
            "    import json, os, site",
            "    seen = {}",
            "    def add(p):",
            "        if isinstance(p, str) and os.path.isabs(p):",
            "            seen[os.path.normpath(p)] = 1",
            "    for mod in list(sys.modules.values()):",
            "        add(getattr(mod, '__file__', None))",
            "    for p in globals().get('warden_read', []):",
            "        add(p)",
            "    try:",
            "        with open('/proc/self/maps') as f:",
            "            for line in f:",
            "                p = line.rstrip('\\n').split(None, 5)",
            "                if len(p) == 6 and p[5].startswith('/') and '.so' in p[5] and not p[5].endswith('(deleted)'):",
            "                    add(p[5])",
            "    except OSError:",
            "        pass",
            "    looked = [os.path.abspath(d or '.') for d in sys.path] + [site.getusersitepackages()]",
            "    for d in looked:",
            "        if os.path.isdir(d):",
            "            for n in os.listdir(d):",
            "                if n.endswith('.pth'):",
            "                    add(os.path.join(d, n))",
            "    dirs = {os.path.dirname(p) for p in seen} | set(looked)",
            "    for d in dirs:",
            "        add(d)",
            "    add(sys.executable)",
            "    out = []",
            "    for p in seen:",
            "        try:",
            "            s = os.stat(p)",
            "            out.append([p, s.st_size, s.st_mtime_ns, s.st_ino, s.st_dev])",
            "        except OSError:",
            "            out.append([p, -1, 0, 0, 0])",
            "    print('WARDEN-FILES ' + json.dumps(out), flush=True)",
            "except BaseException:",
            "    pass");

    /** A kept result (plain JSON values), when it was made, and what the probe loaded. */
    record Entry(Map<String, Object> result, String at, List<Stat> files) {}

    /** One file or directory as the probe saw it; ino and dev tell a replaced file from a rewritten one. */
    record Stat(String path, long size, long mtimeNanos, long ino, long dev) {}

    private final Path file;

    private ProbeCache(Path file) {
        this.file = file;
    }

    /** The cache WARDEN_HOME/cache/NAME. */
    static ProbeCache in(WardenHome home, String name) {
        return new ProbeCache(home.root().resolve("cache").resolve(name));
    }

    static String key(String script, String python, List<String> args, Path workdir, Map<String, String> env) {
        StringBuilder sb = new StringBuilder();
        sb.append(script).append('\0').append(python).append('\0').append(workdir).append('\0');
        resolved(python).ifPresent(p -> sb.append(p).append('\0'));
        args.forEach(m -> sb.append(m).append(','));
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
            m.put("result", e.result());
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
            // a cache that cannot be written costs the next check a probe, nothing more
        }
    }

    private Map<String, Entry> read() {
        Map<String, Entry> all = new LinkedHashMap<>();
        if (!Files.isRegularFile(file)) {
            return all;
        }
        try {
            for (Map.Entry<String, Object> e : PlainJson.readObject(Files.readString(file)).orElse(Map.of()).entrySet()) {
                Map<String, Object> v = PlainJson.object(e.getValue()).orElseThrow();
                all.put(e.getKey(), new Entry(PlainJson.object(v.get("result")).orElseThrow(), (String) v.get("at"),
                        stats((List<?>) v.get("files"))));
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
        try {
            return PlainJson.read(json) instanceof List<?> l ? stats(l) : List.of();
        } catch (IOException | RuntimeException e) {
            return List.of();
        }
    }

    private static List<Stat> stats(List<?> rows) {
        List<Stat> out = new ArrayList<>();
        for (Object o : rows) {
            List<?> f = (List<?>) o;
            out.add(new Stat((String) f.get(0), PlainJson.whole(f.get(1)), PlainJson.whole(f.get(2)),
                    PlainJson.whole(f.get(3)), PlainJson.whole(f.get(4))));
        }
        return out;
    }

    static String now() {
        return Instant.now().toString();
    }
}
