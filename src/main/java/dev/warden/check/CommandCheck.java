package dev.warden.check;

import dev.warden.gpu.ToolResult;

import java.time.Duration;
import java.util.List;

/**
 * command: a correctness gate run through `sh -c` in the workdir (a test suite, a build, a smoke
 * run on CPU). `- command: {run: "pytest -q tests/test_kernels.py", timeout: 5m}` or
 * `- command: "make -C csrc"`. FAIL on a non-zero exit (WARN with `warn_only: true`).
 */
final class CommandCheck implements Check {
    private final String run;
    private final Duration timeout;

    private CommandCheck(String run, Duration timeout) {
        this.run = run;
        this.timeout = timeout;
    }

    static Check create(CheckArgs a) {
        a.allow("run");
        return new CommandCheck(a.requireMain("run", "{run: \"pytest -q tests\", timeout: 5m}"), a.timeout(Duration.ofMinutes(10)));
    }

    @Override
    public CheckResult run(CheckContext ctx) {
        ToolResult r = ctx.tools().run(List.of("sh", "-c", run), CheckArgs.toolTimeout(timeout), ctx.workdir());
        String secs = PreflightReport.time(r.took());
        String last = r.lastLine();
        if (r.notFound()) {
            return CheckResult.fail("no `sh` on PATH", "run Warden with a PATH that has /bin");
        }
        if (r.timedOut()) {
            return CheckResult.fail("`" + run + "` still running after " + PreflightReport.time(timeout) + (last.isEmpty() ? "" : ": " + last),
                    "run it by hand in " + ctx.workdir() + " to see where it hangs, or raise `timeout:`");
        }
        if (r.exitCode() != 0) {
            return CheckResult.fail("`" + run + "` exit " + r.exitCode() + " after " + secs + (last.isEmpty() ? "" : ": " + last),
                    "it must pass before GPU time is paid: run it in " + ctx.workdir() + " to see the whole output");
        }
        return CheckResult.pass("`" + run + "` exit 0 after " + secs + (last.isEmpty() ? "" : ": " + last));
    }
}
