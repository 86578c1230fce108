package dev.warden.spec;

import com.fasterxml.jackson.annotation.JsonProperty;

import java.lang.reflect.ParameterizedType;
import java.lang.reflect.RecordComponent;
import java.lang.reflect.Type;
import java.util.LinkedHashMap;
import java.util.Map;

/** The YAML keys of the spec records, and which section each key lives in (for "it belongs under `budget:`"). */
final class SpecKeys {
    private static final Map<String, String> SECTION_OF = sections();

    private SpecKeys() {}

    /** The key users write for a record component: @JsonProperty if present, else its snake_case name. */
    static String yamlKey(RecordComponent c) {
        JsonProperty p = c.getAccessor().getAnnotation(JsonProperty.class);
        if (p == null && c.getDeclaringRecord() != null) {
            try {
                p = c.getDeclaringRecord().getDeclaredField(c.getName()).getAnnotation(JsonProperty.class);
            } catch (NoSuchFieldException e) {
                p = null;
            }
        }
        return p != null && !p.value().isEmpty() ? p.value() : SpecMapper.yamlKey(c.getName());
    }

    /** The section (`""` for the top level, `budget`, `on.<category>`) where a key is valid, or null. */
    static String sectionOf(String key) {
        return SECTION_OF.get(key);
    }

    private static Map<String, String> sections() {
        Map<String, String> out = new LinkedHashMap<>();
        collect(JobSpec.class, "", out);
        return out;
    }

    private static void collect(Class<?> record, String section, Map<String, String> out) {
        for (RecordComponent c : record.getRecordComponents()) {
            String key = yamlKey(c);
            out.putIfAbsent(key, section);
            String child = section.isEmpty() ? key : section + "." + key;
            if (c.getType().isRecord() && c.getType() != Command.class) {
                collect(c.getType(), child, out);
            } else if (Map.class.isAssignableFrom(c.getType()) && mapValue(c.getGenericType()) instanceof Class<?> v && v.isRecord()) {
                collect(v, child + ".<category>", out);
            }
        }
    }

    private static Type mapValue(Type t) {
        return t instanceof ParameterizedType p ? p.getActualTypeArguments()[1] : null;
    }
}
