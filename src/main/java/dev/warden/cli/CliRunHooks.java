package dev.warden.cli;

import dev.warden.check.Preflight;
import dev.warden.check.PreflightInputs;
import dev.warden.check.CheckResult;
import dev.warden.check.PreflightReport;
import dev.warden.gpu.GpuExclusions;
import dev.warden.gpu.GpuInfo;
import dev.warden.gpu.GpuProbe;
import dev.warden.gpu.GpuProbeResult;
import dev.warden.gpu.GpuProcesses;
import dev.warden.gpu.ToolRunner;
import dev.warden.spec.LoadedSpec;
import dev.warden.store.WardenHome;
import dev.warden.supervise.RunHooks;

import java.time.Instant;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/** Preflight checks and GPU placement for `warden run`, from the check and gpu packages. */
final class CliRunHooks implements RunHooks {
    private final LoadedSpec loaded;
    private final WardenHome home;
    private final Set<String> skip;
    private final ToolRunner tools = ToolRunner.system();
    private GpuProbeResult probe;

    CliRunHooks(LoadedSpec loaded, WardenHome home, Set<String> skip) {
        this.loaded = loaded;
        this.home = home;
        this.skip = skip;
    }

    @Override
    public Preflight preflight() {
        PreflightReport report = dev.warden.check.Preflight.run(PreflightInputs.from(loaded).withSkip(skip),
                dev.warden.check.CheckRegistry.builtIn(), tools, home);
        List<String> lines = report.table().lines().toList();
        List<String> warnings = report.results().stream().filter(r -> r.status() == CheckResult.Status.WARN)
                .map(r -> "WARN " + r.check() + ": " + r.evidence() + (r.fix().isBlank() ? "" : " — " + r.fix())).toList();
        return new RunHooks.Preflight(!report.hasFail(), lines, report.skipped().stream().map(s -> s.check()).toList(),
                report.summary(), warnings);
    }

    @Override
    public Map<String, String> deviceEnv(Map<String, String> jobEnv) {
        return found().map(f -> GpuExclusions.load(home).visibleDevicesEnv(f, jobEnv)).orElse(Map.of());
    }

    @Override
    public void excludeGpu(String gpu, String reason) {
        Optional<GpuInfo> match = found().flatMap(f -> f.gpus().stream().filter(g -> matches(g, gpu)).findFirst());
        if (match.isPresent()) {
            GpuExclusions.load(home).exclude(match.get().index(), match.get().uuid(), reason, Instant.now());
        } else if (gpu.matches("\\d+")) {
            GpuExclusions.load(home).exclude(Integer.parseInt(gpu), null, reason, Instant.now());
        }
    }

    @Override
    public List<String> gpuHolders(Set<Long> pids) {
        if (found().isEmpty()) {
            return List.of();
        }
        return GpuProcesses.holding(pids, tools).stream().map(p -> "pid " + p.pid() + " holds " + p.usedMib() + " MiB on GPU " + p.gpu()).toList();
    }

    @Override
    public List<String> gpuHoldersOutside(Set<Long> jobPids) {
        if (found().isEmpty()) {
            return List.of();
        }
        long self = ProcessHandle.current().pid();
        return GpuProcesses.all(tools).stream().filter(p -> p.pid() != self && !jobPids.contains(p.pid()))
                .map(p -> "pid " + p.pid() + (p.name().isBlank() ? "" : " (" + p.name() + ")") + " holds " + p.usedMib()
                        + " MiB on GPU " + p.gpu()).toList();
    }

    private Optional<GpuProbeResult.Found> found() {
        if (probe == null) {
            probe = GpuProbe.probe(tools);
        }
        return probe instanceof GpuProbeResult.Found f ? Optional.of(f) : Optional.empty();
    }

    /** "0000:07:00" from a kernel line vs nvidia-smi's "00000000:07:00.0". */
    static boolean matches(GpuInfo g, String gpu) {
        if (gpu.matches("\\d+")) {
            return g.index() == Integer.parseInt(gpu);
        }
        return g.pciBusId() != null && normalise(g.pciBusId()).equals(normalise(gpu));
    }

    static String normalise(String bus) {
        String b = bus.toLowerCase(Locale.ROOT);
        if (b.endsWith(".0")) {
            b = b.substring(0, b.length() - 2);
        }
        String[] parts = b.split(":");
        if (parts.length == 3) {
            return Integer.parseInt(parts[0], 16) + ":" + parts[1] + ":" + parts[2];
        }
        return b;
    }
}
