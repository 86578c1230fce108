package dev.warden.spec;

import com.fasterxml.jackson.databind.BeanDescription;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.introspect.BeanPropertyDefinition;
import dev.warden.store.AtomicFiles;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.io.IOException;
import java.lang.reflect.ParameterizedType;
import java.lang.reflect.RecordComponent;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Random;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

/**
 * schema/warden.schema.json is generated from the JobSpec records and committed so editors can validate warden.yaml.
 * Regenerate it after changing a record or its javadoc:
 * <pre>mvn -q -B -o test -Dtest=SpecSchemaTest -Dwarden.updateSchema=true</pre>
 */
class SpecSchemaTest {
    private static final String REGENERATE = "mvn -q -B -o test -Dtest=SpecSchemaTest -Dwarden.updateSchema=true";
    private static final ObjectMapper JSON = new ObjectMapper();

    private static String fresh() {
        return SpecSchema.generate(Path.of("src/main/java"));
    }

    @Test
    void committedSchemaIsUpToDate() throws IOException {
        String fresh = fresh();
        Path committed = SpecSchema.FILE;
        if (Boolean.getBoolean("warden.updateSchema")) {
            Files.createDirectories(committed.getParent());
            AtomicFiles.writeString(committed, fresh);
            return;
        }
        String current = Files.exists(committed) ? Files.readString(committed, StandardCharsets.UTF_8) : "";
        if (!current.equals(fresh)) {
            Path copy = Path.of("target", "warden.schema.json");
            Files.createDirectories(copy.getParent());
            AtomicFiles.writeString(copy, fresh);
            fail(committed + " is stale; regenerate with: " + REGENERATE + "  (or: cp " + copy + " " + committed + ")");
        }
    }

    @Test
    void generationIsDeterministic() {
        assertThat(fresh()).isEqualTo(fresh());
    }

    /** The keys an editor offers are exactly the keys the loader accepts, in every section. */
    @Test
    void everySectionHasExactlyTheKeysTheLoaderReads() throws IOException {
        JsonNode schema = JSON.readTree(fresh());
        ObjectMapper yaml = SpecMapper.create();
        List<String> checked = new ArrayList<>();
        compare(schema, schema, JobSpec.class, yaml, "", checked);

        assertThat(checked).contains("", "backoff", "budget", "progress", "notify", "checkpoints", "checkpoints.fingerprint", "on.*");
    }

    private static void compare(JsonNode root, JsonNode node, Class<?> record, ObjectMapper yaml, String where, List<String> checked) {
        node = resolve(root, node);
        BeanDescription d = yaml.getDeserializationConfig().introspect(yaml.constructType(record));
        Set<String> loader = new TreeSet<>();
        for (BeanPropertyDefinition p : d.findProperties()) {
            loader.add(p.getName());
        }
        Set<String> schemaKeys = new TreeSet<>();
        node.get("properties").fieldNames().forEachRemaining(schemaKeys::add);
        assertThat(schemaKeys).as("keys of `%s`", where).isEqualTo(loader);
        assertThat(node.get("additionalProperties").asBoolean(true)).as("`%s` rejects unknown keys", where).isFalse();
        checked.add(where);
        for (RecordComponent c : record.getRecordComponents()) {
            String key = SpecKeys.yamlKey(c);
            JsonNode prop = node.get("properties").get(key);
            String child = where.isEmpty() ? key : where + "." + key;
            if (c.getType().isRecord() && c.getType() != Command.class) {
                compare(root, prop, c.getType(), yaml, child, checked);
            } else if (c.getGenericType() instanceof ParameterizedType t && t.getActualTypeArguments().length == 2
                    && t.getActualTypeArguments()[1] instanceof Class<?> v && v.isRecord()) {
                compare(root, prop.get("additionalProperties"), v, yaml, child + ".*", checked);
            }
        }
    }

    private static JsonNode resolve(JsonNode root, JsonNode node) {
        JsonNode ref = node.get("$ref");
        return ref == null ? node : root.at(ref.asText().substring(1));
    }

    @Test
    void everyTopLevelKeyIsDescribedAndCommandIsRequired() throws IOException {
        JsonNode schema = JSON.readTree(fresh());

        assertThat(schema.get("$schema").asText()).isEqualTo("https://json-schema.org/draft/2020-12/schema");
        assertThat(schema.get("required")).containsExactly(JSON.getNodeFactory().textNode("command"));
        for (Iterator<String> it = schema.get("properties").fieldNames(); it.hasNext(); ) {
            String key = it.next();
            assertThat(schema.get("properties").get(key).path("description").asText())
                    .as("description of `%s` (from JobSpec's @param javadoc)", key).isNotBlank();
        }
        assertThat(schema.at("/properties/notify/properties/webhook/type").asText()).isEqualTo("string");
        assertThat(schema.at("/properties/on_nan/enum")).hasSize(SpecValidator.ON_NAN.size());
        assertThat(schema.at("/properties/grace/default").asText()).isEqualTo("30s");
        assertThat(schema.at("/properties/max_restarts/default").asInt()).isEqualTo(SpecDefaults.MAX_RESTARTS);
    }

    @Test
    void commandIsAStringOrAListOfStrings() throws IOException {
        JsonNode command = JSON.readTree(fresh()).at("/properties/command/anyOf");

        assertThat(command.get(0).get("type").asText()).isEqualTo("string");
        assertThat(command.get(1).get("type").asText()).isEqualTo("array");
        assertThat(command.get(1).at("/items/type").toString()).contains("string");
    }

    /** The schema's duration pattern (an ECMA regex, written so Java reads it the same) accepts what Durations.parse accepts. */
    @ParameterizedTest(name = "seed {0}")
    @ValueSource(longs = {5, 6, 77})
    void durationPatternAgreesWithTheParser(long seed) throws IOException {
        JsonNode duration = JSON.readTree(fresh()).at("/$defs/Duration");
        Pattern pattern = Pattern.compile(duration.get("pattern").asText());
        assertThat(duration.get("type").toString()).isEqualTo("[\"string\",\"number\"]");
        Random r = new Random(seed);
        String[] units = {"ms", "s", "m", "h", "d", "S", "M", "H", "Ms"};
        String[] junk = {"", "x", "-", "1e3", " m", "h1", "1.", ".5s", "1,5h"};
        for (int i = 0; i < 300; i++) {
            StringBuilder s = new StringBuilder();
            int parts = r.nextInt(3);
            for (int p = 0; p <= parts; p++) {
                s.append(r.nextInt(500)).append(r.nextBoolean() ? "" : "." + r.nextInt(10)).append(r.nextBoolean() ? " " : "");
                s.append(parts == 0 && r.nextBoolean() ? "" : units[r.nextInt(units.length)]);
            }
            if (r.nextInt(4) == 0) {
                s.insert(r.nextInt(s.length() + 1), junk[r.nextInt(junk.length)]);
            }
            String text = s.toString();
            boolean parses;
            try {
                Durations.parse(text);
                parses = true;
            } catch (IllegalArgumentException e) {
                parses = false;
            }
            if (pattern.matcher(text).find()) {
                assertThat(parses).as("schema accepts `%s`, so the loader must", text).isTrue();
            }
            if (parses && !text.contains(" ")) {
                assertThat(pattern.matcher(text).find()).as("loader accepts `%s`, so the schema must", text).isTrue();
            }
        }
    }
}
