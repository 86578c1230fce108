package dev.warden.check;

import dev.warden.gpu.GpuExclusions;
import dev.warden.gpu.GpuProbe;
import dev.warden.gpu.GpuProbeResult;
import dev.warden.gpu.ToolRunner;
import dev.warden.store.WardenHome;

import java.nio.file.Path;
import java.util.Map;

/**
 * What checks may use: the job's input, the tools of this node (with the environment the job will
 * see), Warden's home, and node facts computed once and shared (the GPU probe).
 */
public final class CheckContext {
    private final PreflightInput input;
    private final ToolRunner tools;
    private final WardenHome home;
    private final Memo<GpuProbeResult> gpus;
    private final Memo<GpuExclusions> exclusions;
    private final Memo<String> nvcc;

    public CheckContext(PreflightInput input, ToolRunner tools, WardenHome home) {
        this.input = input;
        this.tools = tools;
        this.home = home;
        this.gpus = new Memo<>(() -> GpuProbe.probe(tools));
        this.exclusions = new Memo<>(() -> GpuExclusions.load(home));
        this.nvcc = new Memo<>(() -> EnvProbe.nvcc(tools));
    }

    public PreflightInput input() {
        return input;
    }

    public ToolRunner tools() {
        return tools;
    }

    public Map<String, String> env() {
        return tools.env();
    }

    public WardenHome home() {
        return home;
    }

    public Path workdir() {
        return input.workdir();
    }

    /** The node's GPUs, probed once for every check that asks. */
    public GpuProbeResult gpus() {
        return gpus.get();
    }

    /** The CUDA release of the nvcc on PATH ("12.4"), or null when there is none; asked once. */
    public String nvccRelease() {
        return nvcc.get();
    }

    public GpuExclusions exclusions() {
        return exclusions.get();
    }

    /** A path from warden.yaml: ~ is the home directory, a relative path is relative to the workdir. */
    public Path resolve(String path) {
        if (path.equals("~") || path.startsWith("~/")) {
            String userHome = env().getOrDefault("HOME", System.getProperty("user.home"));
            return Path.of(userHome + path.substring(1)).normalize();
        }
        return workdir().resolve(path).normalize();
    }
}
