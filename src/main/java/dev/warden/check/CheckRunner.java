package dev.warden.check;

import dev.warden.UserError;
import dev.warden.spec.Durations;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Runs checks all at once, one thread each (Java 17 has no virtual threads), each against its own
 * deadline counted from the common start. A check that does not answer by its deadline is FAIL and
 * is interrupted (the programs it started are killed); the others still report. Results come back
 * in the order of the input.
 */
public final class CheckRunner {
    private CheckRunner() {}

    public static List<CheckResult> run(List<CheckItem> items, CheckContext ctx) {
        if (items.isEmpty()) {
            return List.of();
        }
        AtomicInteger n = new AtomicInteger();
        ExecutorService pool = Executors.newFixedThreadPool(items.size(), r -> {
            Thread t = new Thread(r, "warden-check-" + n.incrementAndGet());
            t.setDaemon(true);
            return t;
        });
        try {
            long start = System.nanoTime();
            List<Future<CheckResult>> futures = new ArrayList<>();
            for (CheckItem item : items) {
                futures.add(pool.submit(() -> runOne(item, ctx)));
            }
            List<CheckResult> results = new ArrayList<>();
            for (int i = 0; i < items.size(); i++) {
                results.add(await(items.get(i), futures.get(i), start));
            }
            return results;
        } finally {
            pool.shutdownNow();
        }
    }

    private static CheckResult runOne(CheckItem item, CheckContext ctx) {
        long t0 = System.nanoTime();
        CheckResult r;
        try {
            r = item.check().run(ctx);
            if (r == null) {
                r = CheckResult.fail("the check returned nothing", "report this as a Warden bug");
            }
        } catch (UserError e) {
            r = CheckResult.fail(e.getMessage(), "fix this check's entry in warden.yaml");
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            r = CheckResult.fail("interrupted", "run it again");
        } catch (Exception | LinkageError e) {
            r = CheckResult.fail("the check crashed: " + e, "report this; `--skip-check " + item.id()
                    + "` lets the run start meanwhile");
        }
        return r.stamped(item.id(), Duration.ofNanos(System.nanoTime() - t0));
    }

    private static CheckResult await(CheckItem item, Future<CheckResult> f, long start) {
        long deadline = start + item.timeout().toNanos();
        try {
            return f.get(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
        } catch (TimeoutException e) {
            f.cancel(true);
            return CheckResult.fail("no answer within " + Durations.format(item.timeout()),
                    "find out why it hangs (run it by hand), or raise its `timeout:` in warden.yaml")
                    .stamped(item.id(), item.timeout());
        } catch (ExecutionException e) {
            return CheckResult.fail("the check crashed: " + e.getCause(), "report this as a Warden bug")
                    .stamped(item.id(), Duration.ofNanos(System.nanoTime() - start));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            f.cancel(true);
            return CheckResult.fail("preflight was interrupted", "run it again").stamped(item.id(), Duration.ZERO);
        }
    }
}
