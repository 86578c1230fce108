package dev.warden.diagnose;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/** When several rules match, the verdict names the cause, not a symptom. */
class RootCauseTest {
    private static final Diagnoser DIAGNOSER = Fixtures.diagnoser();

    @Test
    void cudaOomInsideAnNcclErrorIsAnOom() {
        Verdict v = DIAGNOSER.classify(Fixtures.path("cuda_oom_inside_nccl.txt"), ExitInfo.code(1));

        assertThat(v.category()).isEqualTo("cuda_oom");
        assertThat(v.errorLine()).contains("Cuda failure 'out of memory'");
        assertThat(v.action()).isEqualTo(new Action.RetryWith("batch_size", true, 1));
    }

    @Test
    void otherRanksSegfaultBeatsTheSurvivorsConnectionClosedByPeer() {
        Verdict v = DIAGNOSER.classify(Fixtures.path("local/local_gloo_rank1_segv.txt"), ExitInfo.code(1));

        assertThat(v.category()).isEqualTo("segfault");
        assertThat(v.errorLine()).contains("Fatal Python error: Segmentation fault");
    }

    @Test
    void otherRanksHostOomBeatsTheSurvivorsConnectionClosedByPeer() {
        Verdict v = DIAGNOSER.classify(Fixtures.path("local/local_gloo_rank1_oom.txt"), ExitInfo.code(1));

        assertThat(v.category()).isEqualTo("host_oom");
        assertThat(v.retryable()).as("retried once: the same OOM twice in a row stops (SpecAdvisor)").isTrue();
        assertThat(v.errorLine()).contains("DefaultCPUAllocator: can't allocate memory");
    }

    @Test
    void aKilledRankWithoutEvidenceOfWhyLeavesTheNetworkSymptomAndIsRetryable() {
        Verdict v = DIAGNOSER.classify(Fixtures.path("local/local_gloo_rank1_kill.txt"), ExitInfo.code(1));

        assertThat(v.category()).isEqualTo("network");
        assertThat(v.retryable()).isTrue();
    }

    @Test
    void theKernelsOomKillerLineNamesTheCauseOfTheKilledRank() {
        String dmesg = Fixtures.text("host_oom_kernel.txt");

        Verdict v = DIAGNOSER.classify(Fixtures.path("local/local_gloo_rank1_kill.txt"), ExitInfo.code(137), false, dmesg);

        assertThat(v.category()).isEqualTo("host_oom");
        assertThat(v.evidence().get(0)).isEqualTo(new Evidence(0,
                "kernel: 2024-04-29T14:55:41,679685+02:00 oom-kill:constraint=CONSTRAINT_NONE,nodemask=(null),cpuset=/,mems_allowed=0,global_oom,task_memcg=/user.slice/user-21417.slice/user@21417.service,task=perl,pid=1440763,uid=21417"));
    }

    @Test
    void theFirstErrorOfAnExceptionChainBeatsTheErrorRaisedWhileHandlingIt() {
        // real ENOSPC, then a failed allocation in the except block: host_oom would outrank disk_full
        Verdict v = DIAGNOSER.classify(Fixtures.path("local/local_chain_disk_full_then_alloc.txt"), ExitInfo.code(1));

        assertThat(v.category()).isEqualTo("disk_full");
        assertThat(v.evidence().get(0)).isEqualTo(new Evidence(3, "OSError: [Errno 28] No space left on device"));
    }

    @Test
    void anEchoStillCountsWhenTheFirstErrorMatchedNoRule() {
        Verdict v = DIAGNOSER.classify(Fixtures.path("local/local_exception_chain.txt"), ExitInfo.code(1));

        assertThat(v.category()).isEqualTo("cuda_oom");
        assertThat(v.errorLine()).isEqualTo("RuntimeError: CUDA error: out of memory");
    }

    @Test
    void aGpuResetXidOutranksTheRestartXidsBeforeItAndNamesTheGpu() {
        Verdict v = DIAGNOSER.classify(Fixtures.path("xid13_then_109.txt"), ExitInfo.unknown());

        assertThat(v.ruleId()).isEqualTo("xid-reset-required");
        assertThat(v.retryable()).isFalse();
        assertThat(v.action()).isEqualTo(new Action.ExcludeGpu("0000:cb:00"));
    }

