package dev.warden.data;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * One line of a data report: what was checked, how it went, the figures behind it,
 * the first few line numbers (1-based) and examples, and what to do.
 */
public record Finding(String id, Status status, String message, Map<String, Object> numbers,
                      List<Long> lines, List<String> examples, String fix) {

    public enum Status { PASS, WARN, FAIL }

    public Finding {
        numbers = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(numbers));
        lines = List.copyOf(lines);
        examples = List.copyOf(examples);
        fix = fix == null ? "" : fix;
    }

    static Finding pass(String id, String message, Map<String, Object> numbers) {
        return new Finding(id, Status.PASS, message, numbers, List.of(), List.of(), "");
    }

    /** The JSON shape: id, status, message, fix, numbers, lines, examples. */
    public Map<String, Object> toMap() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("id", id);
        m.put("status", status.name());
        m.put("message", message);
        m.put("fix", fix);
        m.put("numbers", numbers);
        m.put("lines", lines);
        m.put("examples", examples);
        return m;
    }
}
