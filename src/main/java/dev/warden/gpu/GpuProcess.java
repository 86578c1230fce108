package dev.warden.gpu;

/**
 * A process holding GPU memory. {@code gpu} is the GPU's UUID (NVIDIA) or "count:N" for rocm-smi,
 * which reports how many GPUs the process uses but not which. {@code usedMib} is null when unknown.
 */
public record GpuProcess(long pid, String gpu, Long usedMib, String name) {}
