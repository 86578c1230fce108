package dev.warden.gpu;

public enum GpuVendor {
    NVIDIA("nvidia-smi"),
    AMD("rocm-smi");

    private final String tool;

    GpuVendor(String tool) {
        this.tool = tool;
    }

    public String tool() {
        return tool;
    }
}
