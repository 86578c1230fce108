package dev.warden.event;

import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * One transition of a run: the one vocabulary every part writes and every view reads.
 *
 * @param seq     order within the store (0 before it is stored)
 * @param attempt 0 for run-level events
 * @param message one line a person can read
 * @param data    machine-readable details (pid, exit_code, step, reason ...)
 */
public record Event(long seq, String runId, Instant at, EventType type, int attempt, String message, Map<String, Object> data) {

    public Event {
        data = data == null ? Map.of() : java.util.Collections.unmodifiableMap(new LinkedHashMap<>(data));
    }

    public static Event of(String runId, EventType type, int attempt, String message, Map<String, Object> data) {
        return new Event(0, runId, Instant.now(), type, attempt, message, data);
    }

    public Event withSeq(long seq) {
        return new Event(seq, runId, at, type, attempt, message, data);
    }

    public Long longValue(String key) {
        Object v = data.get(key);
        return v instanceof Number n ? n.longValue() : null;
    }

    public Double doubleValue(String key) {
        Object v = data.get(key);
        if (v instanceof Number n) {
            return n.doubleValue();
        }
        if (v instanceof String s) {
            try {
                return Double.parseDouble(s);
            } catch (NumberFormatException e) {
                return null;
            }
        }
        return null;
    }

    public String text(String key) {
        Object v = data.get(key);
        return v == null ? null : String.valueOf(v);
    }
}
