package dev.warden.gpu;

import java.util.Map;

/**
 * The action for each NVIDIA Xid, after NVIDIA's Xid catalog
 * (https://docs.nvidia.com/deploy/xid-errors/). Codes not listed read as UNKNOWN.
 */
public final class XidCatalog {
    private static final Map<Integer, GpuAction> ACTIONS = Map.ofEntries(
            Map.entry(13, GpuAction.RESTART_APP),   // graphics engine exception
            Map.entry(31, GpuAction.RESTART_APP),   // GPU memory page fault
            Map.entry(43, GpuAction.RESTART_APP),   // GPU stopped processing (application fault)
            Map.entry(45, GpuAction.INFO),          // preemptive cleanup after an earlier error
            Map.entry(94, GpuAction.RESTART_APP),   // contained ECC error
            Map.entry(48, GpuAction.RESET_GPU),     // double-bit ECC error
            Map.entry(62, GpuAction.RESET_GPU),     // internal micro-controller halt
            Map.entry(64, GpuAction.RESET_GPU),     // ECC page retirement or row remapping failure
            Map.entry(95, GpuAction.RESET_GPU),     // uncontained ECC error
            Map.entry(109, GpuAction.RESET_GPU),    // context switch timeout
            Map.entry(119, GpuAction.RESET_GPU),    // GSP RPC timeout
            Map.entry(120, GpuAction.RESET_GPU),    // GSP error
            Map.entry(140, GpuAction.RESET_GPU),    // unrecovered ECC error
            Map.entry(79, GpuAction.REBOOT),        // GPU has fallen off the bus
            Map.entry(63, GpuAction.INFO),          // ECC page retirement / row remapping recorded
            Map.entry(92, GpuAction.INFO));         // high single-bit ECC error rate

    private XidCatalog() {}

    public static GpuAction action(int xid) {
        return ACTIONS.getOrDefault(xid, GpuAction.UNKNOWN);
    }
}
