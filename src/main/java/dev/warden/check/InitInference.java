package dev.warden.check;

import dev.warden.gpu.GpuProbe;
import dev.warden.gpu.GpuProbeResult;
import dev.warden.gpu.ToolRunner;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Infers the checks of a new warden.yaml from a training command. */
public final class InitInference {
    private static final Pattern IMPORT = Pattern.compile("^import\\s+(.+)$");
    private static final Pattern FROM = Pattern.compile("^from\\s+([A-Za-z_][\\w.]*)\\s+import\\b");
    private static final Pattern DATA_EXT = Pattern.compile(
            "(?i).+\\.(py|jsonl|json|csv|tsv|parquet|arrow|txt|yaml|yml|toml|cfg|ini|pt|pth|bin|safetensors|ckpt|npy|npz|h5|tar|zip|gz|model)$");
    private static final Pattern OUTPUT_FLAG = Pattern.compile("(?i).*(out|save|log|ckpt|checkpoint|dump|result|cache).*");
    private static final Set<String> STDLIB = loadStdlib();

    private InitInference() {}

    public static InitPlan infer(Path workdir, List<String> command, ToolRunner tools) {
        Set<String> files = new LinkedHashSet<>();
        Set<String> missing = new LinkedHashSet<>();
        String previous = "";
        boolean first = true;
        for (String arg : command) {
            String value = arg;
            String flag = previous;
            if (arg.startsWith("-") && arg.contains("=")) {
                flag = arg.substring(0, arg.indexOf('='));
                value = arg.substring(arg.indexOf('=') + 1);
            }
            previous = arg;
            if (first) {
                first = false;
                continue; // the program itself (python, torchrun)
            }
            if (value.isEmpty() || value.startsWith("-") || value.contains("://") || value.contains("$")) {
                continue;
            }
            boolean output = flag.startsWith("-") && OUTPUT_FLAG.matcher(flag).matches();
            Path p = workdir.resolve(value).normalize();
            if (Files.exists(p)) {
                if (!output) {
                    files.add(value);
                }
            } else if (!output && (value.contains("/") || DATA_EXT.matcher(value).matches()) && !value.matches("[\\d.eE+-]+")) {
                missing.add(value);
            }
        }
        List<String> modules = new ArrayList<>();
        JobPython.script(command).map(workdir::resolve).filter(Files::isRegularFile)
                .ifPresent(script -> modules.addAll(imports(script)));
        GpuProbeResult probe = GpuProbe.probe(tools);
        Integer gpus = null;
        String note;
        if (probe instanceof GpuProbeResult.Found f) {
            gpus = f.gpus().size();
            note = "found on this node: " + f.gpus().size() + (f.gpus().isEmpty() ? "" : " x " + f.gpus().get(0).name());
        } else if (probe instanceof GpuProbeResult.ToolFailed t) {
            note = t.tool() + " failed on this node (" + t.meaning() + ")";
        } else {
            note = "no GPU tool (nvidia-smi, rocm-smi) on this node";
        }
        return new InitPlan(command, List.copyOf(files), List.copyOf(missing), modules, gpus, note);
    }

    /**
     * Third-party top-level modules a script imports at top level (column 0): the standard library,
     * __future__, relative imports and modules next to the script (local files) are left out.
     */
    static List<String> imports(Path script) {
        List<String> lines;
        try {
            lines = Files.readAllLines(script, StandardCharsets.UTF_8);
        } catch (IOException e) {
            return List.of();
        }
        Set<String> out = new LinkedHashSet<>();
        Path dir = script.toAbsolutePath().getParent();
        for (String raw : lines) {
            String line = raw.replaceAll("#.*", "").stripTrailing();
            Matcher from = FROM.matcher(line);
            if (from.find()) {
                out.add(from.group(1).split("\\.")[0]);
                continue;
            }
            Matcher imp = IMPORT.matcher(line);
            if (imp.find()) {
                for (String part : imp.group(1).split(",")) {
                    String name = part.strip().split("\\s+")[0];
                    if (name.matches("[A-Za-z_][\\w.]*")) {
                        out.add(name.split("\\.")[0]);
                    }
                }
            }
        }
        List<String> third = new ArrayList<>();
        for (String m : out) {
            if (m.equals("__future__") || STDLIB.contains(m)
                    || Files.exists(dir.resolve(m + ".py")) || Files.isDirectory(dir.resolve(m))) {
                continue;
            }
            third.add(m);
        }
        return third;
    }

    private static Set<String> loadStdlib() {
        Set<String> s = new HashSet<>();
        try (InputStream in = InitInference.class.getResourceAsStream("python-stdlib.txt")) {
            if (in == null) {
                throw new IllegalStateException("python-stdlib.txt missing from the jar");
            }
            new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8)).lines()
                    .filter(l -> !l.isBlank() && !l.startsWith("#"))
                    .forEach(l -> s.add(l.strip()));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return s;
    }
}
