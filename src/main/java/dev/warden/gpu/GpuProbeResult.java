package dev.warden.gpu;

import java.util.List;

/** What asking the node's GPU tool gave: no tool, a tool that failed (and what that means), or GPUs. */
public sealed interface GpuProbeResult {

    /** Neither nvidia-smi nor rocm-smi is on PATH. */
    record NoTool(List<String> lookedFor) implements GpuProbeResult {}

    /**
     * The tool ran and failed. {@code meaning} is the tool's documented meaning of its exit code
     * (nvidia-smi 9: driver not loaded, 15: a GPU fell off the bus, ...) or its own last line.
     */
    record ToolFailed(String tool, int exitCode, boolean timedOut, String meaning, String lastLine)
            implements GpuProbeResult {}

    record Found(GpuVendor vendor, String driverVersion, List<GpuInfo> gpus) implements GpuProbeResult {
        public Found {
            gpus = List.copyOf(gpus);
        }
    }
}
