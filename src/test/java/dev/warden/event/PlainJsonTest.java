package dev.warden.event;

import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.nio.file.Path;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** PlainJson writes and reads plain values exactly as an ObjectMapper does, and declines what it does not know. */
class PlainJsonTest {
    private static final ObjectMapper DATABIND = new ObjectMapper();

    @Test
    void writesPlainValuesAsDatabindDoes() throws Exception {
        Map<String, Object> nested = new LinkedHashMap<>();
        nested.put("category", "cuda_oom");
        nested.put("retryable", true);
        nested.put("count", 3);
        nested.put("bytes", 12_345_678_901L);
        nested.put("loss", 0.1234);
        nested.put("nan", Double.NaN);
        nested.put("none", null);
        nested.put("quote \"and\" \\ newline\n\u0001 ünïcode ✓", List.of("a", 1, 2.5, false));
        nested.put("set", new LinkedHashSet<>(List.of("x", "y")));
        Map<String, Object> event = new LinkedHashMap<>();
        event.put("seq", 7L);
        event.put("data", nested);
        event.put("list", Arrays.asList(null, Map.of("k", "v")));

        assertThat(PlainJson.write(event)).contains(DATABIND.writeValueAsString(event));
    }

    @Test
    void declinesValuesItDoesNotKnowSoTheCallerUsesDatabind() {
        assertThat(PlainJson.write(Map.of("path", Path.of("/tmp")))).isEmpty();
        assertThat(PlainJson.write(Map.of(1, "integer key"))).isEmpty();
        assertThat(PlainJson.write(List.of(1.5f))).isEmpty();
    }

    @ParameterizedTest
    @ValueSource(strings = {"{\"seq\":1,\"run\":\"r\",\"data\":{\"a\":[1,2.5,true,null,\"s\"],\"big\":12345678901,\"huge\":123456789012345678901234567890}}",
            "[1, -2, 3.0e10, \"\\u00fc\\n\"]", "\"text\"", "42", "null", "{}"})
    void readsAsDatabindReadsIntoObject(String json) throws Exception {
        assertThat(PlainJson.read(json)).isEqualTo(DATABIND.readValue(json, Object.class));
    }

    @Test
    void exactFractionsComeBackAsBigDecimalForFingerprints() throws Exception {
        try (var p = new com.fasterxml.jackson.core.JsonFactory().createParser("{\"lr\": 3.0e-4, \"r\": 16}")) {
            p.nextToken();

            assertThat(PlainJson.value(p, true)).isEqualTo(Map.of("lr", new java.math.BigDecimal("3.0e-4"), "r", 16));
        }
    }

    @Test
    void anEventLineRoundTrips() {
        Event e = new Event(3, "run-1", java.time.Instant.parse("2026-11-26T15:00:00.123Z"), EventType.DIAGNOSED, 2,
                "cuda_oom: retry", Map.of("category", "cuda_oom", "retryable", true));

        Event back = EventJson.parse(EventJson.line(e));

        assertThat(back).isEqualTo(e);
    }
}
