package dev.warden.gpu;

/** What a GPU error in the kernel log asks for, after NVIDIA's Xid catalog. */
public enum GpuAction {
    /** Informational; nothing to do (e.g. Xid 63: a row remapping was recorded). */
    INFO,
    /** The application hit it (bad kernel, illegal access): restart the job; fix the code if it repeats. */
    RESTART_APP,
    /** The GPU needs a reset (nvidia-smi -r) or a reboot before it can be trusted again. */
    RESET_GPU,
    /** The GPU fell off the bus or stopped answering: only a reboot (or a power cycle) brings it back. */
    REBOOT,
    /** Not in Warden's catalog; look it up. */
    UNKNOWN
}
