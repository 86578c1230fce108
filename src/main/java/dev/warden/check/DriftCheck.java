package dev.warden.check;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * drift: the stack still matches warden.lock (`warden env lock`). `- drift` or
 * `- drift: {lock: envs/warden.lock, python: /venv/bin/python}`. FAIL when torch, its CUDA build,
 * nvcc or python moved and compiled extensions are installed (named, with the fix); WARN for other
 * changes (packages, driver) and when there is no lock to compare with.
 */
final class DriftCheck implements Check {
    private final String lock;
    private final String python;
    private final Duration timeout;

    private DriftCheck(String lock, String python, Duration timeout) {
        this.lock = lock;
        this.python = python;
        this.timeout = timeout;
    }

    static Check create(CheckArgs a) {
        a.allow("lock", "python");
        return new DriftCheck(a.isMap() ? a.string("lock", null) : a.main("lock"), a.string("python", null),
                a.timeout(Duration.ofMinutes(2)));
    }

    @Override
    public CheckResult run(CheckContext ctx) {
        Path file = lock == null ? ctx.workdir().resolve(Preflight.LOCK_FILE) : ctx.resolve(lock);
        if (!Files.exists(file)) {
            return CheckResult.warn("no " + file + " to compare with",
                    "record the stack once the job works: `warden env lock` in " + file.getParent());
        }
        EnvSnapshot locked = EnvLockFile.read(file);
        String py = python != null ? python : JobPython.find(ctx.input().command(), ctx.tools());
        EnvProbe.Probed probed = EnvProbe.collect(py, ctx.tools(), ctx.gpus(), ctx.nvccRelease(), CheckArgs.toolTimeout(timeout),
                ctx.home() == null ? null : ProbeCache.in(ctx.home(), "env-probes.json"));
        EnvSnapshot now = probed.snapshot();
        Drift d = Drift.between(locked, now);
        if (d.none()) {
            String kept = probed.keptSince() == null ? ""
                    : "; the package list from the cache: nothing Python looks at has changed since "
                    + probed.keptSince().substring(0, Math.min(16, probed.keptSince().length())).replace('T', ' ') + " UTC";
            return CheckResult.pass("stack matches " + file.getFileName() + " (python " + now.pythonVersion() + ", "
                    + now.packages().size() + " packages" + (now.torch() == null ? "" : ", torch " + now.torch()) + kept + ")");
        }
        List<String> all = new ArrayList<>(d.stackChanges());
        all.addAll(d.otherChanges());
        String changes = String.join("; ", all);
        if (!d.atRisk().isEmpty()) {
            return CheckResult.fail(changes + "; compiled packages at risk: " + String.join(", ", d.atRisk()),
                    "import and test them (`" + py + " -c 'import ...'`), rebuild or reinstall them for the new stack,"
                            + " or restore the locked versions; then `warden env lock`");
        }
        return CheckResult.warn(changes, "if the job still works on this stack, record it: `warden env lock`;"
                + " else restore the locked versions");
    }
}
