package dev.warden.checkpoint;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.util.DefaultPrettyPrinter;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.io.StringWriter;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Seal records are written without Jackson now; a user diffing or reading warden.seal.json must see exactly what
 * Jackson's pretty printer wrote before, and Warden must read it back the same.
 */
class SealRecordLayoutTest {
    private static final String ODD = "q\"b\\s/ tab\t nl\n cr\r bs\b ff\f nul\0 us\u001f del\u007f é ☃ 😀 \u2028";

    @Test
    void aPlainSealLooksAsJacksonWroteIt() throws IOException {
        SealRecord r = record(List.of(new SealRecord.FileHash("model.bin", 536_870_912L, "ab".repeat(32)),
                new SealRecord.FileHash("sub/opt.pt", 0, "cd".repeat(32))), null, null, 1200L);

        assertThat(SealRecordJson.write(r)).isEqualTo(jackson(r));
        assertThat(SealRecordJson.write(r)).startsWith("{\n  \"format\" : 1,\n  \"checkpoint\" : \"checkpoint-1200\",");
        assertThat(SealRecordJson.read(SealRecordJson.write(r).getBytes(java.nio.charset.StandardCharsets.UTF_8))).isEqualTo(r);
    }

    @Test
    void oddNamesFingerprintsAndEveryKindOfConfigValueToo() throws IOException {
        Map<String, Object> nested = new LinkedHashMap<>();
        nested.put("empty map", Map.of());
        nested.put("empty list", List.of());
        nested.put("list", Arrays.asList(1, "two", null, true, List.of(3.5, List.of()), Map.of("k", 2L)));
        nested.put("null", null);
        Map<String, Object> keys = new LinkedHashMap<>();
        keys.put("model.hidden", 4096);
        keys.put("model.big", 12_345_678_901L);
        keys.put("lr", 3.0e-4);
        keys.put("f", 0.1f);
        keys.put("nan", Double.NaN);
        keys.put("inf", Double.NEGATIVE_INFINITY);
        keys.put("dec", new BigDecimal("1.50E+3"));
        keys.put("int", new BigInteger("123456789012345678901234567890"));
        keys.put("flag", false);
        keys.put(ODD, ODD);
        keys.put("nested", nested);
        keys.put("missing", null);
        Fingerprints.Dataset dataset = new Fingerprints.Dataset("ef".repeat(32), 3, 1234, List.of("data/a", ODD));
        Fingerprints.Config config = new Fingerprints.Config("conf/" + ODD + ".yaml", "01".repeat(32), keys);
        List<SealRecord.FileHash> files = new ArrayList<>();
        files.add(new SealRecord.FileHash(ODD, 7, "00".repeat(16)));

        for (SealRecord r : List.of(record(files, dataset, config, null), record(List.of(), dataset,
                new Fingerprints.Config(null, null, Map.of()), 5L), record(files, new Fingerprints.Dataset(null, 0, 0, List.of()), null, 0L))) {
            assertThat(SealRecordJson.write(r)).isEqualTo(jackson(r));
        }
    }

    private static SealRecord record(List<SealRecord.FileHash> files, Fingerprints.Dataset dataset, Fingerprints.Config config, Long step) {
        return new SealRecord(SealRecord.FORMAT, step == null ? "final" : "checkpoint-" + step, step, "sha256", "warden.sha256",
                "9f".repeat(32), files, files.stream().mapToLong(SealRecord.FileHash::size).sum(), dataset, config,
                Instant.parse("2026-11-26T10:00:00.123456Z"), "0.1.0");
    }

    /** What SealRecordJson wrote with Jackson's generator and DefaultPrettyPrinter, kept as the reference. */
    private static String jackson(SealRecord r) throws IOException {
        StringWriter out = new StringWriter();
        try (JsonGenerator g = new JsonFactory().createGenerator(out)) {
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
        } else if (v instanceof BigDecimal d) {
            g.writeNumber(d);
        } else if (v instanceof BigInteger i) {
            g.writeNumber(i);
        } else if (v instanceof Double || v instanceof Float) {
            g.writeNumber(((Number) v).doubleValue());
        } else if (v instanceof Number n) {
            g.writeNumber(n.longValue());
        } else {
            g.writeString(v.toString());
        }
    }
}
