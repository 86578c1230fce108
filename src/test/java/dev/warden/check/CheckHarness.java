package dev.warden.check;

import dev.warden.gpu.ToolRunner;
import dev.warden.store.WardenHome;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Set;

/** Runs one check, or a whole preflight, against a temp workdir, a temp WARDEN_HOME and given tools. */
final class CheckHarness {
    final Path workdir;
    final WardenHome home;
    ToolRunner tools = ToolRunner.system();
    List<String> command = List.of("python3", "train.py");
    double maxHours;
    double usdPerHour;
    double maxUsd;
    Integer gpus;

    CheckHarness(Path dir) {
        this.workdir = dir.resolve("work");
        this.home = new WardenHome(dir.resolve("home"));
        try {
            java.nio.file.Files.createDirectories(workdir);
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    CheckHarness tools(ToolRunner t) {
        this.tools = t;
        return this;
    }

    CheckHarness budget(double hours, double rate, double cap) {
        this.maxHours = hours;
        this.usdPerHour = rate;
        this.maxUsd = cap;
        return this;
    }

    CheckHarness gpus(Integer n) {
        this.gpus = n;
        return this;
    }

    PreflightInput input(List<Map<String, Object>> checks, Set<String> skip) {
        return new PreflightInput(workdir, command, checks, maxHours, usdPerHour, maxUsd, gpus, skip);
    }

    /** One check of {@code kind} with the entry value {@code value} (scalar, list, map or null). */
    CheckResult run(String kind, Object value) {
        CheckItem item = CheckRegistry.builtIn().create(new CheckArgs(0, kind, value), kind);
        List<CheckResult> r = CheckRunner.run(List.of(item), new CheckContext(input(List.of(), Set.of()), tools, home));
        return r.get(0);
    }

    PreflightReport preflight(List<Map<String, Object>> checks, Set<String> skip) {
        return Preflight.run(input(checks, skip), CheckRegistry.builtIn(), tools, home);
    }

    static Map<String, Object> entry(String kind, Object value) {
        java.util.HashMap<String, Object> m = new java.util.HashMap<>();
        m.put(kind, value);
        return m;
    }
}
