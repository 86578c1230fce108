package dev.warden.gpu;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Fake node tools for tests: a directory of scripts put first on a PATH that holds nothing else but
 * wrappers of a few system utilities, so neither a real nvidia-smi on the test host nor the test JVM's
 * environment leaks in. The fake nvidia-smi answers --query-gpu / --query-compute-apps from a table
 * made of a real capture ({@link Captures}) and rejects unknown fields like the real tool
 * ("Field "x" is not a valid field to query.", exit 2).
 */
public final class FakeGpuTools {
    static final String NVIDIA_SMI = String.join("\n",
            "#!/bin/bash",
            "# Fake nvidia-smi answering from a table made of a real capture.",
            "here=\"$(cd \"$(dirname \"$0\")\" && pwd)\"",
            "echo \"$*\" >> \"$here/nvidia-smi.calls\"",
            "if [ -f \"$here/nvidia-smi.exit\" ]; then cat \"$here/nvidia-smi.msg\"; exit \"$(cat \"$here/nvidia-smi.exit\")\"; fi",
            "if [ -f \"$here/nvidia-smi.sleep\" ]; then sleep \"$(cat \"$here/nvidia-smi.sleep\")\"; fi",
            "query=''; table=''",
            "for a in \"$@\"; do",
            "  case \"$a\" in",
            "    --query-gpu=*) query=\"${a#--query-gpu=}\"; table=\"$here/gpu.tsv\";;",
            "    --query-compute-apps=*) query=\"${a#--query-compute-apps=}\"; table=\"$here/apps.tsv\";;",
            "  esac",
            "done",
            "if [ -z \"$query\" ] && [ $# -eq 0 ] && [ -f \"$here/nvidia-smi.table\" ]; then cat \"$here/nvidia-smi.table\"; exit 0; fi",
            "if [ -z \"$query\" ]; then echo 'fake nvidia-smi: only --query-gpu, --query-compute-apps, or no argument' >&2; exit 2; fi",
            "[ -f \"$table\" ] || exit 0",
            "awk -F'\\t' -v want=\"$query\" '",
            "NR == 1 { for (i = 1; i <= NF; i++) col[$i] = i; n = split(want, w, \",\");",
            "          for (j = 1; j <= n; j++) if (!(w[j] in col)) { printf \"Field \\\"%s\\\" is not a valid field to query.\\n\\n\", w[j]; exit 2 }",
            "          next }",
            "{ line = \"\"; for (j = 1; j <= n; j++) line = line (j > 1 ? \", \" : \"\") $col[w[j]]; print line }' \"$table\"",
            "");

    static final String ROCM_SMI = String.join("\n",
            "#!/bin/bash",
            "# Fake rocm-smi printing a real --json capture (a superset of what any flag set asks for).",
            "here=\"$(cd \"$(dirname \"$0\")\" && pwd)\"",
            "for a in \"$@\"; do [ \"$a\" = --showpids ] && { cat \"$here/rocm-smi.pids\" 2>/dev/null || echo '{}'; exit 0; }; done",
            "cat \"$here/rocm-smi.json\"",
            "");

    private static final List<String> SYSTEM_TOOLS = List.of("sh", "bash", "awk", "cat", "dd", "sleep", "env", "dirname",
            "head", "tail", "grep", "sed", "tr", "cut", "true", "false");

    private final Path bin;
    private final Path sys;

