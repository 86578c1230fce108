package dev.warden.check;

import dev.warden.UserError;
import dev.warden.spec.Durations;
import dev.warden.spec.Sizes;

import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * The value of one `checks:` entry, with typed accessors whose errors name the entry
 * ("checks[3] (disk): min_free ..."), the key and the fix. An entry is `- KIND`, `- KIND: SCALAR`,
 * `- KIND: [LIST]` or `- KIND: {options}`; options every kind accepts: id, timeout, warn_only.
 */
public final class CheckArgs {
    static final Set<String> COMMON = Set.of("id", "timeout", "warn_only");

    private final int index;
    private final String kind;
    private final Object value;

    public CheckArgs(int index, String kind, Object value) {
        this.index = index;
        this.kind = kind;
        this.value = value;
    }

    public int index() {
        return index;
    }

    public String kind() {
        return kind;
    }

    public Object raw() {
        return value;
    }

    /** "checks[3] (disk)"; index -1 is a check Warden adds by itself. */
    public String where() {
        return index < 0 ? "the default " + kind + " check" : "checks[" + index + "] (" + kind + ")";
    }

    public UserError error(String key, String problem, String fix) {
        String k = key == null ? "" : " `" + key + "`";
        return new UserError(where() + k + ": " + problem + "; " + fix, UserError.CONFIG);
    }

    @SuppressWarnings("unchecked")
    private Map<String, Object> map() {
        return value instanceof Map<?, ?> m ? (Map<String, Object>) m : Map.of();
    }

    public boolean isMap() {
        return value instanceof Map<?, ?>;
    }

    /** Rejects option keys this kind does not know, with the closest known key. */
    public CheckArgs allow(String... keys) {
        Set<String> known = new LinkedHashSet<>(List.of(keys));
        known.addAll(COMMON);
        for (String k : map().keySet()) {
            if (!known.contains(k)) {
                throw error(k, "unknown option" + DidYouMean.hint(k, known), "options of " + kind + ": "
                        + String.join(", ", known));
            }
        }
        return this;
    }

    /** For kinds without a one-value form: `- KIND` or `- KIND: {options}` only. */
    public CheckArgs noScalar(String example) {
        if (value != null && !(value instanceof Map<?, ?>)) {
            throw error(null, "takes no value `" + value + "`", "write `- " + kind + "` or `- " + kind + ": " + example + "`");
        }
        return this;
    }

    /** The entry's main value: the scalar itself, or the map's {@code mainKey}; null when absent. */
    public String main(String mainKey) {
        if (value == null) {
            return null;
        }
        if (value instanceof Map<?, ?>) {
            return string(mainKey, null);
        }
        if (value instanceof List<?>) {
            throw error(null, "expects one value, not a list", "write `- " + kind + ": VALUE` or `- " + kind
                    + ": {" + mainKey + ": VALUE}`");
        }
        return String.valueOf(value);
    }

    public String requireMain(String mainKey, String example) {
        String v = main(mainKey);
        if (v == null || v.isBlank()) {
            throw error(mainKey, "is missing", "write it like `- " + kind + ": " + example + "`");
        }
        return v;
    }

    /** The entry's list: a YAML list, a single scalar, or the map's {@code mainKey} (list or scalar). */
    public List<String> list(String mainKey) {
        Object v = value instanceof Map<?, ?> m ? m.get(mainKey) : value;
        List<String> out = new ArrayList<>();
        if (v instanceof List<?> l) {
            for (Object o : l) {
                if (o instanceof Map<?, ?> || o instanceof List<?>) {
                    throw error(mainKey, "has a nested entry `" + o + "`", "list plain values, one per line");
                }
                if (o != null && !String.valueOf(o).isBlank()) {
                    out.add(String.valueOf(o).strip());
                }
            }
        } else if (v != null && !(v instanceof Map<?, ?>)) {
            out.add(String.valueOf(v).strip());
        }
        return out;
    }

    public List<String> requireList(String mainKey, String example) {
        List<String> l = list(mainKey);
        if (l.isEmpty()) {
            throw error(value instanceof Map<?, ?> ? mainKey : null, "lists nothing", "write it like `- " + kind + ": "
                    + example + "`");
        }
        return l;
    }

    public String string(String key, String fallback) {
        Object v = map().get(key);
        if (v == null) {
            return fallback;
        }
        if (v instanceof Map<?, ?> || v instanceof List<?>) {
            throw error(key, "must be a single value, not `" + v + "`", "write `" + key + ": VALUE`");
        }
        return String.valueOf(v);
    }

    public long size(String key, long fallback) {
        String v = string(key, null);
        if (v == null) {
            return fallback;
        }
        try {
            return Sizes.parse(v);
        } catch (IllegalArgumentException e) {
            throw error(key, e.getMessage(), "for example `" + key + ": 20GiB`");
        }
    }

    public Duration duration(String key, Duration fallback) {
        String v = string(key, null);
        if (v == null) {
            return fallback;
        }
        try {
            Duration d = Durations.parse(v);
            if (d.isZero()) {
                throw error(key, "is 0", "give a positive duration such as 30s");
            }
            return d;
        } catch (IllegalArgumentException e) {
            throw error(key, e.getMessage(), "for example `" + key + ": 30s`");
        }
    }

    /** A number; "90%" reads as 90. */
    public Double number(String key, Double fallback) {
        String v = string(key, null);
        if (v == null) {
            return fallback;
        }
        try {
            return Double.parseDouble(v.strip().replace("%", ""));
        } catch (NumberFormatException e) {
            throw error(key, "`" + v + "` is not a number", "write a number such as `" + key + ": 90`");
        }
    }

    public Integer integer(String key, Integer fallback) {
        Double d = number(key, fallback == null ? null : fallback.doubleValue());
        if (d == null) {
            return null;
        }
        if (d != Math.rint(d) || d < 0) {
            throw error(key, "`" + string(key, "") + "` is not a whole number >= 0", "write e.g. `" + key + ": 8`");
        }
        return d.intValue();
    }

    public boolean bool(String key, boolean fallback) {
        String v = string(key, null);
        if (v == null) {
            return fallback;
        }
        return switch (v.strip().toLowerCase(Locale.ROOT)) {
            case "true", "yes", "on" -> true;
            case "false", "no", "off" -> false;
            default -> throw error(key, "`" + v + "` is not true or false", "write `" + key + ": true` or `false`");
        };
    }

    public String id() {
        return string("id", null);
    }

    public Duration timeout(Duration fallback) {
        return duration("timeout", fallback);
    }

    /**
     * How long a program the check starts may run: a little less than the check's timeout, so the
     * check itself can say what was still running (the runner's own message is only "no answer").
     */
    public static Duration toolTimeout(Duration checkTimeout) {
        Duration margin = checkTimeout.dividedBy(5);
        return checkTimeout.minus(margin.compareTo(Duration.ofSeconds(1)) > 0 ? Duration.ofSeconds(1) : margin);
    }

    public boolean warnOnly() {
        return bool("warn_only", false);
    }
}
