package dev.warden.diagnose;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/** Precision over recall: healthy logs and warnings must not be called failures. */
class NegativesTest {
    private static final Diagnoser DIAGNOSER = Fixtures.diagnoser();

    @Test
    void healthyLogWithEvalErrorRateTqdmAndOomWarningsStaysUnknown() {
        Verdict v = DIAGNOSER.classify(Fixtures.path("negatives/healthy_metrics.txt"), ExitInfo.code(0));

        assertThat(v.category()).as(v.summary()).isEqualTo("unknown");
    }

    @Test
    void healthyLinesAroundARealErrorDoNotChangeItsVerdict() {
        String log = Fixtures.text("negatives/healthy_metrics.txt") + Fixtures.text("nccl_timeout.txt");

        Verdict v = DIAGNOSER.classifyText(log, ExitInfo.code(1));

        assertThat(v.category()).isEqualTo("nccl_error");
        assertThat(v.evidence().get(0).line()).isEqualTo(124);
    }

    @Test
    void aTqdmProgressBarIsNotAFailure() {
        Verdict v = DIAGNOSER.classify(Fixtures.path("local/local_tqdm.txt"), ExitInfo.code(0));

        assertThat(v.category()).isEqualTo("unknown");
        assertThat(v.evidence()).last().satisfies(e -> assertThat(e.text()).startsWith("100%|"));
    }

    @Test
    void informationalXidIsNotAGpuFailure() {
        Verdict v = DIAGNOSER.classify(Fixtures.path("xid63_informational.txt"), ExitInfo.unknown());

        assertThat(v.category()).isEqualTo("unknown");
    }

    @Test
    void warningsThatMentionOomAreNotAnOom() {
        String log = String.join("\n",
                "INFO 06-24 14:24:20 model_runner.py:893] CUDA graphs can take additional 1~3 GiB memory per GPU. If you are running out of memory, consider decreasing `gpu_memory_utilization` or enforcing eager mode. You can also reduce the `max_num_seqs` as needed to decrease memory usage.",
                "[2025-10-09 12:01:31,035] [WARNING] [stage3.py:2160:step] 1 pytorch allocator cache flushes since last step. this happens when there is high memory pressure and is detrimental to performance.",
                "[deepspeed] OVERFLOW! Rank 0 Skipping step. Attempted loss scale: 65536, reducing to 32768",
                "{'loss': 0.91, 'eval_error_rate': 0.12}", "");

        assertThat(DIAGNOSER.classifyText(log, ExitInfo.code(0)).category()).isEqualTo("unknown");
    }

    @Test
    void c10dConnectRetryWarningsWhileTheMasterStartsAreNotANetworkFailure() {
        // a torch.multiprocessing DDP run that went on to train normally (public write-up quoting its log)
        String log = String.join("\n",
                "[W socket.cpp:663] [c10d] The client socket has failed to connect to [localhost]:12345 (errno: 101 - Network is unreachable).",
                "GPU_Count: 4", "GPU:0 | Epoch: 0 | Batchsize: 32 | Steps: 32", "");

        assertThat(DIAGNOSER.classifyText(log, ExitInfo.code(0)).category()).isEqualTo("unknown");
        assertThat(DIAGNOSER.classifyText(log + "ConnectionRefusedError: [Errno 111] Connection refused\n", ExitInfo.code(1)).category())
                .isEqualTo("network");
    }

    @Test
    void sourceCodeQuotedInATracebackIsNotTheError() {
        Verdict v = DIAGNOSER.classify(Fixtures.path("local/local_state_dict_mismatch.txt"), ExitInfo.code(1));

        assertThat(v.evidence().get(0)).isEqualTo(new Evidence(5, "RuntimeError: Error(s) in loading state_dict for Linear:"));
        assertThat(v.evidence()).noneMatch(e -> e.text().startsWith("raise RuntimeError"));
    }

    @Test
    void anUnknownFailureShowsTheLastTracebackAndTheLastLines() {
        String log = String.join("\n", "step 1", "Traceback (most recent call last):", "  File \"train.py\", line 3, in <module>",
                "    main()", "KeyError: 'labels'", "");

        Verdict v = DIAGNOSER.classifyText(log, ExitInfo.code(1));

        assertThat(v.category()).isEqualTo("unknown");
        assertThat(v.retryable()).isTrue();
        assertThat(v.evidence()).contains(new Evidence(0, "exit status 1"), new Evidence(2, "Traceback (most recent call last):"),
                new Evidence(5, "KeyError: 'labels'"));
    }
}
