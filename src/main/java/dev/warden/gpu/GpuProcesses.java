package dev.warden.gpu;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * After an attempt: which of the job's processes still hold GPU memory. The supervisor passes the
 * pids of the job's process tree and stops what comes back. Pids are as the GPU tool sees them: in a
 * container without the host's pid namespace nvidia-smi may show host pids that match nothing.
 */
public final class GpuProcesses {
    static final Duration TIMEOUT = Duration.ofSeconds(10);

    private GpuProcesses() {}

    public static List<GpuProcess> holding(Set<Long> pids) {
        return holding(pids, ToolRunner.system());
    }

    public static List<GpuProcess> holding(Set<Long> pids, ToolRunner tools) {
        List<GpuProcess> out = new ArrayList<>();
        for (GpuProcess p : all(tools)) {
            if (pids.contains(p.pid())) {
                out.add(p);
            }
        }
        return out;
    }

    /** Every compute process the node's GPU tools report; empty when there is no tool or it fails. */
    public static List<GpuProcess> all(ToolRunner tools) {
        List<GpuProcess> out = new ArrayList<>();
        if (tools.which(NvidiaSmi.TOOL).isPresent()) {
            ToolResult r = NvidiaSmi.computeApps(tools, TIMEOUT);
            if (r.ok()) {
                out.addAll(NvidiaSmi.parseComputeApps(r.stdout()));
            }
        }
        if (tools.which(RocmSmi.TOOL).isPresent()) {
            ToolResult r = RocmSmi.pids(tools, TIMEOUT);
            if (r.ok()) {
                out.addAll(RocmSmi.parsePids(r.stdout()));
            }
        }
        return out;
    }
}
