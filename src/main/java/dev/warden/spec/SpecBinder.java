package dev.warden.spec;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.fasterxml.jackson.dataformat.yaml.YAMLParser;

import java.io.IOException;
import java.lang.reflect.Constructor;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.ParameterizedType;
import java.lang.reflect.RecordComponent;
import java.lang.reflect.Type;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Binds a plainly valid warden.yaml from the YAML parser's tokens straight into the spec records. Jackson's databind
 * builds a deserializer for each record on first use: ~45 ms of every `warden run`'s start, before the job can start.
 * Anything this binder does not take exactly as databind would (an unknown or repeated key, a scalar of another type
 * than the field's, an anchor, alias or tag, a second document, a bad duration) gives empty, and {@link SpecLoader}
 * takes the databind path, which also words every error. SpecBinderTest holds the two paths equal.
 */
final class SpecBinder {
    /** The spec uses something this binder leaves to databind. */
    private static final class Unsupported extends Exception {
        Unsupported() {
            super(null, null, false, false);
        }
    }

    private static final YAMLFactory YAML = YAMLFactory.builder().build();

    private SpecBinder() {}

    static Optional<JobSpec> bind(String text) {
        try (JsonParser p = YAML.createParser(text)) {
            if (p.nextToken() != JsonToken.START_OBJECT) {
                return Optional.empty();
            }
            Object tree = node(p);
            if (p.nextToken() != null) {
                return Optional.empty(); // a second document
            }
            return Optional.of((JobSpec) convert(tree, JobSpec.class));
        } catch (Unsupported | IOException | RuntimeException e) {
            return Optional.empty();
        }
    }

    /** A scalar as the parser read it: its token, its text, and the value databind's untyped reader would make. */
    private record Scalar(JsonToken token, String text, Object value) {}

    private static Object node(JsonParser p) throws IOException, Unsupported {
        if (p instanceof YAMLParser y && (y.isCurrentAlias() || y.getObjectId() != null || y.getTypeId() != null)) {
            throw new Unsupported();
        }
        JsonToken t = p.currentToken();
        switch (t) {
            case START_OBJECT -> {
                Map<String, Object> map = new LinkedHashMap<>();
                while (p.nextToken() == JsonToken.FIELD_NAME) {
                    String key = p.currentName();
                    p.nextToken();
                    if (map.containsKey(key)) {
                        throw new Unsupported();
                    }
                    map.put(key, node(p));
                }
                return map;
            }
            case START_ARRAY -> {
                List<Object> list = new ArrayList<>();
                while (p.nextToken() != JsonToken.END_ARRAY) {
                    list.add(node(p));
                }
                return list;
            }
            case VALUE_STRING -> {
                return new Scalar(t, p.getText(), p.getText());
            }
            case VALUE_NUMBER_INT -> {
                return new Scalar(t, p.getText(), p.getNumberValue());
            }
            case VALUE_NUMBER_FLOAT -> {
                return new Scalar(t, p.getText(), p.getDoubleValue());
            }
            case VALUE_TRUE, VALUE_FALSE -> {
                return new Scalar(t, p.getText(), t == JsonToken.VALUE_TRUE);
            }
            case VALUE_NULL -> {
                return null;
            }
            default -> throw new Unsupported();
        }
    }

    private static Object convert(Object node, Type type) throws Unsupported {
        if (node == null) {
            if (type == Command.class) {
                throw new Unsupported();
            }
            return null;
        }
        if (type instanceof ParameterizedType pt) {
            Type raw = pt.getRawType();
            if (raw == List.class && node instanceof List<?> items) {
                List<Object> out = new ArrayList<>();
                for (Object item : items) {
                    out.add(convert(item, pt.getActualTypeArguments()[0]));
                }
                return out;
            }
            if (raw == Map.class && node instanceof Map<?, ?> entries && pt.getActualTypeArguments()[0] == String.class) {
                Map<String, Object> out = new LinkedHashMap<>();
                for (Map.Entry<?, ?> e : entries.entrySet()) {
                    out.put((String) e.getKey(), convert(e.getValue(), pt.getActualTypeArguments()[1]));
                }
                return out;
            }
            throw new Unsupported();
        }
        if (type == Object.class) {
            return untyped(node);
        }
        if (type == Command.class) {
            return command(node);
        }
        if (type instanceof Class<?> c && c.isRecord()) {
            if (!(node instanceof Map<?, ?> map)) {
                throw new Unsupported();
            }
            return record(c, map);
        }
        if (!(node instanceof Scalar s)) {
            throw new Unsupported();
        }
        if (type == String.class && s.token() == JsonToken.VALUE_STRING) {
            return s.text();
        }
        if (type == Integer.class && s.value() instanceof Integer i) {
            return i;
        }
        if (type == Double.class && (s.value() instanceof Integer || s.value() instanceof Long || s.value() instanceof Double)) {
            return ((Number) s.value()).doubleValue();
        }
        if (type == Boolean.class && s.value() instanceof Boolean b) {
            return b;
        }
        if (type == Duration.class && s.token() != JsonToken.VALUE_TRUE && s.token() != JsonToken.VALUE_FALSE) {
            if (s.text().isBlank()) {
                return null;
            }
            try {
                return Durations.parse(s.text());
            } catch (IllegalArgumentException e) {
                throw new Unsupported();
            }
        }
        throw new Unsupported();
    }

    private static Object record(Class<?> type, Map<?, ?> map) throws Unsupported {
        RecordComponent[] components = type.getRecordComponents();
        Object[] args = new Object[components.length];
        Class<?>[] types = new Class<?>[components.length];
        int used = 0;
        for (int i = 0; i < components.length; i++) {
            types[i] = components[i].getType();
            String key = SpecKeys.yamlKey(components[i]);
            if (map.containsKey(key)) {
                args[i] = convert(map.get(key), components[i].getGenericType());
                used++;
            }
        }
        if (used != map.size()) {
            throw new Unsupported(); // a key no component has
        }
        try {
            Constructor<?> canonical = type.getDeclaredConstructor(types);
            return canonical.newInstance(args);
        } catch (NoSuchMethodException | InstantiationException | IllegalAccessException | InvocationTargetException e) {
            throw new Unsupported();
        }
    }

    private static Command command(Object node) throws Unsupported {
        if (node instanceof Scalar s && s.token() == JsonToken.VALUE_STRING) {
            return Command.shell(s.text());
        }
        if (node instanceof List<?> items) {
            List<String> argv = new ArrayList<>();
            for (Object item : items) {
                if (!(item instanceof Scalar s) || s.token() != JsonToken.VALUE_STRING) {
                    throw new Unsupported();
                }
                argv.add(s.text());
            }
            return Command.argv(argv);
        }
        throw new Unsupported();
    }

    private static Object untyped(Object node) {
        if (node instanceof Scalar s) {
            return s.value();
        }
        if (node instanceof List<?> items) {
            List<Object> out = new ArrayList<>();
            items.forEach(i -> out.add(untyped(i)));
            return out;
        }
        if (node instanceof Map<?, ?> map) {
            Map<String, Object> out = new LinkedHashMap<>();
            map.forEach((k, v) -> out.put((String) k, untyped(v)));
            return out;
        }
        return null;
    }
}