    @Test
    void anXidThatOnlyAsksForARestartIsRetryable() {
        Verdict v = DIAGNOSER.classify(Fixtures.path("xid13_restart.txt"), ExitInfo.unknown());

        assertThat(v.retryable()).isTrue();
        assertThat(v.action()).isEqualTo(new Action.Retry());
    }

    @Test
    void gpuResetXidExcludesThatGpuByBusId() {
        Verdict v = DIAGNOSER.classify(Fixtures.path("xid48_reset.txt"), ExitInfo.unknown());

        assertThat(v.action()).isEqualTo(new Action.ExcludeGpu("0000:07:00"));
    }

    @Test
    void fallenOffTheBusMeansTheNodeNeedsARebootNotARetry() {
        Verdict v = DIAGNOSER.classify(Fixtures.path("xid79_fallen_off_bus.txt"), ExitInfo.unknown());

        assertThat(v.action()).isEqualTo(new Action.Stop());
        assertThat(v.suggestion()).contains("reboot");
    }

    @Test
    void amdSmuDeadExcludesThatGpu() {
        Verdict v = DIAGNOSER.classify(Fixtures.path("amd_smu_0xffffffff.txt"), ExitInfo.unknown());

        assertThat(v.action()).isEqualTo(new Action.ExcludeGpu("0000:07:00.0"));
    }

    @Test
    void exitStatus137WithAnOomKillerLineIsHostOomButWithoutItOnlyKilled() {
        Verdict withLine = DIAGNOSER.classifyText(Fixtures.text("host_oom_kernel.txt"), ExitInfo.code(137));
        Verdict without = DIAGNOSER.classifyText("step 10 loss=1.2\nstep 11 loss=1.1\n", ExitInfo.code(137));

        assertThat(withLine.category()).isEqualTo("host_oom");
        assertThat(without.category()).isEqualTo("killed");
        assertThat(without.retryable()).isTrue();
        assertThat(without.evidence()).first().isEqualTo(new Evidence(0, "exit status 137 (SIGKILL)"));
        assertThat(without.evidence()).contains(new Evidence(2, "step 11 loss=1.1"));
    }

    @Test
    void exitStatus139IsASegfaultAnd127ACommandNotFoundThatIsNotRetried() {
        assertThat(DIAGNOSER.classifyText("", ExitInfo.code(139)).category()).isEqualTo("segfault");
        assertThat(DIAGNOSER.classifyText("", ExitInfo.signal(11)).category()).isEqualTo("segfault");
        Verdict notFound = DIAGNOSER.classifyText("", ExitInfo.code(127));
        assertThat(notFound.category()).isEqualTo("command_not_found");
        assertThat(notFound.retryable()).isFalse();
    }

    @Test
    void aLogLineOutranksTheBareExitStatusOfTheSameCategoryPriority() {
        Verdict v = DIAGNOSER.classify(Fixtures.path("local/local_segfault.txt"), ExitInfo.code(139));

        assertThat(v.ruleId()).isEqualTo("segmentation-fault");
        assertThat(v.evidence().get(0).line()).isEqualTo(1);
    }

    @Test
    void aDeviceSideAssertOutranksTheXid43ItLeavesInTheKernelLog() throws Exception {
        String dmesg = Fixtures.text("h200/xid43_device_side_assert.txt");

        Verdict withAssert = DIAGNOSER.classify(Fixtures.path("h200/torch211_device_side_assert.txt"), ExitInfo.code(1), false, dmesg);
        Verdict kernelOnly = DIAGNOSER.classify(Fixtures.path("h200/xid43_device_side_assert.txt"), ExitInfo.unknown());

        assertThat(withAssert.ruleId()).isEqualTo("device-side-assert");
        assertThat(withAssert.retryable()).isFalse();
        assertThat(kernelOnly.ruleId()).isEqualTo("xid-restart-app");
        assertThat(kernelOnly.action()).isEqualTo(new Action.Retry());
    }

    @Test
    void evidenceCarriesTheTracebackHead() {
        Verdict v = DIAGNOSER.classify(Fixtures.path("device_side_assert.txt"), ExitInfo.code(1));

        assertThat(v.evidence()).contains(
                new Evidence(6, "Traceback (most recent call last):"),
                new Evidence(9, "File \"train.py\", line 379, in train_model"));
        assertThat(v.evidence().get(0).line()).isEqualTo(4);
    }
}
