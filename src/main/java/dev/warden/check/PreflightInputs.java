package dev.warden.check;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import dev.warden.UserError;
import dev.warden.spec.Durations;
import dev.warden.spec.JobSpec;
import dev.warden.spec.LoadedSpec;
import dev.warden.spec.SpecLoader;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/** Builds a {@link PreflightInput} from warden.yaml. */
public final class PreflightInputs {

    private PreflightInputs() {}

    /** warden.yaml through the job spec loader: the same validation and messages as `warden run`. */
    public static PreflightInput fromYaml(Path specFile) {
        return from(SpecLoader.load(specFile));
    }

    public static PreflightInput from(LoadedSpec loaded) {
        JobSpec s = loaded.spec();
        List<String> argv = s.command().shell() != null ? ShellWords.split(s.command().shell()) : s.command().argv();
        JobSpec.Budget b = s.budget();
        double hours = b.maxWall() == null ? 0 : b.maxWall().toMillis() / 3_600_000.0;
        List<Map<String, Object>> checks = new ArrayList<>();
        for (Object c : s.checks()) {
            if (c instanceof Map<?, ?> m) {
                Map<String, Object> entry = new java.util.LinkedHashMap<>();
                m.forEach((k, v) -> entry.put(String.valueOf(k), v));
                checks.add(entry);
            } else {
                Map<String, Object> bare = new HashMap<>();
                bare.put(String.valueOf(c), null); // `- memory`: the check with its defaults
                checks.add(bare);
            }
        }
        boolean listed = checks.stream().anyMatch(c -> c.containsKey("checkpoint_disk"));
        if (s.checkpoints() != null && !listed) {
            Map<String, Object> guard = new java.util.LinkedHashMap<>();
            guard.put("dir", dev.warden.checkpoint.Checkpoints.root(s.checkpoints(), loaded.dir()).toString());
            guard.put("factor", s.checkpoints().diskFactor() == null ? 3.0 : s.checkpoints().diskFactor());
            checks.add(Map.of("checkpoint_disk", guard));
        }
        return new PreflightInput(Path.of(s.workdir()), argv, checks, hours,
                b.usdPerHour() == null ? 0 : b.usdPerHour(), b.maxUsd() == null ? 0 : b.maxUsd(), s.gpus(), Set.of());
    }

    static List<String> command(JsonNode n) {
        List<String> out = new ArrayList<>();
        if (n.isArray()) {
            n.forEach(a -> out.add(a.asText()));
        } else if (n.isTextual()) {
            out.addAll(ShellWords.split(n.asText()));
        } else if (!n.isMissingNode() && !n.isNull()) {
            throw new UserError("command: must be a list of arguments or one command line, not "
                    + n.getNodeType().name().toLowerCase() + "; e.g. `command: [python, train.py]`", UserError.CONFIG);
        }
        return out;
    }

    static List<Map<String, Object>> checks(JsonNode n) {
        List<Map<String, Object>> out = new ArrayList<>();
        if (n.isMissingNode() || n.isNull()) {
            return out;
        }
        if (!n.isArray()) {
            throw new UserError("checks: must be a list, one check per line (`- disk: /data`)", UserError.CONFIG);
        }
        for (int i = 0; i < n.size(); i++) {
            JsonNode e = n.get(i);
            if (e.isTextual()) {
                Map<String, Object> m = new HashMap<>();
                m.put(e.asText(), null);
                out.add(m);
            } else if (e.isObject()) {
                out.add(plain(e));
            } else {
                throw new UserError("checks[" + i + "] is " + e + "; write a check as `- KIND: VALUE`, e.g. `- tcp: \"10.0.0.2:22\"`",
                        UserError.CONFIG);
            }
        }
        return out;
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> plain(JsonNode obj) {
        return (Map<String, Object>) toJava(obj);
    }

    private static Object toJava(JsonNode n) {
        if (n.isObject()) {
            Map<String, Object> m = new HashMap<>();
            n.properties().forEach(f -> m.put(f.getKey(), toJava(f.getValue())));
            return m;
        }
        if (n.isArray()) {
            List<Object> l = new ArrayList<>();
            n.forEach(x -> l.add(toJava(x)));
            return l;
        }
        return n.isNull() ? null : n.asText();
    }

    static double hours(JsonNode n) {
        if (n.isMissingNode() || n.isNull()) {
            return 0;
        }
        if (n.isNumber()) {
            return n.asDouble();
        }
        try {
            return Durations.parse(n.asText()).toMillis() / 3_600_000.0;
        } catch (IllegalArgumentException e) {
            throw new UserError("budget.max_hours: " + e.getMessage() + "; e.g. `max_hours: 48`", UserError.CONFIG);
        }
    }

    static double money(JsonNode n, String key) {
        if (n.isMissingNode() || n.isNull()) {
            return 0;
        }
        if (n.isNumber()) {
            return n.asDouble();
        }
        try {
            return Double.parseDouble(n.asText().strip().replace("$", "").replace(",", ""));
        } catch (NumberFormatException e) {
            throw new UserError("budget." + key + ": `" + n.asText() + "` is not an amount; e.g. `" + key + ": 2.50`",
                    UserError.CONFIG);
        }
    }

    static Integer gpus(JsonNode n) {
        if (n.isMissingNode() || n.isNull()) {
            return null;
        }
        if (n.isIntegralNumber() && n.asInt() >= 0) {
            return n.asInt();
        }
        if (n.isTextual() && n.asText().strip().matches("\\d{1,4}")) {
            return Integer.parseInt(n.asText().strip());
        }
        throw new UserError("gpus: `" + n.asText() + "` is not a GPU count; write a whole number, e.g. `gpus: 8`",
                UserError.CONFIG);
    }
}
