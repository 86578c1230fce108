package dev.warden.check;

import dev.warden.event.PlainJson;
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
 * ({@link ProbeCache}) and given again, without starting Python, while nothing the import loaded has changed.
 */
final class ImportCheck implements Check {
    /** Prints one WARDEN- line per module; survives a module that exits or raises anything. */
    private static final String PROBE = String.join("\n",
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
            "print('WARDEN-PY ' + sys.version.split()[0], flush=True)");
    /** {@link #PROBE} and what its imports loaded ({@link ProbeCache#LOADED_FILES}). */
    static final String SCRIPT = PROBE + "\n" + String.join("\n", ProbeCache.LOADED_FILES);

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
        ProbeCache kept = ProbeCache.in(ctx.home(), "import-checks.json");
        String key = ProbeCache.key(SCRIPT, py, modules, ctx.workdir(), ctx.env());
        Optional<ProbeCache.Entry> hit = kept.lookup(key);
        if (hit.isPresent()) {
            ProbeCache.Entry e = hit.get();
            String since = e.at().length() >= 16 ? e.at().substring(0, 16).replace('T', ' ') + " UTC" : e.at();
            String note = " (from the cache: none of the " + e.files().size() + " files and directories it loaded has changed"
                    + " since " + since + "; `cache: false` imports every time)";
            String evidence = PlainJson.text(e.result().get("evidence")) + note;
            return "WARN".equals(e.result().get("status")) ? CheckResult.warn(evidence, PlainJson.text(e.result().get("fix")))
                    : CheckResult.pass(evidence);
        }
        return probe(py, ctx, kept, key);
    }

    /** Imports the modules in a fresh interpreter; a PASS or WARN goes into the cache with what the imports loaded. */
    private CheckResult probe(String py, CheckContext ctx, ProbeCache kept, String key) {
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
        List<ProbeCache.Stat> loaded = List.of();
        for (String line : r.stdout().split("\n")) {
            if (line.startsWith("WARDEN-FILES ")) {
                loaded = ProbeCache.parseFiles(line.substring("WARDEN-FILES ".length()));
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
            kept.put(key, new ProbeCache.Entry(Map.of("status", result.status().name(), "evidence", result.evidence(),
                    "fix", result.fix()), ProbeCache.now(), loaded));
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
