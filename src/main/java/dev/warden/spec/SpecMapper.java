package dev.warden.spec;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.databind.DeserializationContext;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonDeserializer;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.module.SimpleModule;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.fasterxml.jackson.dataformat.yaml.YAMLGenerator;

import java.io.IOException;
import java.time.Duration;

/** The one YAML mapper for warden.yaml: snake_case keys, strict types, durations like "90s". */
public final class SpecMapper {
    private SpecMapper() {}

    public static ObjectMapper create() {
        SimpleModule durations = new SimpleModule("warden-durations");
        durations.addDeserializer(Duration.class, new JsonDeserializer<>() {
            @Override
            public Duration deserialize(JsonParser p, DeserializationContext ctxt) throws IOException {
                String text = p.getValueAsString();
                if (text == null) {
                    return (Duration) ctxt.handleUnexpectedToken(Duration.class, p);
                }
                try {
                    return Durations.parse(text);
                } catch (IllegalArgumentException e) {
                    throw ctxt.weirdStringException(text, Duration.class, e.getMessage());
                }
            }
        });
        YAMLFactory yaml = YAMLFactory.builder().disable(YAMLGenerator.Feature.WRITE_DOC_START_MARKER).build();
        return new ObjectMapper(yaml)
                .setPropertyNamingStrategy(PropertyNamingStrategies.SNAKE_CASE)
                .enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
                .enable(DeserializationFeature.FAIL_ON_NULL_FOR_PRIMITIVES)
                .disable(DeserializationFeature.ACCEPT_FLOAT_AS_INT)
                .registerModule(durations);
    }

    /** camelCase record component -> the YAML key users write. */
    public static String yamlKey(String javaName) {
        return PropertyNamingStrategies.SnakeCaseStrategy.INSTANCE.translate(javaName);
    }
}
