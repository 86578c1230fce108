package dev.warden.check;

import dev.warden.UserError;
import dev.warden.gpu.ToolRunner;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

class CheckRunnerTest {
    @TempDir
    Path dir;

    private CheckContext ctx() {
        CheckHarness h = new CheckHarness(dir);
        return new CheckContext(h.input(List.of(), Set.of()), ToolRunner.system(), h.home);
    }

    @Test
    void a_hung_check_fails_at_its_timeout_while_the_others_report_and_its_process_is_killed() {
        String marker = "61.4242";
        CheckItem hung = new CheckItem("hung", "command", Duration.ofMillis(400),
                c -> CheckResult.pass("exit " + c.tools().run(Duration.ofMinutes(5), "sleep", marker).exitCode()));
        CheckItem quick = new CheckItem("quick", "env", Duration.ofSeconds(5), c -> CheckResult.pass("fine"));
        CheckItem warns = new CheckItem("warns", "env", Duration.ofSeconds(5), c -> CheckResult.warn("meh", "look"));

        List<CheckResult> results = CheckRunner.run(List.of(hung, quick, warns), ctx());

        assertThat(results).extracting(CheckResult::check).containsExactly("hung", "quick", "warns");
        assertThat(results.get(0)).isInstanceOf(CheckResult.Fail.class);
        assertThat(results.get(0).evidence()).isEqualTo("no answer within 400ms");
        assertThat(results.get(0).fix()).contains("timeout:");
        assertThat(results.get(1)).isInstanceOf(CheckResult.Pass.class);
        assertThat(results.get(2)).isInstanceOf(CheckResult.Warn.class);
        await().atMost(10, TimeUnit.SECONDS).until(() -> ProcessHandle.allProcesses()
                .noneMatch(p -> p.info().commandLine().orElse("").contains("sleep " + marker)));
    }

    @Test
    void checks_run_at_the_same_time() {
        CountDownLatch all = new CountDownLatch(3);
        Check waitForOthers = c -> {
            all.countDown();
            return all.await(20, TimeUnit.SECONDS) ? CheckResult.pass("met the others") : CheckResult.fail("alone", "");
        };
        List<CheckItem> items = List.of(new CheckItem("a", "x", Duration.ofSeconds(30), waitForOthers),
                new CheckItem("b", "x", Duration.ofSeconds(30), waitForOthers),
                new CheckItem("c", "x", Duration.ofSeconds(30), waitForOthers));
        assertThat(CheckRunner.run(items, ctx())).allSatisfy(r -> assertThat(r).isInstanceOf(CheckResult.Pass.class));
    }

    @Test
    void a_crashing_check_is_a_fail_that_names_the_error_and_the_override() {
        List<CheckResult> r = CheckRunner.run(List.of(
                new CheckItem("boom", "x", Duration.ofSeconds(5), c -> {
                    throw new IllegalStateException("boom");
                }),
                new CheckItem("bad", "x", Duration.ofSeconds(5), c -> {
                    throw new UserError("checks[0] (x): nope; fix it");
                })), ctx());
        assertThat(r.get(0).evidence()).contains("IllegalStateException: boom");
        assertThat(r.get(0).fix()).contains("--skip-check boom");
        assertThat(r.get(1).evidence()).isEqualTo("checks[0] (x): nope; fix it");
    }

    @Test
    void evidence_is_one_line() {
        List<CheckResult> r = CheckRunner.run(List.of(new CheckItem("m", "x", Duration.ofSeconds(5),
                c -> CheckResult.fail("line one\nline two\n", "do\nthis"))), ctx());
        assertThat(r.get(0).evidence()).isEqualTo("line one | line two");
        assertThat(r.get(0).fix()).isEqualTo("do | this");
    }
}
