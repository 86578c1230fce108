package dev.warden.diagnose;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import java.util.List;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.params.provider.Arguments.arguments;

/**
 * One real log per category (SOURCES.md names where each comes from): the verdict a user reads,
 * and the evidence line must be the line of the file that says so.
 */
class FixtureVerdictsTest {
    private static final Diagnoser DIAGNOSER = Fixtures.diagnoser();

    static Stream<Arguments> fixtures() {
        ExitInfo none = ExitInfo.unknown();
        return Stream.of(
                arguments("cuda_oom.txt", ExitInfo.code(1), "cuda_oom", "cuda-oom", true, "Tried to allocate 22.00 MiB"),
                arguments("cuda_oom_hip.txt", ExitInfo.code(1), "cuda_oom", "cuda-oom", true, "HIP out of memory"),
                arguments("host_oom_kernel.txt", ExitInfo.code(137), "host_oom", "oom-killer", true, "oom-kill:constraint"),
                arguments("host_oom_slurm.txt", ExitInfo.code(137), "host_oom", "slurm-oom-kill", true, "oom-kill event"),
                arguments("local/local_cpu_alloc_oom.txt", ExitInfo.code(1), "host_oom", "cpu-allocator", true, "DefaultCPUAllocator"),
                arguments("nccl_timeout.txt", ExitInfo.signal(6), "nccl_error", "nccl-watchdog-timeout", true, "Watchdog caught collective operation timeout"),
                arguments("nccl_error.txt", ExitInfo.code(1), "nccl_error", "nccl-error", true, "NCCL error in:"),
                arguments("cuda_illegal_access.txt", ExitInfo.code(1), "cuda_illegal_access", "illegal-memory-access", false, "illegal memory access"),
                arguments("device_side_assert.txt", ExitInfo.code(1), "cuda_illegal_access", "device-side-assert", false, "Assertion `t >= 0 && t < n_classes` failed"),
                arguments("rocm_memory_fault.txt", ExitInfo.code(134), "cuda_illegal_access", "illegal-memory-access", false, "Memory access fault by GPU node-2"),
                arguments("xid79_fallen_off_bus.txt", none, "gpu_hardware", "xid-fallen-off-bus", false, "fallen off the bus"),
                arguments("xid48_reset.txt", none, "gpu_hardware", "xid-reset-required", false, "): 48, pid="),
                arguments("xid13_restart.txt", none, "gpu_hardware", "xid-restart-app", true, "): 13, pid="),
                arguments("ecc_uncorrectable.txt", ExitInfo.code(1), "gpu_hardware", "ecc-uncorrectable", false, "uncorrectable ECC error"),
                arguments("amd_smu_0xffffffff.txt", none, "gpu_hardware", "amdgpu-smu-dead", false, "SMU: response:0xFFFFFFFF"),
                arguments("amd_lost_from_bus.txt", none, "gpu_hardware", "amdgpu-lost-from-bus", false, "device lost from bus!"),
                arguments("driver_too_old.txt", ExitInfo.code(1), "driver_mismatch", "driver-too-old", false, "driver on your system is too old"),
                arguments("nvml_mismatch.txt", ExitInfo.code(75), "driver_mismatch", "nvml-version-mismatch", false, "Driver/library version mismatch"),
                arguments("no_gpu.txt", ExitInfo.code(1), "no_gpu", "no-cuda-gpus", false, "No CUDA GPUs are available"),
                arguments("abi_undefined_symbol.txt", ExitInfo.code(1), "abi_mismatch", "undefined-symbol", false, "undefined symbol: _ZN3c10"),
                arguments("local/local_missing_module.txt", ExitInfo.code(1), "missing_dependency", "no-module-named", false, "No module named 'natsort'"),
                arguments("pip_no_distribution.txt", ExitInfo.code(1), "missing_dependency", "pip-no-distribution", false, "Could not find a version"),
                arguments("disk_full.txt", ExitInfo.code(1), "disk_full", "no-space-left", false, "[Errno 28] No space left on device"),
                arguments("torch_save_write_failed.txt", ExitInfo.code(1), "disk_full", "torch-save-write-failed", false, "PytorchStreamWriter failed writing file"),
                arguments("nan_lightning.txt", ExitInfo.code(0), "nan_loss", "lightning-not-finite", false, "is not finite"),
                arguments("nan_deepspeed_loss_scale.txt", ExitInfo.code(1), "nan_loss", "deepspeed-loss-scale-minimum", false, "Current loss scale already at minimum"),
                arguments("local/local_anomaly_nan.txt", ExitInfo.code(1), "nan_loss", "anomaly-nan", false, "returned nan values"),
                arguments("access_denied_gated.txt", ExitInfo.code(1), "access_denied", "hf-gated-repo", false, "GatedRepoError"),
                arguments("checkpoint_zip_corrupt.txt", ExitInfo.code(1), "checkpoint_corrupt", "torch-zip-corrupt", false, "failed finding central directory"),
                arguments("local/local_truncated_ckpt.txt", ExitInfo.code(1), "checkpoint_corrupt", "torch-zip-corrupt", false, "PytorchStreamReader"),
                arguments("checkpoint_safetensors_header.txt", ExitInfo.code(1), "checkpoint_corrupt", "safetensors-header", false, "MetadataIncompleteBuffer"),
                arguments("local/local_state_dict_mismatch.txt", ExitInfo.code(1), "config_mismatch", "state-dict-mismatch", false, "Error(s) in loading state_dict for Linear"),
                arguments("network_client_socket_timeout.txt", ExitInfo.code(1), "network", "c10d-connect-timeout", true, "client socket has timed out"),
                arguments("network_ssh_no_route.txt", ExitInfo.code(1), "network", "ssh-connect-failed", true, "No route to host"),
                arguments("network_hub_offline.txt", ExitInfo.code(1), "network", "hub-unreachable", true, "couldn't connect to 'https://huggingface.co'"),
                arguments("local/local_gloo_rank1_kill.txt", ExitInfo.code(1), "network", "peer-connection-lost", true, "Connection closed by peer"),
                arguments("local/local_segfault.txt", ExitInfo.code(139), "segfault", "segmentation-fault", true, "Fatal Python error: Segmentation fault"),
                arguments("segfault_deepspeed.txt", ExitInfo.code(1), "segfault", "segmentation-fault", true, "return code = -11"),
                arguments("killed_sigkill_deepspeed.txt", ExitInfo.code(1), "killed", "rank-sigkill", true, "return code = -9"),
                arguments("hang_faulthandler.txt", ExitInfo.code(1), "hang", "faulthandler-timeout", true, "Timeout (0:00:15)!"),
                arguments("local/local_faulthandler_timeout.txt", ExitInfo.code(1), "hang", "faulthandler-timeout", true, "Timeout (0:00:01)!"),
                arguments("command_not_found_dash.txt", ExitInfo.code(127), "command_not_found", "command-not-found", false, "torchrun: not found"),
                arguments("local/local_command_not_found.txt", ExitInfo.code(127), "command_not_found", "command-not-found", false, "command not found"),
                arguments("h200/torch211_cuda_oom.txt", ExitInfo.code(1), "cuda_oom", "cuda-oom", true, "Tried to allocate 201.31 GiB"),
                arguments("h200/torch211_cuda_oom_other_process.txt", ExitInfo.code(1), "cuda_oom", "cuda-oom", true, "Process 1172 has 56.43 GiB memory in use"),
                arguments("h200/nccl_duplicate_gpu_torchrun.txt", ExitInfo.code(1), "nccl_error", "nccl-duplicate-gpu", false, "Duplicate GPU detected : rank 0 and rank 1 both on CUDA device"),
                arguments("h200/torch211_device_side_assert.txt", ExitInfo.code(1), "cuda_illegal_access", "device-side-assert", false, "Assertion `srcIndex < srcSelectDimSize` failed"),
                arguments("h200/torch211_invalid_device_ordinal.txt", ExitInfo.code(1), "no_gpu", "invalid-device-ordinal", false, "torch.AcceleratorError: CUDA error: invalid device ordinal"));
    }

    @ParameterizedTest(name = "{0} -> {2}")
    @MethodSource("fixtures")
    void classifiesRealLog(String fixture, ExitInfo exit, String category, String rule, boolean retryable, String evidence) {
        Verdict v = DIAGNOSER.classify(Fixtures.path(fixture), exit);

        assertThat(v.category()).as(v.summary()).isEqualTo(category);
        assertThat(v.ruleId()).isEqualTo(rule);
        assertThat(v.retryable()).isEqualTo(retryable);
        Evidence primary = v.evidence().get(0);
        assertThat(primary.text()).contains(evidence);
        List<String> lines = Fixtures.lines(fixture);
        assertThat(lines.get(primary.line() - 1)).as("evidence line %d of %s", primary.line(), fixture).contains(evidence);
    }
}
