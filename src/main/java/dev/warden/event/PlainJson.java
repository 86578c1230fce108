package dev.warden.event;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;

import java.io.IOException;
import java.io.StringWriter;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * JSON of plain values (maps with string keys, lists, strings, numbers, booleans, null) through jackson-core's
 * streaming parser and generator, as Jackson's ObjectMapper writes and reads them untyped. Every `warden run` writes
 * events and its lock's owner file before the job starts; building an ObjectMapper for that was ~15 ms of it.
 */
public final class PlainJson {
    private static final JsonFactory FACTORY = JsonFactory.builder().build();

    private PlainJson() {}

    /** The value as JSON text; empty when it holds anything but plain values (the caller then uses databind). */
    public static Optional<String> write(Object value) {
        return write(value, false);
    }

    /** {@link #write}, indented as databind's INDENT_OUTPUT writes it (jackson-core's default pretty printer). */
    public static Optional<String> writeIndented(Object value) {
        return write(value, true);
    }

    private static Optional<String> write(Object value, boolean indented) {
        StringWriter out = new StringWriter();
        try (JsonGenerator g = FACTORY.createGenerator(out)) {
            if (indented) {
                g.useDefaultPrettyPrinter();
            }
            if (!value(g, value)) {
                return Optional.empty();
            }
        } catch (IOException e) {
            return Optional.empty();
        }
        return Optional.of(out.toString());
    }

    private static boolean value(JsonGenerator g, Object v) throws IOException {
        if (v == null) {
            g.writeNull();
        } else if (v instanceof String s) {
            g.writeString(s);
        } else if (v instanceof Integer i) {
            g.writeNumber(i);
        } else if (v instanceof Long l) {
            g.writeNumber(l);
        } else if (v instanceof Double d) {
            g.writeNumber(d);
        } else if (v instanceof Boolean b) {
            g.writeBoolean(b);
        } else if (v instanceof Map<?, ?> m) {
            g.writeStartObject();
            for (Map.Entry<?, ?> e : m.entrySet()) {
                if (!(e.getKey() instanceof String k)) {
                    return false;
                }
                g.writeFieldName(k);
                if (!value(g, e.getValue())) {
                    return false;
                }
            }
            g.writeEndObject();
        } else if (v instanceof Collection<?> items) {
            g.writeStartArray();
            for (Object item : items) {
                if (!value(g, item)) {
                    return false;
                }
            }
            g.writeEndArray();
        } else {
            return false;
        }
        return true;
    }

    /**
     * Any JSON text as LinkedHashMap / ArrayList / String / Integer, Long or BigInteger / Double / Boolean / null,
     * as databind reads into Object.
     */
    public static Object read(String json) throws IOException {
        try (JsonParser p = FACTORY.createParser(json)) {
            if (p.nextToken() == null) {
                throw new IOException("no JSON value");
            }
            Object v = value(p, false);
            if (p.nextToken() != null) {
                throw new IOException("more than one JSON value");
            }
            return v;
        }
    }

    /**
     * The value at the parser's current token, the parser left on its last token. Fractions are Double, or
     * BigDecimal with {@code exactFractions} (a fingerprint compares them digit for digit).
     */
    public static Object value(JsonParser p, boolean exactFractions) throws IOException {
        switch (p.currentToken()) {
            case START_OBJECT -> {
                Map<String, Object> m = new LinkedHashMap<>();
                while (p.nextToken() == JsonToken.FIELD_NAME) {
                    String name = p.currentName();
                    p.nextToken();
                    m.put(name, value(p, exactFractions));
                }
                return m;
            }
            case START_ARRAY -> {
                List<Object> l = new ArrayList<>();
                while (p.nextToken() != JsonToken.END_ARRAY) {
                    l.add(value(p, exactFractions));
                }
                return l;
            }
            case VALUE_STRING -> {
                return p.getText();
            }
            case VALUE_NUMBER_INT -> {
                return p.getNumberValue();
            }
            case VALUE_NUMBER_FLOAT -> {
                return exactFractions ? p.getDecimalValue() : p.getDoubleValue();
            }
            case VALUE_TRUE -> {
                return Boolean.TRUE;
            }
            case VALUE_FALSE -> {
                return Boolean.FALSE;
            }
            case VALUE_NULL -> {
                return null;
            }
            default -> throw new IOException("unexpected " + p.currentToken());
        }
    }

    /** JSON text that should hold an object: empty when it holds another JSON value. */
    public static Optional<Map<String, Object>> readObject(String json) throws IOException {
        return object(read(json));
    }

    /**
     * A value {@link #read} made, as the object it is (read makes every object a map with string keys); empty for
     * any other value, a missing key's null included.
     */
    @SuppressWarnings("unchecked")
    public static Optional<Map<String, Object>> object(Object v) {
        return v instanceof Map<?, ?> m ? Optional.of((Map<String, Object>) m) : Optional.empty();
    }

    /** A read value as text: "" for null (a missing key). */
    public static String text(Object v) {
        return v == null ? "" : v.toString();
    }

    /** A read value as a whole number: 0 when it is not a number (a missing key). */
    public static long whole(Object v) {
        return v instanceof Number n ? n.longValue() : 0;
    }
}
