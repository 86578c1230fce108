package dev.warden.diagnose;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.warden.cli.Main;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayInputStream;
import java.io.InputStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/** `warden diagnose` as a user runs it: what is printed, and the exit status. */
class DiagnoseCommandTest {

    @TempDir
    Path tmp;

    private record Run(int code, String out, String err) {}

    private static Run warden(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int code = Main.execute(new PrintWriter(out), new PrintWriter(err), args);
        return new Run(code, out.toString(), err.toString());
    }

    @Test
    void printsCategoryRuleRetryableAdviceAndNumberedEvidence() {
        Run r = warden("diagnose", Fixtures.path("cuda_oom.txt").toString(), "--exit-code", "1");

        assertThat(r.code()).isZero();
        assertThat(r.out()).contains("category    cuda_oom\n", "rule        cuda-oom\n",
                "retryable   yes (retry with batch_size halved (not below 1))\n", "what to do  The GPU ran out of memory.",
                "  3   Traceback (most recent call last):\n", "  4   File \"train.py\", line 212, in <module>\n",
                "  6 > torch.cuda.OutOfMemoryError: CUDA out of memory. Tried to allocate 22.00 MiB.");
        assertThat(r.err()).isEmpty();
    }

    @Test
    void jsonCarriesTheSameVerdictForScripts() throws Exception {
        Run r = warden("diagnose", "--json", Fixtures.path("xid48_reset.txt").toString());

        assertThat(r.code()).isZero();
        JsonNode j = new ObjectMapper().readTree(r.out());
        assertThat(j.get("category").asText()).isEqualTo("gpu_hardware");
        assertThat(j.get("rule").asText()).isEqualTo("xid-reset-required");
        assertThat(j.get("retryable").asBoolean()).isFalse();
        assertThat(j.get("action").get("type").asText()).isEqualTo("exclude_gpu");
        assertThat(j.get("action").get("gpu").asText()).isEqualTo("0000:07:00");
        assertThat(j.get("evidence").get(0).get("line").asInt()).isEqualTo(2);
        assertThat(j.get("signature").get("id").asText()).hasSize(12);
    }

    @Test
    void unknownIsStillAVerdictAndExitsZero() {
        Run r = warden("diagnose", Fixtures.path("negatives/healthy_metrics.txt").toString());

        assertThat(r.code()).isZero();
        assertThat(r.out()).contains("category    unknown\n", "retryable   yes (retry unchanged)");
    }

    @Test
    void exitStatusAloneClassifies() throws Exception {
        Path log = Files.writeString(tmp.resolve("short.log"), "epoch 1 step 20 loss 1.2\n");

        Run r = warden("diagnose", log.toString(), "--signal", "SIGKILL");

        assertThat(r.out()).contains("category    killed\n", "  - > killed by SIGKILL\n");
    }

    @Test
    void readsStandardInputWithDash() {
        InputStream old = System.in;
        System.setIn(new ByteArrayInputStream(Fixtures.text("disk_full.txt").getBytes(StandardCharsets.UTF_8)));
        try {
            Run r = warden("diagnose", "-", "--json");

            assertThat(r.code()).isZero();
            assertThat(r.out()).contains("\"category\" : \"disk_full\"", "\"log\" : \"-\"");
        } finally {
            System.setIn(old);
        }
    }

    @Test
    void badInputIsOneClearLineAndExitStatus2() {
        Run missing = warden("diagnose", tmp.resolve("nope.log").toString());
        Run noLog = warden("diagnose");
        Run badSignal = warden("diagnose", Fixtures.path("cuda_oom.txt").toString(), "--signal", "SIGWHAT");
        Run badCode = warden("diagnose", Fixtures.path("cuda_oom.txt").toString(), "--exit-code", "300");
        Run badRules = warden("diagnose", Fixtures.path("cuda_oom.txt").toString(), "--rules", tmp.resolve("none").toString());

        assertThat(missing.code()).isEqualTo(2);
        assertThat(missing.err()).isEqualTo("warden: log " + tmp.resolve("nope.log") + " does not exist; give the path of the training log\n");
        assertThat(noLog.code()).isEqualTo(2);
        assertThat(noLog.err()).startsWith("warden: no log given;");
        assertThat(badSignal.code()).isEqualTo(2);
        assertThat(badSignal.err()).isEqualTo("warden: --signal 'SIGWHAT' is not a signal; use a number (9) or a name (SIGKILL)\n");
        assertThat(badCode.code()).isEqualTo(2);
        assertThat(badRules.code()).isEqualTo(2);
        assertThat(badRules.err()).contains("is not a directory");
    }

    @Test
    void extraRulesApplyAndBrokenOnesAreWarnedAbout() throws Exception {
        Path rules = Files.createDirectories(tmp.resolve("rules"));
        Files.writeString(rules.resolve("x.yaml"), "rules:\n  - id: mine\n    category: hang\n    patterns: [\"epoch 1 step 20\"]\n  - id: broken\n");
        Path log = Files.writeString(tmp.resolve("l.log"), "epoch 1 step 20 loss 1.2\n");

        Run r = warden("diagnose", log.toString(), "--rules", rules.toString());

        assertThat(r.code()).isZero();
        assertThat(r.out()).contains("rule        mine\n");
        assertThat(r.err()).contains("warden: warning: " + rules.resolve("x.yaml") + ":5: rule 'broken': missing 'category:'");
    }

    @Test
    void runFindsTheNewestAttemptLogOfARunByPrefix() throws Exception {
        assumeTrue(System.getenv("WARDEN_HOME") == null, "WARDEN_HOME is set; this test places runs under user.home");
        Path attempts = Files.createDirectories(tmp.resolve(".warden/runs/r20250101-abcdef/attempts"));
        Files.writeString(attempts.resolve("1.log"), "OSError: [Errno 28] No space left on device\n");
        Files.writeString(attempts.resolve("2.log"), Fixtures.text("nccl_timeout.txt"));
        String home = System.getProperty("user.home");
        System.setProperty("user.home", tmp.toString());
        try {
            Run r = warden("diagnose", "--run", "r2025");
            Run none = warden("diagnose", "--run", "zzz");

            assertThat(r.code()).isZero();
            assertThat(r.out()).contains("category    nccl_error\n", attempts.resolve("2.log").toString());
            assertThat(none.code()).isEqualTo(2);
            assertThat(none.err()).startsWith("warden: no run 'zzz' in");
        } finally {
            System.setProperty("user.home", home);
        }
    }
}
