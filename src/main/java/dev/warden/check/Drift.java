package dev.warden.check;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeSet;

/**
 * What changed between warden.lock and the stack now. When torch, its CUDA/HIP build, nvcc or
 * python moved, the compiled extensions still installed were built for the old one and may fail
 * at import or, worse, at the first kernel ("undefined symbol", illegal memory access).
 */
public record Drift(List<String> stackChanges, List<String> otherChanges, List<String> atRisk) {

    /** Packages with native code built against torch/CUDA (PEP 503 names). */
    static final Set<String> COMPILED = Set.of(
            "flash-attn", "flash-attn-3", "transformer-engine", "transformer-engine-torch", "transformer-engine-cu12",
            "apex", "nvidia-apex", "bitsandbytes", "xformers", "deepspeed", "torch-scatter", "torch-sparse",
            "torch-cluster", "torch-spline-conv", "pyg-lib", "torchvision", "torchaudio", "vllm", "mamba-ssm",
            "causal-conv1d", "pytorch3d", "detectron2", "megablocks", "grouped-gemm", "auto-gptq", "autoawq-kernels",
            "exllamav2", "flashinfer-python", "natten", "torchao", "fused-dense-lib", "dropout-layer-norm");

    public boolean none() {
        return stackChanges.isEmpty() && otherChanges.isEmpty();
    }

    public static Drift between(EnvSnapshot locked, EnvSnapshot now) {
        List<String> stack = new ArrayList<>();
        change(stack, "python", locked.pythonVersion(), now.pythonVersion());
        change(stack, "torch", locked.torch(), now.torch());
        change(stack, "torch CUDA", locked.torchCuda(), now.torchCuda());
        change(stack, "torch HIP", locked.torchHip(), now.torchHip());
        change(stack, "nvcc", locked.nvcc(), now.nvcc());
        List<String> other = new ArrayList<>();
        change(other, "GPU driver", locked.driver(), now.driver());
        Set<String> names = new TreeSet<>(locked.packages().keySet());
        names.addAll(now.packages().keySet());
        List<String> changed = new ArrayList<>();
        List<String> added = new ArrayList<>();
        List<String> removed = new ArrayList<>();
        for (String n : names) {
            if (n.equals("torch")) {
                continue;
            }
            String a = locked.packages().get(n);
            String b = now.packages().get(n);
            if (a == null) {
                added.add(n + " " + b);
            } else if (b == null) {
                removed.add(n + " " + a);
            } else if (!a.equals(b)) {
                changed.add(n + " " + a + " -> " + b);
            }
        }
        if (!changed.isEmpty()) {
            other.add("changed: " + String.join(", ", changed));
        }
        if (!added.isEmpty()) {
            other.add("added: " + String.join(", ", added));
        }
        if (!removed.isEmpty()) {
            other.add("removed: " + String.join(", ", removed));
        }
        List<String> risk = new ArrayList<>();
        if (!stack.isEmpty()) {
            for (Map.Entry<String, String> p : now.packages().entrySet()) {
                if (COMPILED.contains(p.getKey())) {
                    risk.add(p.getKey() + " " + p.getValue());
                }
            }
        }
        return new Drift(stack, other, risk);
    }

    private static void change(List<String> out, String what, String before, String after) {
        if (!Objects.equals(before, after)) {
            out.add(what + " " + (before == null ? "(none)" : before) + " -> " + (after == null ? "(none)" : after));
        }
    }
}
