package dev.warden.check;

import dev.warden.UserError;
import dev.warden.event.PlainJson;
import dev.warden.gpu.GpuProbeResult;
import dev.warden.gpu.ToolResult;
import dev.warden.gpu.ToolRunner;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Reads the stack of the job's python in one interpreter start: its version, every installed
 * distribution (importlib.metadata, so pip need not be installed), torch's version and CUDA/HIP
 * build read from torch/version.py without importing torch (seconds saved); plus the GPU driver and
 * nvcc. Reads only: nothing here installs or changes a package.
 */
final class EnvProbe {
    private static final String PROBE = String.join("\n",
            "import json, os, sys",
            "warden_read = []",
            "out = {'python': sys.executable, 'python_version': sys.version.split()[0], 'packages': {}}",
            "try:",
            "    from importlib import metadata",
            "    for d in metadata.distributions():",
            "        n = d.metadata['Name']",
            "        if n and n not in out['packages']:",
            "            out['packages'][n] = d.version",
            "except Exception as e:",
            "    out['packages_error'] = str(e)",
            "try:",
            "    import importlib.util",
            "    spec = importlib.util.find_spec('torch')",
            "    if spec and spec.submodule_search_locations:",
            "        ns = {}",
            "        vp = os.path.join(list(spec.submodule_search_locations)[0], 'version.py')",
            "        warden_read.append(os.path.abspath(vp))",
            "        with open(vp) as f:",
            "            exec(f.read(), ns)",
            "        out['torch'] = ns.get('__version__')",
            "        out['torch_cuda'] = ns.get('cuda')",
            "        out['torch_hip'] = ns.get('hip')",
            "except Exception as e:",
            "    out['torch_error'] = str(e)",
            "print('WARDEN-ENV ' + json.dumps(out))");
    /**
     * {@link #PROBE} and what it looked at ({@link ProbeCache#LOADED_FILES}): the directories the distributions were
     * listed from (an install or upgrade adds and removes entries there) and torch's version.py.
     */
    static final String SCRIPT = PROBE + "\n" + String.join("\n", ProbeCache.LOADED_FILES);
    private static final Pattern NVCC_RELEASE = Pattern.compile("release (\\d+\\.\\d+)");

    private EnvProbe() {}

    static EnvSnapshot collect(String python, ToolRunner tools, GpuProbeResult gpus, Duration timeout) {
        return collect(python, tools, gpus, nvcc(tools), timeout);
    }

    static EnvSnapshot collect(String python, ToolRunner tools, GpuProbeResult gpus, String nvcc, Duration timeout) {
        return collect(python, tools, gpus, nvcc, timeout, null).snapshot();
    }

    /** A snapshot, and when its package listing was made if it came from the cache (else null). */
    record Probed(EnvSnapshot snapshot, String keptSince) {}

    /**
     * @param cache where a listing is kept with what the probe looked at, and taken from while none of that changed
     *              (the drift check at every run); null to always start the interpreter (`warden env lock`)
     */
    static Probed collect(String python, ToolRunner tools, GpuProbeResult gpus, String nvcc, Duration timeout, ProbeCache cache) {
        String driver = gpus instanceof GpuProbeResult.Found f ? f.driverVersion() : null;
        String key = cache == null ? null
                : ProbeCache.key(SCRIPT, python, List.of(), Path.of("").toAbsolutePath(), tools.env());
        if (cache != null) {
            Optional<ProbeCache.Entry> hit = cache.lookup(key);
            if (hit.isPresent()) {
                return new Probed(snapshot(hit.get().result(), driver, nvcc), hit.get().at());
            }
        }
        ToolResult r = tools.run(List.of(python, "-c", SCRIPT), timeout, null);
        if (r.notFound()) {
            throw new UserError("python `" + python + "` not found on PATH; activate the job's environment, or name the"
                    + " interpreter (`python:` in the drift check, --python for `warden env lock`)");
        }
        String line = r.stdout().lines().filter(l -> l.startsWith("WARDEN-ENV ")).findFirst().orElse(null);
        if (line == null) {
            throw new UserError("`" + python + "` could not list its packages (exit " + r.exitCode() + "): "
                    + r.lastLine() + "; check that it is a working Python 3.8+ interpreter");
        }
        Map<?, ?> n;
        try {
            n = PlainJson.readObject(line.substring("WARDEN-ENV ".length())).orElse(null);
        } catch (IOException e) {
            n = null;
        }
        if (n == null) {
            throw new UserError("`" + python + "` printed an unreadable package list; report this with `" + python + " --version`");
        }
        if (cache != null && r.exitCode() == 0 && n.get("packages_error") == null && n.get("torch_error") == null) {
            List<ProbeCache.Stat> looked = r.stdout().lines().filter(l -> l.startsWith("WARDEN-FILES ")).findFirst()
                    .map(l -> ProbeCache.parseFiles(l.substring("WARDEN-FILES ".length()))).orElse(List.of());
            if (!looked.isEmpty()) {
                Map<String, Object> result = new LinkedHashMap<>();
                n.forEach((k, v) -> result.put(k.toString(), v));
                cache.put(key, new ProbeCache.Entry(result, ProbeCache.now(), looked));
            }
        }
        return new Probed(snapshot(n, driver, nvcc), null);
    }

    private static EnvSnapshot snapshot(Map<?, ?> n, String driver, String nvcc) {
        TreeMap<String, String> packages = new TreeMap<>();
        if (n.get("packages") instanceof Map<?, ?> listed) {
            listed.forEach((k, v) -> packages.put(EnvSnapshot.normalize(k.toString()), String.valueOf(v)));
        }
        return new EnvSnapshot(1, Instant.now().toString(), text(n, "python"), text(n, "python_version"),
                text(n, "torch"), text(n, "torch_cuda"), text(n, "torch_hip"), driver, nvcc, packages);
    }

    /** The value as text; null when missing or JSON null. */
    private static String text(Map<?, ?> n, String key) {
        Object v = n.get(key);
        return v == null ? null : v.toString();
    }

    static String nvcc(ToolRunner tools) {
        ToolResult r = tools.run(List.of("nvcc", "--version"), Duration.ofSeconds(10), null);
        if (!r.ok()) {
            return null;
        }
        Matcher m = NVCC_RELEASE.matcher(r.stdout());
        return m.find() ? m.group(1) : null;
    }
}
