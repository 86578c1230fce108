package dev.warden.check;

import dev.warden.gpu.ToolResult;

import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * import: the job's modules import in the job's own interpreter, all in one interpreter start.
 * `- import: [torch, transformers, flash_attn]` or `- import: {modules: [...], python: /venv/bin/python, cache: false}`.
 * FAIL when a module does not import (missing, or a compiled extension built for another torch);
 * WARN when one imports but warns (e.g. torch saying the driver is too old). A PASS or WARN is kept
 * ({@link ImportCache}) and given again, without starting Python, while nothing the import loaded has changed.
 */
final class ImportCheck implements Check {
    /** Prints one WARDEN- line per module; survives a module that exits or raises anything. */
    static final String SCRIPT = String.join("\n",
            "import importlib, sys, warnings",
            "for m in sys.argv[1:]:",
            "    print('WARDEN-TRY ' + m, flush=True)",
            "    try:",
            "        with warnings.catch_warnings(record=True) as caught:",
            "            warnings.simplefilter('always')",
            "            for c in (DeprecationWarning, PendingDeprecationWarning, FutureWarning, ImportWarning):",
            "                warnings.simplefilter('ignore', c)",
            "            importlib.import_module(m)",
            "        if caught:",
            "            w = caught[0]",
            "            print('WARDEN-WARN ' + m + ' ' + (w.category.__name__ + ': ' + str(w.message)).replace('\\n', ' '), flush=True)",
            "        else:",
            "            print('WARDEN-OK ' + m, flush=True)",
            "    except BaseException as e:",
            "        msg = (str(e).splitlines() or [''])[0]",
            "        print('WARDEN-ERR ' + m + ' ' + type(e).__name__ + (': ' + msg if msg else ''), flush=True)",
            "print('WARDEN-PY ' + sys.version.split()[0], flush=True)",
            // what the imports loaded, for ImportCache: module files, shared libraries, .pth files, their directories
            // and sys.path's (absent ones too: one that appears later may shadow a module)
            "try:",
            "    import json, os, site",
            "    seen = {}",
            "    def add(p):",
            "        if isinstance(p, str) and os.path.isabs(p):",
            "            seen[os.path.normpath(p)] = 1",
            "    for mod in list(sys.modules.values()):",
            "        add(getattr(mod, '__file__', None))",
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

    /** Import names whose pip distribution has another name. */
    private static final Map<String, String> DISTRIBUTION = Map.ofEntries(
            Map.entry("sklearn", "scikit-learn"), Map.entry("cv2", "opencv-python"), Map.entry("PIL", "pillow"),
            Map.entry("yaml", "pyyaml"), Map.entry("flash_attn", "flash-attn"), Map.entry("transformer_engine", "transformer-engine"),
            Map.entry("bs4", "beautifulsoup4"), Map.entry("skimage", "scikit-image"),
            Map.entry("attr", "attrs"), Map.entry("dateutil", "python-dateutil"), Map.entry("dotenv", "python-dotenv"),
            Map.entry("torch_scatter", "torch-scatter"), Map.entry("mamba_ssm", "mamba-ssm"));

    private final List<String> modules;
    private final String python;
    private final Duration timeout;
    private final boolean cache;

    private ImportCheck(List<String> modules, String python, Duration timeout, boolean cache) {
        this.modules = modules;
        this.python = python;
        this.timeout = timeout;
        this.cache = cache;
    }

    static Check create(CheckArgs a) {
        a.allow("modules", "python", "cache");
        List<String> modules = a.requireList("modules", "[torch, transformers]");
        for (String m : modules) {
            if (!m.matches("[A-Za-z_][A-Za-z0-9_]*(\\.[A-Za-z_][A-Za-z0-9_]*)*")) {
                throw a.error("modules", "`" + m + "` is not a Python module name",
                        "write import names (flash_attn, not flash-attn)");
            }
        }
        return new ImportCheck(modules, a.isMap() ? a.string("python", null) : null, a.timeout(Duration.ofMinutes(2)),
                !a.isMap() || a.bool("cache", true));
    }

    @Override
    public CheckResult run(CheckContext ctx) {
        String py = python != null ? python : JobPython.find(ctx.input().command(), ctx.tools());
        if (!cache || ctx.home() == null) {
            return probe(py, ctx, null, null);
        }
        ImportCache kept = ImportCache.in(ctx.home());
        String key = ImportCache.key(py, modules, ctx.workdir(), ctx.env());
        Optional<ImportCache.Entry> hit = kept.lookup(key);
        if (hit.isPresent()) {
            ImportCache.Entry e = hit.get();
            String since = e.at().length() >= 16 ? e.at().substring(0, 16).replace('T', ' ') + " UTC" : e.at();
            String note = " (from the cache: none of the " + e.files().size() + " files and directories it loaded has changed"
                    + " since " + since + "; `cache: false` imports every time)";
            return "WARN".equals(e.status()) ? CheckResult.warn(e.evidence() + note, e.fix()) : CheckResult.pass(e.evidence() + note);
        }
        return probe(py, ctx, kept, key);
    }

    /** Imports the modules in a fresh interpreter; a PASS or WARN goes into the cache with what the imports loaded. */
    private CheckResult probe(String py, CheckContext ctx, ImportCache kept, String key) {
        List<String> argv = new ArrayList<>(List.of(py, "-c", SCRIPT));
        argv.addAll(modules);
        ToolResult r = ctx.tools().run(argv, CheckArgs.toolTimeout(timeout), ctx.workdir());
        if (r.notFound()) {
            return CheckResult.fail("python `" + py + "` not found on the job's PATH",
                    "activate the job's environment, or set `python:` in the import check");
        }
        Map<String, String> status = new LinkedHashMap<>();
        String current = null;
        String version = "";
        List<ImportCache.Stat> loaded = List.of();
        for (String line : r.stdout().split("\n")) {
            if (line.startsWith("WARDEN-FILES ")) {
                loaded = ImportCache.parseFiles(line.substring("WARDEN-FILES ".length()));
            } else if (line.startsWith("WARDEN-TRY ")) {
                current = line.substring(11).strip();
                status.put(current, null);
            } else if (line.startsWith("WARDEN-OK ")) {
                status.put(line.substring(10).strip(), "OK");
            } else if (line.startsWith("WARDEN-WARN ") || line.startsWith("WARDEN-ERR ")) {
                String rest = line.substring(line.indexOf(' ') + 1);
                int sp = rest.indexOf(' ');
                String mod = sp < 0 ? rest : rest.substring(0, sp);
                status.put(mod, (line.startsWith("WARDEN-WARN") ? "WARN " : "ERR ") + (sp < 0 ? "" : rest.substring(sp + 1)));
            } else if (line.startsWith("WARDEN-PY ")) {
                version = line.substring(10).strip();
            }
        }
        if (r.timedOut()) {
            return CheckResult.fail("importing " + (current == null ? "the modules" : current) + " did not finish within "
                    + PreflightReport.time(timeout), "import it by hand (`" + py + " -c 'import " + current + "'`) to see where it hangs");
        }
        if (current != null && status.get(current) == null) {
            return CheckResult.fail("importing " + current + " killed the interpreter (exit " + r.exitCode() + "): "
                    + r.lastLine(), current + " is probably a compiled extension built for another torch/CUDA: rebuild or reinstall it");
        }
        if (version.isEmpty()) {
            return CheckResult.fail("`" + py + "` did not run the import script (exit " + r.exitCode() + "): " + r.lastLine(),
                    "check that `" + py + "` is a working Python 3 interpreter");
        }
        List<String> errors = new ArrayList<>();
        List<String> warns = new ArrayList<>();
        String firstBad = null;
        String firstError = null;
        for (Map.Entry<String, String> e : status.entrySet()) {
            if (e.getValue().startsWith("ERR")) {
                errors.add(e.getKey() + ": " + e.getValue().substring(4));
                if (firstBad == null) {
                    firstBad = e.getKey();
                    firstError = e.getValue();
                }
            } else if (e.getValue().startsWith("WARN")) {
                warns.add(e.getKey() + ": " + e.getValue().substring(5));
            }
        }
        String where = py + " (Python " + version + ")";
        if (!errors.isEmpty()) {
            return CheckResult.fail(errors.size() + " of " + modules.size() + " modules fail in " + where + ": "
                    + String.join("; ", errors), fixFor(firstBad, firstError, py));
        }
        CheckResult result = !warns.isEmpty()
                ? CheckResult.warn(String.join("; ", warns), "read the warning: it often means a driver/CUDA mismatch"
                        + " that will fail or slow the run")
                : CheckResult.pass(modules.size() + " modules import in " + where + ": " + String.join(", ", modules));
        if (kept != null && !loaded.isEmpty() && !r.timedOut() && r.exitCode() == 0) {
            kept.put(key, new ImportCache.Entry(result.status().name(), result.evidence(), result.fix(), ImportCache.now(), loaded));
        }
        return result;
    }

    private static String fixFor(String module, String error, String py) {
        String top = module.split("\\.")[0];
        if (error.contains("ModuleNotFoundError")) {
            return "install it into the job's environment (`" + py + " -m pip install " + DISTRIBUTION.getOrDefault(top, top)
                    + "`, or your lock file's version); Warden never installs anything itself";
        }
        if (error.contains("undefined symbol") || error.contains("GLIBC") || error.contains(".so")) {
            return top + " is a compiled extension built against another torch/CUDA: rebuild or reinstall it for the installed torch";
        }
        return "run `" + py + " -c 'import " + module + "'` to see the whole error";
    }
}
