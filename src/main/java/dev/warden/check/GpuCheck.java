package dev.warden.check;

import dev.warden.gpu.GpuExclusions;
import dev.warden.gpu.GpuInfo;
import dev.warden.gpu.GpuProbeResult;
import dev.warden.gpu.NvidiaSmi;
import dev.warden.spec.Sizes;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * gpu: the node's GPUs as nvidia-smi / rocm-smi report them.
 * `- gpu: {count: 8, model: H100, min_free_memory: 70GiB, max_temperature: 85, exclusive: true}`.
 * FAIL: fewer GPUs than asked, wrong model, uncorrected ECC errors, failed row remapping, a GPU the
 * tool calls broken, too little free memory. WARN: fewer GPUs left than asked once exclusions are
 * taken out, pending page retirement or row remapping, thermal/power clock slowdown, temperature
 * above max, memory held by other processes, MIG mode, no GPU tool at all. Excluded GPUs are not judged.
 */
final class GpuCheck implements Check {
    private final Integer count;
    private final String model;
    private final Long minFreeBytes;
    private final int maxTemperature;
    private final boolean exclusive;

    private GpuCheck(Integer count, String model, Long minFreeBytes, int maxTemperature, boolean exclusive) {
        this.count = count;
        this.model = model;
        this.minFreeBytes = minFreeBytes;
        this.maxTemperature = maxTemperature;
        this.exclusive = exclusive;
    }

    static Check create(CheckArgs a) {
        a.allow("count", "model", "min_free_memory", "max_temperature", "exclusive");
        Integer count = a.isMap() ? a.integer("count", null) : null;
        String scalar = a.isMap() ? null : a.main("count");
        if (scalar != null) {
            if (!scalar.strip().matches("\\d{1,4}")) {
                throw a.error(null, "`" + scalar + "` is not a GPU count", "write `- gpu: 8` or `- gpu: {count: 8, model: H100}`");
            }
            count = Integer.parseInt(scalar.strip());
        }
        long minFree = a.size("min_free_memory", -1);
        return new GpuCheck(count, a.string("model", null), minFree < 0 ? null : minFree,
                a.integer("max_temperature", 85), a.bool("exclusive", true));
    }

    private record Problem(boolean fail, String text, String fix) {}

    @Override
    public CheckResult run(CheckContext ctx) {
        Integer wanted = count != null ? count : ctx.input().gpusWanted();
        if (wanted != null && wanted == 0) {
            return CheckResult.pass("the job asks for no GPU (gpus: 0)");
        }
        GpuProbeResult probe = ctx.gpus();
        if (probe instanceof GpuProbeResult.NoTool) {
            String evidence = "no GPU tool on PATH (nvidia-smi, rocm-smi): Warden cannot see any GPU";
            if (wanted != null) {
                return CheckResult.fail(evidence + ", and the job asks for " + wanted,
                        "run on a GPU node with its driver installed, or put the driver's tools on PATH");
            }
            return CheckResult.warn(evidence, "on a GPU node, install the driver (it brings nvidia-smi/rocm-smi);"
                    + " on a CPU-only node, set `gpus: 0`");
        }
        if (probe instanceof GpuProbeResult.ToolFailed f) {
            String how = f.timedOut() ? "" : " (exit " + f.exitCode() + ")";
            return CheckResult.fail(f.tool() + " failed" + how + ": " + f.meaning(),
                    f.tool().equals(NvidiaSmi.TOOL) && !f.timedOut() ? NvidiaSmi.exitFix(f.exitCode())
                            : "run `" + f.tool() + "` by hand and check `dmesg` for GPU errors; reboot if it hangs");
        }
        return judge((GpuProbeResult.Found) probe, wanted, ctx.exclusions());
    }

    CheckResult judge(GpuProbeResult.Found found, Integer wanted, GpuExclusions exclusions) {
        List<GpuInfo> all = found.gpus();
        if (all.isEmpty()) {
            return wanted != null
                    ? CheckResult.fail(found.vendor().tool() + " lists no GPU, and the job asks for " + wanted,
                    "check the instance type and `lspci | grep -i -e nvidia -e amd`")
                    : CheckResult.warn(found.vendor().tool() + " lists no GPU", "check the instance type and the driver");
        }
        List<GpuInfo> usable = all.stream().filter(g -> !exclusions.isExcluded(g.index(), g.uuid())).toList();
        List<Problem> problems = new ArrayList<>();
        if (wanted != null && all.size() < wanted) {
            problems.add(new Problem(true, "the job asks for " + wanted + " GPUs; this node has " + all.size(),
                    "use a node with " + wanted + " GPUs, or lower `gpus:`"));
        } else if (wanted != null && usable.size() < wanted) {
            problems.add(new Problem(false, "the job asks for " + wanted + " GPUs; " + usable.size() + " of "
                    + all.size() + " remain after exclusions (" + excludedList(exclusions) + ")",
                    "`warden gpu include N` for a GPU that is healthy again, or lower `gpus:`"));
        }
        for (GpuInfo g : usable) {
            problems.addAll(problems(g));
        }
        List<Problem> fails = problems.stream().filter(Problem::fail).toList();
        List<Problem> warns = problems.stream().filter(p -> !p.fail()).toList();
        if (!fails.isEmpty()) {
            return CheckResult.fail(join(fails), fails.get(0).fix());
        }
        if (!warns.isEmpty()) {
            return CheckResult.warn(join(warns), warns.get(0).fix());
        }
        return CheckResult.pass(summary(found, usable, all.size() - usable.size()));
    }

