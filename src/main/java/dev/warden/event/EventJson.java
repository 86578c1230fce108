package dev.warden.event;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;

import java.io.IOException;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;

/** events.jsonl lines and the store's data column share this form. NaN and infinity are written as strings. */
public final class EventJson {
    /** Only for values {@link PlainJson} does not write; made on first use. */
    private static final class Databind {
        static final ObjectMapper JSON = new ObjectMapper();
    }

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
            Map<String, Object> n = PlainJson.readObject(line).orElseThrow(() -> new IOException("not a JSON object"));
            return new Event(PlainJson.whole(n.get("seq")), PlainJson.text(n.get("run")), Instant.parse(PlainJson.text(n.get("at"))),
                    EventType.fromId(PlainJson.text(n.get("type"))), (int) PlainJson.whole(n.get("attempt")), PlainJson.text(n.get("message")),
                    PlainJson.object(n.get("data")).orElse(Map.of()));
        } catch (IOException | RuntimeException e) {
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
            return PlainJson.readObject(json).orElse(Map.of("unparsed", json));
        } catch (IOException e) {
            return Map.of("unparsed", json);
        }
    }

    private static Map<String, Object> safe(Map<String, Object> data) {
        Map<String, Object> out = new LinkedHashMap<>();
        data.forEach((k, v) -> out.put(k, v instanceof Double d && (d.isNaN() || d.isInfinite()) ? d.toString() : v));
        return out;
    }

    private static String write(Object o) {
        return PlainJson.write(o).orElseGet(() -> {
            try {
                return Databind.JSON.writeValueAsString(o);
            } catch (JsonProcessingException e) {
                throw new IllegalStateException(e);
            }
        });
    }
}
