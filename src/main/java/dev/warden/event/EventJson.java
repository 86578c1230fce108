package dev.warden.event;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;

/** events.jsonl lines and the store's data column share this form. NaN and infinity are written as strings. */
public final class EventJson {
    private static final ObjectMapper JSON = new ObjectMapper();

    private EventJson() {}

    public static String line(Event e) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("seq", e.seq());
        m.put("run", e.runId());
        m.put("at", e.at().toString());
        m.put("type", e.type().id());
        m.put("attempt", e.attempt());
        m.put("message", e.message());
        m.put("data", safe(e.data()));
        return write(m);
    }

    public static Event parse(String line) {
        try {
            JsonNode n = JSON.readTree(line);
            return new Event(n.path("seq").asLong(), n.path("run").asText(), Instant.parse(n.path("at").asText()),
                    EventType.fromId(n.path("type").asText()), n.path("attempt").asInt(), n.path("message").asText(),
                    data(n.path("data").toString()));
        } catch (JsonProcessingException | RuntimeException e) {
            throw new IllegalArgumentException("not an event line: " + e.getMessage(), e);
        }
    }

    public static String data(Map<String, Object> data) {
        return write(safe(data));
    }

    public static Map<String, Object> data(String json) {
        if (json == null || json.isBlank()) {
            return Map.of();
        }
        try {
            return JSON.readValue(json, new TypeReference<LinkedHashMap<String, Object>>() {});
        } catch (JsonProcessingException e) {
            return Map.of("unparsed", json);
        }
    }

    private static Map<String, Object> safe(Map<String, Object> data) {
        Map<String, Object> out = new LinkedHashMap<>();
        data.forEach((k, v) -> out.put(k, v instanceof Double d && (d.isNaN() || d.isInfinite()) ? d.toString() : v));
        return out;
    }

    private static String write(Object o) {
        try {
            return JSON.writeValueAsString(o);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }
}
