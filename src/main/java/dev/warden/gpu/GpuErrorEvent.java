package dev.warden.gpu;

/**
 * One kind of GPU error found in the kernel log, with how often it appeared and its first line.
 *
 * @param xid the NVIDIA Xid, or null for the other kinds
 * @param pci the GPU's PCI address as the log names it, or null
 */
public record GpuErrorEvent(Kind kind, Integer xid, String pci, GpuAction action, int count, String firstLine) {

    public enum Kind { NVIDIA_XID, NVIDIA_FELL_OFF_BUS, AMD_SMU_NO_RESPONSE, AMD_LOST_FROM_BUS }

    public String describe() {
        String where = pci == null ? "" : " on " + pci;
        String times = count > 1 ? " (" + count + " times)" : "";
        return switch (kind) {
            case NVIDIA_XID -> "Xid " + xid + where + times;
            case NVIDIA_FELL_OFF_BUS -> "GPU" + where + " fell off the bus" + times;
            case AMD_SMU_NO_RESPONSE -> "AMD SMU answered 0xFFFFFFFF" + where + times;
            case AMD_LOST_FROM_BUS -> "AMD GPU" + where + " lost from bus" + times;
        };
    }
}
