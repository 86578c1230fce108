package dev.warden.spec;

import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/** Fills every unset field of a JobSpec with the documented default. */
public final class SpecDefaults {
    public static final Duration GRACE = Duration.ofSeconds(30);
    public static final Duration START_SECONDS = Duration.ofSeconds(3);
    public static final int MAX_RESTARTS = 5;
    public static final Duration RESTART_WINDOW = Duration.ofHours(1);
    public static final Duration STARTUP_STALL = Duration.ofMinutes(15);
    public static final int MAX_NO_PROGRESS = 3;

    private SpecDefaults() {}

    public static JobSpec apply(JobSpec s, Path specDir, String defaultName) {
        JobSpec.Backoff b = s.backoff() == null ? new JobSpec.Backoff(null, null, null) : s.backoff();
        JobSpec.Budget g = s.budget() == null ? new JobSpec.Budget(null, null, null, null, null, null) : s.budget();
        String workdir = s.workdir() == null ? specDir.toString() : specDir.resolve(s.workdir()).normalize().toString();
        return new JobSpec(
                s.name() == null ? defaultName : s.name(),
                s.command(),
                workdir,
                s.env() == null ? Map.of() : Map.copyOf(s.env()),
                s.params() == null ? Map.of() : new LinkedHashMap<>(s.params()),
                s.secrets() == null ? List.of() : List.copyOf(s.secrets()),
                s.stallAfter(),
                s.startupStall(), // unset: the learned stall timeout's 15 minutes (StallDetector); set: also before stall_after
                or(s.grace(), GRACE),
                or(s.startSeconds(), START_SECONDS),
                or(s.maxRestarts(), MAX_RESTARTS),
                or(s.restartWindow(), RESTART_WINDOW),
                new JobSpec.Backoff(or(b.initial(), Duration.ofSeconds(1)), or(b.max(), Duration.ofMinutes(1)),
                        or(b.resetAfter(), Duration.ofMinutes(10))),
                or(s.maxNoProgress(), MAX_NO_PROGRESS),
                or(s.onNan(), "stop"),
                new JobSpec.Budget(or(g.maxWall(), Duration.ZERO), or(g.usdPerHour(), 0.0), or(g.maxUsd(), 0.0),
                        or(g.warnAt(), 0.8), or(g.signalBefore(), Duration.ZERO), or(g.signal(), "USR1")),
                s.progress(),
                s.onFinish(),
                s.notifications(),
                or(s.orphans(), "kill"),
                s.gpus(),
                s.checkpoints(),
                s.checks() == null ? List.of() : s.checks(),
                s.rules() == null ? List.of() : s.rules(),
                s.on() == null ? Map.of() : s.on());
    }

    private static <T> T or(T value, T fallback) {
        return Objects.requireNonNullElse(value, fallback);
    }
}
