package dev.warden.check;

import dev.warden.UserError;
import dev.warden.gpu.ToolRunner;
import dev.warden.store.WardenHome;

import java.nio.file.Files;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * `warden check`: plans the checks of a job (node checks by default, plus the spec's `checks:`),
 * runs them in parallel and reports. {@link #plan} alone validates a spec's checks without running.
 *
 * <p>Node checks run by default: disk (at the workdir), memory, gpu, gpu_errors, driver; budget
 * when the spec has a budget; drift when the workdir has a warden.lock. Listing a kind in `checks:`
 * replaces its default (so `- disk: /data` checks /data instead of the workdir).
 */
public final class Preflight {
    static final List<String> NODE_DEFAULTS = List.of("disk", "memory", "gpu", "gpu_errors", "driver");
    static final String LOCK_FILE = "warden.lock";

    private Preflight() {}

    public static PreflightReport run(PreflightInput in) {
        return run(in, CheckRegistry.builtIn(), ToolRunner.system(), WardenHome.fromEnvironment());
    }

    public static PreflightReport run(PreflightInput in, CheckRegistry registry, ToolRunner tools, WardenHome home) {
        List<CheckItem> plan = plan(in, registry);
        Map<String, String> skippedBy = skips(plan, in.skip());
        List<CheckItem> toRun = plan.stream().filter(i -> !skippedBy.containsKey(i.id())).toList();
        long start = System.nanoTime();
        List<CheckResult> ran = CheckRunner.run(toRun, new CheckContext(in, tools, home));
        Duration wall = Duration.ofNanos(System.nanoTime() - start);
        List<CheckResult> results = new ArrayList<>();
        int next = 0;
        for (CheckItem item : plan) {
            String by = skippedBy.get(item.id());
            if (by != null) {
                results.add(new CheckResult.Skipped(item.id(), "skipped by --skip-check " + by, Duration.ZERO));
            } else {
                results.add(ran.get(next++));
            }
        }
        return new PreflightReport(results, wall);
    }

    /** The checks a run of this input would make, in report order; a bad entry throws UserError. */
    public static List<CheckItem> plan(PreflightInput in, CheckRegistry registry) {
        List<CheckArgs> entries = new ArrayList<>();
        Set<String> listedKinds = new HashSet<>();
        for (int i = 0; i < in.checks().size(); i++) {
            Map<String, Object> entry = in.checks().get(i);
            if (entry == null || entry.size() != 1) {
                Set<String> keys = entry == null ? Set.of() : entry.keySet();
                throw new UserError("checks[" + i + "] has " + keys.size() + " keys " + keys
                        + "; each entry is one check, written `- KIND: VALUE` (put options inside: `- disk: {path: /data, min_free: 20GiB}`)",
                        UserError.CONFIG);
            }
            String kind = entry.keySet().iterator().next();
            if (!registry.has(kind)) {
                throw new UserError("checks[" + i + "]: unknown check `" + kind + "`"
                        + DidYouMean.hint(kind, registry.kinds()) + "; known checks: "
                        + String.join(", ", registry.kinds()), UserError.CONFIG);
            }
            entries.add(new CheckArgs(i, kind, entry.get(kind)));
            listedKinds.add(kind);
        }
        List<CheckArgs> all = new ArrayList<>();
        for (String kind : NODE_DEFAULTS) {
            if (!listedKinds.contains(kind) && registry.has(kind)) {
                all.add(new CheckArgs(-1, kind, null));
            }
        }
        if (!listedKinds.contains("budget") && (in.maxHours() > 0 || in.usdPerHour() > 0 || in.maxUsd() > 0)) {
            all.add(new CheckArgs(-1, "budget", null));
        }
        if (!listedKinds.contains("drift") && Files.exists(in.workdir().resolve(LOCK_FILE))) {
            all.add(new CheckArgs(-1, "drift", null));
        }
        all.addAll(entries);
        return items(all, registry);
    }

    private static List<CheckItem> items(List<CheckArgs> all, CheckRegistry registry) {
        Map<String, Integer> perKind = new HashMap<>();
        Set<String> ids = new HashSet<>();
        List<CheckItem> out = new ArrayList<>();
        for (CheckArgs a : all) {
            String id = a.id();
            if (id == null) {
                int n = perKind.merge(a.kind(), 1, Integer::sum);
                id = n == 1 ? a.kind() : a.kind() + "-" + n;
                while (ids.contains(id)) {
                    id = a.kind() + "-" + perKind.merge(a.kind(), 1, Integer::sum);
                }
            } else if (ids.contains(id)) {
                throw a.error("id", "`" + id + "` is used by another check", "give each check its own id");
            }
            ids.add(id);
            out.add(registry.create(a, id));
        }
        return out;
    }

    /** check id -> the --skip-check value that skips it. A value must name a check id or kind. */
    static Map<String, String> skips(List<CheckItem> plan, Set<String> skip) {
        Map<String, String> out = new HashMap<>();
        for (String s : skip) {
            boolean matched = false;
            for (CheckItem i : plan) {
                if (i.id().equals(s) || i.kind().equals(s)) {
                    out.putIfAbsent(i.id(), s);
                    matched = true;
                }
            }
            if (!matched) {
                Set<String> names = new LinkedHashSet<>();
                plan.forEach(i -> names.add(i.id()));
                throw new UserError("--skip-check " + s + " matches no check" + DidYouMean.hint(s, names)
                        + "; checks of this spec: " + String.join(", ", names));
            }
        }
        return out;
    }
}
