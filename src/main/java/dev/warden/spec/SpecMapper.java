package dev.warden.spec;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.DeserializationContext;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonDeserializer;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.deser.std.NumberDeserializers;
import com.fasterxml.jackson.databind.module.SimpleModule;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.fasterxml.jackson.dataformat.yaml.YAMLGenerator;

import java.io.IOException;
import java.math.BigInteger;
import java.time.Duration;

/** The one YAML mapper for warden.yaml: snake_case keys, strict types, durations like "90s". */
public final class SpecMapper {
    private SpecMapper() {}

    public static ObjectMapper create() {
        SimpleModule module = new SimpleModule("warden-spec");
        module.addDeserializer(Duration.class, new DurationDeserializer());
        module.addDeserializer(Integer.class, new StrictIntegerDeserializer());
        YAMLFactory yaml = YAMLFactory.builder()
                .disable(YAMLGenerator.Feature.WRITE_DOC_START_MARKER)
                .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
                .build();
        return new ObjectMapper(yaml)
                .setPropertyNamingStrategy(PropertyNamingStrategies.SNAKE_CASE)
                .enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
                .enable(DeserializationFeature.FAIL_ON_NULL_FOR_PRIMITIVES)
                .disable(DeserializationFeature.ACCEPT_FLOAT_AS_INT)
                .registerModule(module);
    }

    /** camelCase record component -> the YAML key users write. */
    public static String yamlKey(String javaName) {
        return PropertyNamingStrategies.SnakeCaseStrategy.INSTANCE.translate(javaName);
    }

    /** "90s", "10m", a bare number of seconds; an empty value (`grace:`) means unset, like `grace: ~`. */
    private static final class DurationDeserializer extends JsonDeserializer<Duration> {
        @Override
        public Duration deserialize(JsonParser p, DeserializationContext ctxt) throws IOException {
            if (p.currentToken() == JsonToken.START_ARRAY || p.currentToken() == JsonToken.START_OBJECT) {
                return (Duration) ctxt.handleUnexpectedToken(Duration.class, p);
            }
            String text = p.getValueAsString();
            if (text == null || text.isBlank()) {
                return null;
            }
            try {
                return Durations.parse(text);
            } catch (IllegalArgumentException e) {
                throw ctxt.weirdStringException(text, Duration.class, e.getMessage());
            }
        }
    }

    /** Jackson's Integer handling, except that a number too large for an int names the key instead of failing the parse. */
    private static final class StrictIntegerDeserializer extends JsonDeserializer<Integer> {
        private static final NumberDeserializers.IntegerDeserializer DEFAULT = new NumberDeserializers.IntegerDeserializer(Integer.class, null);

        @Override
        public Integer deserialize(JsonParser p, DeserializationContext ctxt) throws IOException {
            if (p.currentToken() == JsonToken.VALUE_NUMBER_INT && p.getNumberType() != JsonParser.NumberType.INT) {
                BigInteger big = p.getBigIntegerValue();
                throw ctxt.weirdNumberException(big, Integer.class, "too large");
            }
            return DEFAULT.deserialize(p, ctxt);
        }
    }
}
