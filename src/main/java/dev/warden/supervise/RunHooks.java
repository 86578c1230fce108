package dev.warden.supervise;

import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * What the supervisor asks of the machine around it, provided by the caller (preflight checks and GPU probes
 * live in packages above this one).
 */
public interface RunHooks {

    /** Runs before the first attempt; a failed preflight means no attempt starts. */
    default Preflight preflight() {
        return new Preflight(true, List.of(), List.of(), "no preflight checks", List.of());
    }

    /** CUDA_VISIBLE_DEVICES and friends for the next attempt: every GPU minus the excluded ones; empty = unchanged. */
    default Map<String, String> deviceEnv(Map<String, String> jobEnv) {
        return Map.of();
    }

    /** Keeps a GPU (index or PCI bus id) out of every later attempt and run. */
    default void excludeGpu(String gpu, String reason) {}

    /** Processes among `pids` that still hold GPU memory, one line each. */
    default List<String> gpuHolders(Set<Long> pids) {
        return List.of();
    }

    /** Processes that hold GPU memory and are not among `jobPids` (nor Warden itself), one line each. */
    default List<String> gpuHoldersOutside(Set<Long> jobPids) {
        return List.of();
    }

    /**
     * @param passed  no check failed
     * @param lines   the report, one line per check
     * @param skipped ids of checks skipped on request
     * @param warnings one line per WARN (check, evidence, fix): shown when the run starts, not only counted
     */
    record Preflight(boolean passed, List<String> lines, List<String> skipped, String summary, List<String> warnings) {}

    RunHooks NONE = new RunHooks() {};
}
