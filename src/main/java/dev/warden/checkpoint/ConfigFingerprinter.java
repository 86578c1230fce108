package dev.warden.checkpoint;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import dev.warden.UserError;
import dev.warden.spec.CheckpointSpec;

import java.io.IOException;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Config fingerprint: the values of the named dotted keys (lora.r, lora.alpha) read from a YAML or JSON
 * file, in a canonical form: sorted object keys, 64 and 64.0 equal, so reformatting the file changes
 * nothing and changing a value changes the fingerprint.
 */
final class ConfigFingerprinter {
    private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());
    private static final ObjectMapper JSON = new ObjectMapper();

    private ConfigFingerprinter() {}

    static Fingerprints.Config compute(CheckpointSpec.ConfigKeys spec, Path specDir) {
        if (spec.file() == null || spec.file().isBlank()) {
            throw new UserError("checkpoints.fingerprint.config needs `file:` (the YAML or JSON config the keys are read from)",
                    UserError.CONFIG);
        }
        if (spec.keys() == null || spec.keys().isEmpty()) {
            throw new UserError("checkpoints.fingerprint.config.keys is empty; list the keys that must match on resume, e.g. [lora.r, lora.alpha]",
                    UserError.CONFIG);
        }
        Path file = specDir.resolve(spec.file()).normalize();
        JsonNode root = read(spec.file(), file);
        Map<String, Object> values = new LinkedHashMap<>();
        ObjectNode canonical = JsonNodeFactory.instance.objectNode();
        for (String key : new TreeMap<>(toMap(spec.keys())).keySet()) {
            JsonNode v = canonical(find(root, key));
            canonical.set(key, v);
            values.put(key, JSON.convertValue(v, Object.class));
        }
        String text = canonical.toString();
        String hex = HexFormat.of().formatHex(JavaDigesters.sha256().digest(text.getBytes(StandardCharsets.UTF_8)));
        return new Fingerprints.Config(spec.file(), hex, values);
    }

    private static Map<String, Boolean> toMap(List<String> keys) {
        Map<String, Boolean> m = new LinkedHashMap<>();
        for (String k : keys) {
            if (k == null || k.isBlank()) {
                throw new UserError("checkpoints.fingerprint.config.keys has an empty key; write dotted paths such as lora.r",
                        UserError.CONFIG);
            }
            m.put(k.trim(), true);
        }
        return m;
    }

    private static JsonNode read(String named, Path file) {
        if (!Files.isRegularFile(file)) {
            throw new UserError("config file `" + named + "` in checkpoints.fingerprint.config does not exist (looked at "
                    + file + "); fix the path", UserError.CONFIG);
        }
        try {
            byte[] bytes = Files.readAllBytes(file);
            JsonNode n = file.getFileName().toString().endsWith(".json") ? JSON.readTree(bytes) : YAML.readTree(bytes);
            return n == null ? JsonNodeFactory.instance.objectNode() : n;
        } catch (IOException e) {
            String msg = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage().lines().findFirst().orElse("");
            throw new UserError("config file " + file + " cannot be parsed (" + msg + "); fix its syntax", UserError.CONFIG);
        }
    }

    /** lora.r -> root.lora.r; a numeric part indexes an array (layers.0.size). Missing -> null. */
    static JsonNode find(JsonNode root, String dotted) {
        JsonNode n = root;
        for (String part : dotted.split("\\.")) {
            if (n == null) {
                return null;
            }
            if (n.isArray() && part.matches("\\d+")) {
                n = n.get(Integer.parseInt(part));
            } else {
                n = n.get(part);
            }
        }
        return n;
    }

    static JsonNode canonical(JsonNode n) {
        JsonNodeFactory f = JsonNodeFactory.instance;
        if (n == null || n.isNull() || n.isMissingNode()) {
            return f.nullNode();
        }
        if (n.isNumber()) {
            BigDecimal d = n.decimalValue().stripTrailingZeros();
            if (d.scale() <= 0) {
                java.math.BigInteger i = d.toBigIntegerExact();
                return i.bitLength() < 32 ? f.numberNode(i.intValue())
                        : i.bitLength() < 64 ? f.numberNode(i.longValue()) : f.numberNode(i);
            }
            return f.numberNode(d);
        }
        if (n.isObject()) {
            ObjectNode o = f.objectNode();
            List<String> names = new ArrayList<>();
            Iterator<String> it = n.fieldNames();
            it.forEachRemaining(names::add);
            names.sort(null);
            for (String name : names) {
                o.set(name, canonical(n.get(name)));
            }
            return o;
        }
        if (n.isArray()) {
            var a = f.arrayNode();
            n.forEach(e -> a.add(canonical(e)));
            return a;
        }
        return n;
    }
}
