package dev.warden.checkpoint;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.util.DefaultPrettyPrinter;

import java.io.IOException;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * warden.seal.json with Jackson's streaming API only. Seal and verify run at every checkpoint, often as a
 * fresh JVM (`warden ckpt verify`); databind's reflection costs about 550 classes and a few hundred ms
 * there. Keys are snake_case like every other Warden file; unknown keys are skipped (newer Warden).
 */
final class SealRecordJson {
    private static final JsonFactory FACTORY = new JsonFactory();

    private SealRecordJson() {}

    static String write(SealRecord r) {
        StringWriter out = new StringWriter();
        try (JsonGenerator g = FACTORY.createGenerator(out)) {
            g.setPrettyPrinter(new DefaultPrettyPrinter());
            g.writeStartObject();
            g.writeNumberField("format", r.format());
            g.writeStringField("checkpoint", r.checkpoint());
            if (r.step() != null) {
                g.writeNumberField("step", r.step());
            }
            g.writeStringField("algorithm", r.algorithm());
            g.writeStringField("manifest", r.manifest());
            g.writeStringField("manifest_sha256", r.manifestSha256());
            g.writeArrayFieldStart("files");
            for (SealRecord.FileHash f : r.files()) {
                g.writeStartObject();
                g.writeStringField("path", f.path());
                g.writeNumberField("size", f.size());
                g.writeStringField("hash", f.hash());
                g.writeEndObject();
            }
            g.writeEndArray();
            g.writeNumberField("total_bytes", r.totalBytes());
            if (r.dataset() != null) {
                Fingerprints.Dataset d = r.dataset();
                g.writeObjectFieldStart("dataset");
                g.writeStringField("value", d.value());
                g.writeNumberField("files", d.files());
                g.writeNumberField("bytes", d.bytes());
                g.writeArrayFieldStart("paths");
                for (String p : d.paths()) {
                    g.writeString(p);
                }
                g.writeEndArray();
                g.writeEndObject();
            }
            if (r.config() != null) {
                Fingerprints.Config c = r.config();
                g.writeObjectFieldStart("config");
                g.writeStringField("file", c.file());
                g.writeStringField("value", c.value());
                g.writeFieldName("keys");
                writeValue(g, c.keys());
                g.writeEndObject();
            }
            if (r.sealedAt() != null) {
                g.writeStringField("sealed_at", r.sealedAt().toString());
            }
            g.writeStringField("warden_version", r.wardenVersion());
            g.writeEndObject();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out + "\n";
    }

    private static void writeValue(JsonGenerator g, Object v) throws IOException {
        if (v == null) {
            g.writeNull();
        } else if (v instanceof Map<?, ?> m) {
            g.writeStartObject();
            for (Map.Entry<?, ?> e : m.entrySet()) {
                g.writeFieldName(String.valueOf(e.getKey()));
                writeValue(g, e.getValue());
            }
            g.writeEndObject();
        } else if (v instanceof List<?> l) {
            g.writeStartArray();
            for (Object o : l) {
                writeValue(g, o);
            }
            g.writeEndArray();
        } else if (v instanceof Boolean b) {
            g.writeBoolean(b);
        } else if (v instanceof java.math.BigDecimal d) {
            g.writeNumber(d);
        } else if (v instanceof java.math.BigInteger i) {
            g.writeNumber(i);
        } else if (v instanceof Double || v instanceof Float) {
            g.writeNumber(((Number) v).doubleValue());
        } else if (v instanceof Number n) {
            g.writeNumber(n.longValue());
        } else {
            g.writeString(v.toString());
        }
    }

    static SealRecord read(java.nio.file.Path file) throws IOException {
        return read(java.nio.file.Files.readAllBytes(file));
    }

    static SealRecord read(byte[] json) throws IOException {
        try (JsonParser p = FACTORY.createParser(json)) {
            expect(p.nextToken(), JsonToken.START_OBJECT, "the file must hold one JSON object");
            int format = 0;
            String checkpoint = null, algorithm = null, manifest = null, manifestSha = null, version = null;
            Long step = null;
            long total = 0;
            List<SealRecord.FileHash> files = null;
            Fingerprints.Dataset dataset = null;
            Fingerprints.Config config = null;
            Instant sealedAt = null;
            while (p.nextToken() == JsonToken.FIELD_NAME) {
                String name = p.currentName();
                JsonToken t = p.nextToken();
                switch (name) {
                    case "format" -> format = p.getIntValue();
                    case "checkpoint" -> checkpoint = text(p);
                    case "step" -> step = t == JsonToken.VALUE_NULL ? null : p.getLongValue();
                    case "algorithm" -> algorithm = text(p);
                    case "manifest" -> manifest = text(p);
                    case "manifest_sha256" -> manifestSha = text(p);
                    case "files" -> files = files(p);
                    case "total_bytes" -> total = p.getLongValue();
                    case "dataset" -> dataset = t == JsonToken.VALUE_NULL ? null : dataset(p);
                    case "config" -> config = t == JsonToken.VALUE_NULL ? null : config(p);
                    case "sealed_at" -> sealedAt = instant(text(p));
                    case "warden_version" -> version = text(p);
                    default -> p.skipChildren();
                }
            }
            return new SealRecord(format, checkpoint, step, algorithm, manifest, manifestSha, files, total, dataset, config,
                    sealedAt, version);
        }
    }

    private static List<SealRecord.FileHash> files(JsonParser p) throws IOException {
        expect(p.currentToken(), JsonToken.START_ARRAY, "`files` must be a list");
        List<SealRecord.FileHash> out = new ArrayList<>();
        while (p.nextToken() == JsonToken.START_OBJECT) {
            String path = null, hash = null;
            long size = -1;
            while (p.nextToken() == JsonToken.FIELD_NAME) {
                String name = p.currentName();
                p.nextToken();
                switch (name) {
                    case "path" -> path = text(p);
                    case "size" -> size = p.getLongValue();
                    case "hash" -> hash = text(p);
                    default -> p.skipChildren();
                }
            }
            out.add(new SealRecord.FileHash(path, size, hash));
        }
        expect(p.currentToken(), JsonToken.END_ARRAY, "`files` must hold objects");
        return out;
    }

    private static Fingerprints.Dataset dataset(JsonParser p) throws IOException {
        expect(p.currentToken(), JsonToken.START_OBJECT, "`dataset` must be an object");
        String value = null;
        int files = 0;
        long bytes = 0;
        List<String> paths = new ArrayList<>();
        while (p.nextToken() == JsonToken.FIELD_NAME) {
            String name = p.currentName();
            p.nextToken();
            switch (name) {
                case "value" -> value = text(p);
                case "files" -> files = p.getIntValue();
                case "bytes" -> bytes = p.getLongValue();
                case "paths" -> {
                    while (p.nextToken() == JsonToken.VALUE_STRING) {
                        paths.add(p.getText());
                    }
                }
                default -> p.skipChildren();
            }
        }
        return new Fingerprints.Dataset(value, files, bytes, paths);
    }

    @SuppressWarnings("unchecked")
    private static Fingerprints.Config config(JsonParser p) throws IOException {
        expect(p.currentToken(), JsonToken.START_OBJECT, "`config` must be an object");
        String file = null, value = null;
        Map<String, Object> keys = new LinkedHashMap<>();
        while (p.nextToken() == JsonToken.FIELD_NAME) {
            String name = p.currentName();
            p.nextToken();
            switch (name) {
                case "file" -> file = text(p);
                case "value" -> value = text(p);
                case "keys" -> {
                    Object v = value(p);
                    if (v instanceof Map<?, ?> m) {
                        keys.putAll((Map<String, Object>) m);
                    }
                }
                default -> p.skipChildren();
            }
        }
        return new Fingerprints.Config(file, value, keys);
    }

    /** Any JSON value as Map / List / String / Integer, Long or BigInteger / Double or BigDecimal / Boolean / null. */
    private static Object value(JsonParser p) throws IOException {
        switch (p.currentToken()) {
            case START_OBJECT -> {
                Map<String, Object> m = new LinkedHashMap<>();
                while (p.nextToken() == JsonToken.FIELD_NAME) {
                    String name = p.currentName();
                    p.nextToken();
                    m.put(name, value(p));
                }
                return m;
            }
            case START_ARRAY -> {
                List<Object> l = new ArrayList<>();
                while (p.nextToken() != JsonToken.END_ARRAY) {
                    l.add(value(p));
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
                return p.getDecimalValue();
            }
            case VALUE_TRUE -> {
                return Boolean.TRUE;
            }
            case VALUE_FALSE -> {
                return Boolean.FALSE;
            }
            default -> {
                return null;
            }
        }
    }

    private static String text(JsonParser p) throws IOException {
        return p.currentToken() == JsonToken.VALUE_NULL ? null : p.getValueAsString();
    }

    private static Instant instant(String s) throws IOException {
        try {
            return s == null ? null : Instant.parse(s);
        } catch (DateTimeParseException e) {
            throw new IOException("sealed_at `" + s + "` is not an ISO-8601 time");
        }
    }

    private static void expect(JsonToken actual, JsonToken expected, String what) throws IOException {
        if (actual != expected) {
            throw new IOException(what);
        }
    }
}