    private List<Problem> problems(GpuInfo g) {
        List<Problem> out = new ArrayList<>();
        String id = g.label();
        String reset = "reset it with nothing running on it (`sudo nvidia-smi -r -i " + g.index() + "`) or reboot;"
                + " if it comes back, `warden gpu exclude " + g.index() + "`";
        if (g.fault() != null) {
            out.add(new Problem(true, id + " " + g.fault(), reset));
        }
        if (model != null && (g.name() == null || !g.name().toLowerCase(Locale.ROOT).contains(model.toLowerCase(Locale.ROOT)))) {
            out.add(new Problem(true, id + " is " + (g.name() == null ? "of unknown model" : g.name()) + ", not " + model,
                    "rent the GPU model the job was sized for, or change `model:`"));
        }
        if (g.eccUncorrectedVolatile() != null && g.eccUncorrectedVolatile() > 0) {
            out.add(new Problem(true, id + ": " + g.eccUncorrectedVolatile() + " uncorrected ECC errors since the driver loaded", reset));
        }
        if (Boolean.TRUE.equals(g.rowRemapFailure())) {
            out.add(new Problem(true, id + ": row remapping failed (memory cannot repair itself)",
                    "the GPU needs service: `warden gpu exclude " + g.index() + " --reason 'row remap failure'` and tell the provider"));
        }
        if (minFreeBytes != null && g.memoryFreeMib() != null && (g.memoryFreeMib() << 20) < minFreeBytes) {
            out.add(new Problem(true, id + ": " + Sizes.format(g.memoryFreeMib() << 20) + " free, the job needs "
                    + Sizes.format(minFreeBytes), "stop the processes on it (`nvidia-smi` lists them) or lower `min_free_memory`"));
        }
        if (Boolean.TRUE.equals(g.rowRemapPending())) {
            out.add(new Problem(false, id + ": a row remapping is pending", "reset the GPU or reboot to apply it"));
        }
        if (Boolean.TRUE.equals(g.retiredPagesPending())) {
            out.add(new Problem(false, id + ": a page retirement is pending", "reset the GPU or reboot to apply it"));
        }
        if (exclusive && g.memoryUsedMib() != null && g.memoryTotalMib() != null
                && g.memoryUsedMib() > Math.max(1024, g.memoryTotalMib() / 20)) {
            out.add(new Problem(false, id + ": " + Sizes.format(g.memoryUsedMib() << 20) + " of "
                    + Sizes.format(g.memoryTotalMib() << 20) + " already in use by other processes",
                    "another job holds this GPU: stop it, or set `exclusive: false` if sharing is intended"));
        }
        if (!g.throttleReasons().isEmpty()) {
            out.add(new Problem(false, id + ": clocks slowed (" + String.join(", ", g.throttleReasons()) + ")",
                    "check cooling, airflow and power delivery; the run will be slower until it stops"));
        }
        if (g.temperatureC() != null && g.temperatureC() > maxTemperature) {
            out.add(new Problem(false, id + " at " + g.temperatureC() + "°C (max " + maxTemperature + "°C)",
                    "check cooling and fans before a long run"));
        }
        if (Boolean.TRUE.equals(g.migEnabled())) {
            out.add(new Problem(false, id + " is in MIG mode: CUDA sees its MIG slices, not the whole GPU",
                    "disable MIG (`sudo nvidia-smi -i " + g.index() + " -mig 0`, then reset) unless a slice is what the job wants"));
        }
        return out;
    }

    private static String join(List<Problem> ps) {
        String s = ps.get(0).text();
        if (ps.size() > 1) {
            s += "; " + ps.get(1).text();
        }
        if (ps.size() > 2) {
            s += " (+" + (ps.size() - 2) + " more)";
        }
        return s;
    }

    private static String excludedList(GpuExclusions exclusions) {
        List<String> out = new ArrayList<>();
        for (GpuExclusions.Exclusion e : exclusions.list()) {
            out.add("GPU " + e.gpu() + (e.reason() == null || e.reason().isBlank() ? "" : ": " + e.reason()));
        }
        return String.join(", ", out);
    }

    static String summary(GpuProbeResult.Found found, List<GpuInfo> usable, int excluded) {
        Set<String> names = new LinkedHashSet<>();
        Long minFree = null;
        Integer tMin = null;
        Integer tMax = null;
        boolean eccKnown = false;
        for (GpuInfo g : usable) {
            names.add(g.name() == null ? "unknown model" : g.name());
            if (g.memoryFreeMib() != null) {
                minFree = minFree == null ? g.memoryFreeMib() : Math.min(minFree, g.memoryFreeMib());
            }
            if (g.temperatureC() != null) {
                tMin = tMin == null ? g.temperatureC() : Math.min(tMin, g.temperatureC());
                tMax = tMax == null ? g.temperatureC() : Math.max(tMax, g.temperatureC());
            }
            eccKnown |= g.eccUncorrectedVolatile() != null;
        }
        StringBuilder b = new StringBuilder();
        b.append(usable.size()).append("x ").append(String.join(" + ", names));
        if (found.driverVersion() != null) {
            b.append(" (driver ").append(found.driverVersion()).append(')');
        }
        if (minFree != null) {
            b.append(", ").append(Sizes.format(minFree << 20)).append(usable.size() > 1 ? " free or more each" : " free");
        }
        if (tMin != null) {
            b.append(", ").append(tMin.equals(tMax) ? tMin + "°C" : tMin + "-" + tMax + "°C");
        }
        b.append(eccKnown ? ", no uncorrected ECC errors" : ", ECC not reported");
        if (excluded > 0) {
            b.append(", ").append(excluded).append(" excluded");
        }
        return b.toString();
    }
}
