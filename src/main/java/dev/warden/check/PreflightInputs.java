package dev.warden.check;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import dev.warden.UserError;
import dev.warden.spec.Durations;

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
    private static final ObjectMapper YAML = new YAMLMapper();

    private PreflightInputs() {}

    /**
     * Reads `command`, `workdir`, `checks`, `budget` (max_hours, usd_per_hour, max_usd) and `gpus`
     * from a warden.yaml; other keys are left to the job spec. The job spec loader replaces this body.
     */
    public static PreflightInput fromYaml(Path specFile) {
        if (!Files.isRegularFile(specFile)) {
            throw new UserError("no spec at " + specFile.toAbsolutePath() + "; write one with `warden init -- python train.py ...`"
                    + " or pass the path of your warden.yaml", UserError.CONFIG);
        }
        JsonNode root;
        try {
            root = YAML.readTree(specFile.toFile());
        } catch (JsonProcessingException e) {
            String at = e.getLocation() == null ? "" : " at line " + e.getLocation().getLineNr()
                    + ", column " + e.getLocation().getColumnNr();
            throw new UserError(specFile + " is not valid YAML" + at + ": " + e.getOriginalMessage()
                    + "; fix the YAML there", UserError.CONFIG);
        } catch (IOException e) {
            throw new UserError("cannot read " + specFile + ": " + e.getMessage(), UserError.CONFIG);
        }
        if (root == null || root.isMissingNode() || root.isNull()) {
            root = YAML.createObjectNode();
        }
        if (!root.isObject()) {
            throw new UserError(specFile + " must be a mapping of keys (command:, checks:, ...), not a "
                    + root.getNodeType().name().toLowerCase(), UserError.CONFIG);
        }
        Path dir = specFile.toAbsolutePath().getParent();
        Path workdir = root.hasNonNull("workdir") ? dir.resolve(root.get("workdir").asText()).normalize() : dir;
        JsonNode budget = root.path("budget");
        return new PreflightInput(workdir, command(root.path("command")), checks(root.path("checks")),
                hours(budget.path("max_hours")), money(budget.path("usd_per_hour"), "usd_per_hour"),
                money(budget.path("max_usd"), "max_usd"), gpus(root.path("gpus")), Set.of());
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
