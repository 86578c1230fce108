package dev.warden.check;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * What preflight needs from a job spec, built by {@link PreflightInputs#from}.
 *
 * @param workdir    where the job runs; relative paths in checks are relative to it
 * @param command    the job's command, one argument per element
 * @param checks     the raw `checks:` entries, each a one-key map {kind: value}
 * @param maxHours   budget: hours the run may take; <= 0 means no limit
 * @param usdPerHour budget: price of the machine; <= 0 means unknown
 * @param maxUsd     budget: spending cap; <= 0 means disabled (never "exceeded")
 * @param gpusWanted GPUs the job needs, or null when the spec does not say
 * @param skip       check ids or kinds to skip (--skip-check)
 */
public record PreflightInput(Path workdir, List<String> command, List<Map<String, Object>> checks,
                             double maxHours, double usdPerHour, double maxUsd, Integer gpusWanted,
                             Set<String> skip) {

    public PreflightInput {
        workdir = workdir.toAbsolutePath().normalize();
        command = List.copyOf(command);
        checks = List.copyOf(checks);
        skip = Set.copyOf(skip);
    }

    public PreflightInput withSkip(Set<String> more) {
        java.util.Set<String> all = new java.util.LinkedHashSet<>(skip);
        all.addAll(more);
        return new PreflightInput(workdir, command, checks, maxHours, usdPerHour, maxUsd, gpusWanted, all);
    }
}
