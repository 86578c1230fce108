package dev.warden.checkpoint;

import dev.warden.UserError;
import dev.warden.spec.CheckpointSpec;
import dev.warden.spec.Durations;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Locale;

/**
 * The `checkpoints:` section with defaults applied and every value checked: a bad value is one line that
 * names it and the accepted forms.
 */
public record CheckpointSettings(Layout layout, Algorithm algorithm, boolean autoSeal, Duration settle,
                                 ChangePolicy onDatasetChange, ChangePolicy onConfigChange, double diskFactor) {

    public static final Duration DEFAULT_SETTLE = Duration.ofMinutes(2);

    /** The same settings judging completeness with another settle time (zero: nothing writes any more). */
    public CheckpointSettings withSettle(Duration newSettle) {
        return new CheckpointSettings(layout, algorithm, autoSeal, newSettle, onDatasetChange, onConfigChange, diskFactor);
    }
    public static final double DEFAULT_DISK_FACTOR = 3.0;
    /** Even with a completion marker, files must have been quiet this long (capped by settle). */
    static final Duration MARKER_GRACE = Duration.ofSeconds(5);

    public enum ChangePolicy {
        ARCHIVE, REFUSE, CONTINUE;

        static ChangePolicy parse(String key, String text, ChangePolicy fallback) {
            if (text == null || text.isBlank()) {
                return fallback;
            }
            try {
                return valueOf(text.trim().toUpperCase(Locale.ROOT));
            } catch (IllegalArgumentException e) {
                throw new UserError("checkpoints." + key + " `" + text + "` is not known; use archive, refuse or continue",
                        UserError.CONFIG);
            }
        }
    }

    /** @param root the checkpoint directory, used only to detect the layout when the spec names none */
    public static CheckpointSettings from(CheckpointSpec spec, Path root) {
        CheckpointSpec s = spec == null ? CheckpointSpec.of(null, null) : spec;
        Layout layout = Layout.from(s.layout(), s.pattern(), s.stepRegex(), root);
        Algorithm algorithm = Algorithm.parse(s.algorithm());
        boolean autoSeal = switch (s.seal() == null ? "auto" : s.seal().trim().toLowerCase(Locale.ROOT)) {
            case "auto", "on", "true", "yes" -> true;
            case "off", "false", "no" -> false;
            default -> throw new UserError("checkpoints.seal `" + s.seal() + "` is not known; use auto or off", UserError.CONFIG);
        };
        Duration settle = DEFAULT_SETTLE;
        if (s.settle() != null && !s.settle().isBlank()) {
            try {
                settle = Durations.parse(s.settle());
            } catch (IllegalArgumentException e) {
                throw new UserError("checkpoints.settle: " + e.getMessage(), UserError.CONFIG);
            }
        }
        double factor = s.diskFactor() == null ? DEFAULT_DISK_FACTOR : s.diskFactor();
        if (!(factor >= 0) || Double.isInfinite(factor)) {
            throw new UserError("checkpoints.disk_factor `" + s.diskFactor() + "` must be a number >= 0 (3 means free space >= 3x the newest checkpoint)",
                    UserError.CONFIG);
        }
        return new CheckpointSettings(layout, algorithm, autoSeal, settle,
                ChangePolicy.parse("on_dataset_change", s.onDatasetChange(), ChangePolicy.ARCHIVE),
                ChangePolicy.parse("on_config_change", s.onConfigChange(), ChangePolicy.REFUSE),
                factor);
    }

    Duration grace() {
        return settle.compareTo(MARKER_GRACE) < 0 ? settle : MARKER_GRACE;
    }
}
