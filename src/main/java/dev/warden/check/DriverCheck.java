package dev.warden.check;

import dev.warden.gpu.GpuProbeResult;
import dev.warden.gpu.NvidiaSmi;
import dev.warden.gpu.ToolResult;

import java.time.Duration;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * driver: the GPU driver answers (nvidia-smi or rocm-smi), is not older than min_version, and the
 * nvcc on PATH does not target a newer CUDA than the driver supports (code it builds would not load:
 * FAIL for a newer major version, WARN for a newer minor one, whose PTX the driver cannot JIT).
 * `- driver: {nvcc: required, min_version: "535"}`. No GPU tool at all is reported once, by the gpu
 * check; this one then passes with a note.
 */
final class DriverCheck implements Check {
    private static final Pattern DRIVER_CUDA = Pattern.compile("CUDA Version:\\s*(\\d+\\.\\d+)");

    private final boolean nvccRequired;
    private final String minVersion;

    private DriverCheck(boolean nvccRequired, String minVersion) {
        this.nvccRequired = nvccRequired;
        this.minVersion = minVersion;
    }

    static Check create(CheckArgs a) {
        a.noScalar("{nvcc: required, min_version: \"535\"}").allow("nvcc", "min_version");
        String nvcc = a.string("nvcc", "optional");
        if (!nvcc.equals("optional") && !nvcc.equals("required")) {
            throw a.error("nvcc", "`" + nvcc + "` is neither optional nor required", "write `nvcc: required` or leave it out");
        }
        return new DriverCheck(nvcc.equals("required"), a.string("min_version", null));
    }

    @Override
    public CheckResult run(CheckContext ctx) {
        GpuProbeResult probe = ctx.gpus();
        String nvcc = ctx.nvccRelease();
        String nvccNote = nvcc == null ? "nvcc not on PATH" : "nvcc " + nvcc;
        if (probe instanceof GpuProbeResult.NoTool) {
            if (nvccRequired && nvcc == null) {
                return CheckResult.fail("no GPU driver tool and no nvcc on PATH", cudaPath());
            }
            return CheckResult.pass("no GPU driver tool on PATH (see the gpu check); " + nvccNote);
        }
        if (probe instanceof GpuProbeResult.ToolFailed f) {
            String how = f.timedOut() ? "" : " (exit " + f.exitCode() + ")";
            return CheckResult.fail(f.tool() + " does not answer" + how + ": " + f.meaning(),
                    f.tool().equals(NvidiaSmi.TOOL) && !f.timedOut() ? NvidiaSmi.exitFix(f.exitCode())
                            : "run `" + f.tool() + "` by hand; reload the driver or reboot");
        }
        GpuProbeResult.Found found = (GpuProbeResult.Found) probe;
        String driver = found.vendor().name() + " driver " + (found.driverVersion() == null ? "(version unknown)" : found.driverVersion());
        if (minVersion != null && found.driverVersion() != null && compare(found.driverVersion(), minVersion) < 0) {
            return CheckResult.fail(driver + " is older than min_version " + minVersion,
                    "use a node (or image) with driver " + minVersion + " or newer");
        }
        if (nvccRequired && nvcc == null) {
            return CheckResult.fail(driver + " answers, but nvcc is not on PATH", cudaPath());
        }
        if (nvcc == null && found.vendor().name().equals("NVIDIA")) {
            return CheckResult.pass(driver + "; nvcc not on PATH (only needed to compile CUDA extensions)");
        }
        String driverCuda = found.vendor().name().equals("NVIDIA") ? driverCuda(ctx) : null;
        if (driverCuda != null && nvcc != null && nvcc.matches("\\d+\\.\\d+")) {
            driver += " (CUDA " + driverCuda + ")";
            int[] n = majorMinor(nvcc);
            int[] d = majorMinor(driverCuda);
            String fix = "use a CUDA toolkit no newer than " + driverCuda + " (put its bin first on PATH), or update the driver";
            if (n[0] > d[0]) {
                return CheckResult.fail("nvcc " + nvcc + " builds for a newer CUDA than " + driver + " supports:"
                        + " extensions it compiles will not load", fix);
            }
            if (n[0] == d[0] && n[1] > d[1]) {
                return CheckResult.warn("nvcc " + nvcc + " is newer than " + driver + ": its PTX cannot be JIT-compiled"
                        + " by this driver (\"unsupported toolchain\")", fix);
            }
        }
        return CheckResult.pass(driver + "; " + nvccNote);
    }

    /** The CUDA version the driver supports, from the header of plain `nvidia-smi`. */
    private static String driverCuda(CheckContext ctx) {
        ToolResult r = ctx.tools().run(List.of("nvidia-smi"), Duration.ofSeconds(10), null);
        Matcher m = DRIVER_CUDA.matcher(r.stdout());
        return r.ok() && m.find() ? m.group(1) : null;
    }

    private static int[] majorMinor(String v) {
        String[] p = v.split("\\.");
        return new int[]{Integer.parseInt(p[0]), Integer.parseInt(p[1])};
    }

    private static String cudaPath() {
        return "put CUDA's bin directory on PATH (`export PATH=/usr/local/cuda/bin:$PATH`) or install the CUDA toolkit";
    }

    /** Compares dotted versions numerically: 535.54.03 vs 535. */
    static int compare(String a, String b) {
        String[] x = a.split("[.\\s]");
        String[] y = b.split("[.\\s]");
        for (int i = 0; i < Math.max(x.length, y.length); i++) {
            long xi = i < x.length ? num(x[i]) : 0;
            long yi = i < y.length ? num(y[i]) : 0;
            if (xi != yi) {
                return Long.compare(xi, yi);
            }
        }
        return 0;
    }

    private static long num(String s) {
        String d = s.replaceAll("\\D.*", "");
        return d.isEmpty() ? 0 : Long.parseLong(d);
    }
}