    private FakeGpuTools(Path dir) {
        this.bin = dir.resolve("bin");
        this.sys = dir.resolve("sys");
        try {
            Files.createDirectories(bin);
            Files.createDirectories(sys);
            for (String t : SYSTEM_TOOLS) {
                Path real = ToolRunner.system().which(t).orElse(null);
                Path wrapper = sys.resolve(t);
                if (real != null && !Files.exists(wrapper)) {
                    // a wrapper, not a symlink: JUnit warns about every link it deletes from a temp dir
                    Files.writeString(wrapper, "#!/bin/sh\nexec " + real.toRealPath() + " \"$@\"\n");
                    Files.setPosixFilePermissions(wrapper, PosixFilePermissions.fromString("rwxr-xr-x"));
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public static FakeGpuTools in(Path dir) {
        return new FakeGpuTools(dir);
    }

    public Path bin() {
        return bin;
    }

    /** A runner whose PATH has the fakes first, then only basic system utilities. */
    public ToolRunner runner() {
        return new ToolRunner(Map.of("PATH", bin + ":" + sys, "HOME", bin.getParent().toString(), "LANG", "C.UTF-8"));
    }

    public FakeGpuTools nvidia(List<Map<String, String>> rows) {
        write("gpu.tsv", tsv(rows));
        return script("nvidia-smi", NVIDIA_SMI);
    }

    public FakeGpuTools nvidiaCsv(String capture) {
        return nvidia(Captures.fromCsv(Captures.resource(capture)));
    }

    public FakeGpuTools nvidiaXml(String capture) {
        return nvidia(Captures.fromXml(Captures.resource(capture)));
    }

    public FakeGpuTools nvidiaText(String capture) {
        return nvidia(Captures.fromText(Captures.resource(capture)));
    }

    /** What plain `nvidia-smi` prints (its header names the CUDA version the driver supports). */
    public FakeGpuTools table(String capture) {
        write("nvidia-smi.table", Captures.resource(capture));
        return script("nvidia-smi", NVIDIA_SMI);
    }

    public FakeGpuTools computeApps(String capture) {
        write("apps.tsv", tsv(Captures.fromCsv(Captures.resource(capture))));
        return script("nvidia-smi", NVIDIA_SMI);
    }

    /** nvidia-smi failing with an exit code and a message on stdout. */
    public FakeGpuTools nvidiaFails(int exitCode, String message) {
        write("nvidia-smi.exit", String.valueOf(exitCode));
        write("nvidia-smi.msg", message + "\n");
        return script("nvidia-smi", NVIDIA_SMI);
    }

    public FakeGpuTools nvidiaHangs(int seconds) {
        write("nvidia-smi.sleep", String.valueOf(seconds));
        return script("nvidia-smi", NVIDIA_SMI);
    }

    /** The query lines the fake nvidia-smi received, one per call. */
    public List<String> nvidiaCalls() {
        try {
            Path f = bin.resolve("nvidia-smi.calls");
            return Files.exists(f) ? Files.readAllLines(f) : List.of();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public FakeGpuTools rocmJson(String json) {
        write("rocm-smi.json", json);
        return script("rocm-smi", ROCM_SMI);
    }

    public FakeGpuTools rocmCapture(String capture) {
        return rocmJson(Captures.resource(capture));
    }

    public FakeGpuTools rocmPids(String json) {
        write("rocm-smi.pids", json);
        return script("rocm-smi", ROCM_SMI);
    }

    /** Any fake program (dmesg, ssh, nvcc...). */
    public FakeGpuTools script(String name, String body) {
        write(name, body);
        try {
            Files.setPosixFilePermissions(bin.resolve(name), PosixFilePermissions.fromString("rwxr-xr-x"));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return this;
    }

    /** A program that prints a file and exits 0. */
    public FakeGpuTools printing(String name, String content) {
        write(name + ".out", content);
        return script(name, "#!/bin/sh\ncat \"$(dirname \"$0\")/" + name + ".out\"\n");
    }

    private void write(String name, String content) {
        try {
            Files.writeString(bin.resolve(name), content);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static String tsv(List<Map<String, String>> rows) {
        Set<String> cols = new LinkedHashSet<>();
        rows.forEach(r -> cols.addAll(r.keySet()));
        StringBuilder b = new StringBuilder(String.join("\t", cols)).append('\n');
        for (Map<String, String> r : rows) {
            List<String> cells = new ArrayList<>();
            for (String c : cols) {
                cells.add(r.getOrDefault(c, "[N/A]"));
            }
            b.append(String.join("\t", cells)).append('\n');
        }
        return b.toString();
    }
}
