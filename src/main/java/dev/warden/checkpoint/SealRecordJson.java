package dev.warden.checkpoint;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import dev.warden.event.PlainJson;

import java.io.IOException;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * warden.seal.json, read with Jackson's streaming parser and written by {@link PrettyJson} in Jackson's pretty
 * layout. Seal and verify run at every checkpoint, often as a fresh JVM (`warden ckpt verify`); databind's
 * reflection costs about 550 classes and a few hundred ms there, and even the streaming generator ~25 ms.
 * Keys are snake_case like every other Warden file; unknown keys are skipped (newer Warden).
 */
final class SealRecordJson {
    private SealRecordJson() {}

    /** Only reading needs Jackson: writing a seal does not load it. */
    private static final class Parsers {
        static final JsonFactory FACTORY = new JsonFactory();
    }

    static String write(SealRecord r) {
        Map<String, Object> o = new LinkedHashMap<>();
        o.put("format", r.format());
        o.put("checkpoint", r.checkpoint());
        if (r.step() != null) {
            o.put("step", r.step());
        }
        o.put("algorithm", r.algorithm());
        o.put("manifest", r.manifest());
        o.put("manifest_sha256", r.manifestSha256());
        List<Object> files = new ArrayList<>();
        for (SealRecord.FileHash f : r.files()) {
            Map<String, Object> file = new LinkedHashMap<>();
            file.put("path", f.path());
            file.put("size", f.size());
            file.put("hash", f.hash());
            files.add(file);
        }
        o.put("files", files);
        o.put("total_bytes", r.totalBytes());
        if (r.dataset() != null) {
            Fingerprints.Dataset d = r.dataset();
            Map<String, Object> dataset = new LinkedHashMap<>();
            dataset.put("value", d.value());
            dataset.put("files", d.files());
            dataset.put("bytes", d.bytes());
            dataset.put("paths", d.paths());
            o.put("dataset", dataset);
        }
        if (r.config() != null) {
            Fingerprints.Config c = r.config();
            Map<String, Object> config = new LinkedHashMap<>();
            config.put("file", c.file());
            config.put("value", c.value());
            config.put("keys", c.keys());
            o.put("config", config);
        }
        if (r.sealedAt() != null) {
            o.put("sealed_at", r.sealedAt().toString());
        }
        o.put("warden_version", r.wardenVersion());
        return PrettyJson.write(o) + "\n";
    }

    static SealRecord read(java.nio.file.Path file) throws IOException {
        return read(java.nio.file.Files.readAllBytes(file));
    }

    static SealRecord read(byte[] json) throws IOException {
        try (JsonParser p = Parsers.FACTORY.createParser(json)) {
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
                    Object v = PlainJson.value(p, true);
                    if (v instanceof Map<?, ?> m) {
                        keys.putAll((Map<String, Object>) m);
                    }
                }
                default -> p.skipChildren();
            }
        }
        return new Fingerprints.Config(file, value, keys);
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
