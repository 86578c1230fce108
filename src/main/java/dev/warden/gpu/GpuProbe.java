package dev.warden.gpu;

import java.time.Duration;
import java.util.List;

/** Asks whichever GPU tool the node has: nvidia-smi first, then rocm-smi. */
public final class GpuProbe {
    public static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(10);

    private GpuProbe() {}

    public static GpuProbeResult probe(ToolRunner tools) {
        return probe(tools, DEFAULT_TIMEOUT);
    }

    public static GpuProbeResult probe(ToolRunner tools, Duration timeout) {
        if (tools.which(NvidiaSmi.TOOL).isPresent()) {
            return NvidiaSmi.probe(tools, timeout);
        }
        if (tools.which(RocmSmi.TOOL).isPresent()) {
            return RocmSmi.probe(tools, timeout);
        }
        return new GpuProbeResult.NoTool(List.of(NvidiaSmi.TOOL, RocmSmi.TOOL));
    }
}
