package dev.warden.spec;

import com.fasterxml.jackson.core.util.DefaultIndenter;
import com.fasterxml.jackson.core.util.DefaultPrettyPrinter;
import com.fasterxml.jackson.core.util.Separators;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.github.victools.jsonschema.generator.CustomDefinition;
import com.github.victools.jsonschema.generator.FieldScope;
import com.github.victools.jsonschema.generator.Option;
import com.github.victools.jsonschema.generator.OptionPreset;
import com.github.victools.jsonschema.generator.SchemaGenerator;
import com.github.victools.jsonschema.generator.SchemaGeneratorConfigBuilder;
import com.github.victools.jsonschema.generator.SchemaVersion;

import java.lang.reflect.RecordComponent;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;

/**
 * The JSON Schema (draft 2020-12) of warden.yaml, generated from the {@link JobSpec} records with victools
 * jsonschema-generator, so that editors flag unknown keys and wrong types. Property names are the YAML keys
 * {@link SpecMapper} reads; descriptions come from the records' javadoc, defaults from {@link SpecDefaults}.
 * The generated file is committed as schema/warden.schema.json; SpecSchemaTest fails when it is stale.
 */
public final class SpecSchema {
    /** Where the committed schema lives, relative to the repository root. */
    public static final Path FILE = Path.of("schema", "warden.schema.json");
    /** Durations as {@link Durations#parse} reads them: "90s", "1h30m", "500ms", or a bare number of seconds. */
    static final String DURATION_PATTERN = "^\\s*(\\d+(\\.\\d+)?\\s*|(\\d+(\\.\\d+)?\\s*([mM][sS]|[sSmMhHdD])\\s*)+)$";

    private static final ObjectMapper JSON = new ObjectMapper();

    private SpecSchema() {}

    /**
     * @param sourceRoot src/main/java, where the records' javadoc is read for descriptions
     * @return the schema as pretty-printed JSON text ending in a newline, identical for identical inputs
     */
    public static String generate(Path sourceRoot) {
        Map<String, String> docs = RecordDocs.read(sourceRoot, JobSpec.class, CheckpointSpec.class);
        ObjectNode schema = build(docs);
        DefaultPrettyPrinter printer = new DefaultPrettyPrinter()
                .withSeparators(Separators.createDefaultInstance().withObjectFieldValueSpacing(Separators.Spacing.AFTER))
                .withObjectIndenter(new DefaultIndenter("  ", "\n"))
                .withArrayIndenter(new DefaultIndenter("  ", "\n"));
        try {
            return JSON.writer(printer).writeValueAsString(schema) + "\n";
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    static ObjectNode build(Map<String, String> docs) {
        SchemaGeneratorConfigBuilder b = new SchemaGeneratorConfigBuilder(SchemaVersion.DRAFT_2020_12, OptionPreset.PLAIN_JSON)
                .with(Option.FORBIDDEN_ADDITIONAL_PROPERTIES_BY_DEFAULT, Option.MAP_VALUES_AS_ADDITIONAL_PROPERTIES);
        b.forTypesInGeneral()
                .withPropertySorter((x, y) -> 0) // a stable sort: declaration order, as in the javadoc
                .withCustomDefinitionProvider((type, context) -> {
                    if (type.getErasedType() == Duration.class) {
                        return new CustomDefinition(duration());
                    }
                    if (type.getErasedType() == Command.class) {
                        return new CustomDefinition(command(), CustomDefinition.INLINE_DEFINITION, CustomDefinition.INCLUDING_ATTRIBUTES);
                    }
                    return null;
                });
        // Descriptions, choices and defaults belong to the key, not to the items of a list or map it holds.
        b.forFields()
                .withPropertyNameOverrideResolver(SpecSchema::yamlKey)
                .withRequiredCheck(f -> f.getDeclaringType().getErasedType() == JobSpec.class && f.getDeclaredName().equals("command"))
                .withDescriptionResolver(f -> f.isFakeContainerItemScope() ? null
                        : docs.get(f.getDeclaringType().getErasedType().getSimpleName() + "." + f.getDeclaredName()))
                .withEnumResolver(f -> f.isFakeContainerItemScope() ? null : choices(f))
                .withDefaultResolver(f -> f.isFakeContainerItemScope() ? null : defaultValue(f));
        ObjectNode schema = new SchemaGenerator(b.build()).generateSchema(JobSpec.class);
        schema.put("title", "warden.yaml");
        schema.put("description", docs.get("JobSpec"));
        tighten(schema);
        return reorder(schema);
    }

    private static String yamlKey(FieldScope f) {
        for (RecordComponent c : f.getDeclaringType().getErasedType().getRecordComponents()) {
            if (c.getName().equals(f.getDeclaredName())) {
                return SpecKeys.yamlKey(c);
            }
        }
        return null;
    }

    private static List<String> choices(FieldScope f) {
        Class<?> owner = f.getDeclaringType().getErasedType();
        if (owner == JobSpec.class && f.getDeclaredName().equals("onNan")) {
            return SpecValidator.ON_NAN;
        }
        if (owner == JobSpec.class && f.getDeclaredName().equals("orphans")) {
            return SpecValidator.ORPHANS;
        }
        if (owner == JobSpec.OnFailure.class && f.getDeclaredName().equals("action")) {
            return SpecValidator.ON_FAILURE_ACTION;
        }
        return null;
    }

    /** The value SpecDefaults gives an unset key, written as a user would write it; null where it depends on the machine. */
    private static Object defaultValue(FieldScope f) {
        Class<?> owner = f.getDeclaringType().getErasedType();
        Object record = switch (owner.getSimpleName()) {
            case "JobSpec" -> DEFAULTS;
            case "Backoff" -> DEFAULTS.backoff();
            case "Budget" -> DEFAULTS.budget();
            default -> null;
        };
        if (record == null || f.getDeclaredName().equals("workdir") || f.getDeclaredName().equals("name")) {
            return null;
        }
        Object value;
        try {
            value = owner.getDeclaredMethod(f.getDeclaredName()).invoke(record);
        } catch (ReflectiveOperationException e) {
            return null;
        }
        if (value instanceof Duration d) {
            return d.isZero() ? (Object) 0 : Durations.format(d);
        }
        return value instanceof Number || value instanceof String ? value : null;
    }

    private static final JobSpec DEFAULTS = SpecDefaults.apply(new JobSpec(null, Command.shell("x"), null, null, null, null, null,
            null, null, null, null, null, null, null, null, null, null, null, null, null, null, null, null, null, null), Path.of("/"), "x");

    private static ObjectNode duration() {
        ObjectNode n = JSON.createObjectNode();
        n.putArray("type").add("string").add("number");
        n.put("pattern", DURATION_PATTERN);
        n.put("minimum", 0);
        n.put("description", "A duration: 500ms, 90s, 10m, 2h, 1h30m, 1d; a bare number is seconds.");
        return n;
    }

    private static ObjectNode command() {
        ObjectNode n = JSON.createObjectNode();
        ArrayNode any = n.putArray("anyOf");
        any.addObject().put("type", "string").put("minLength", 1);
        ObjectNode list = any.addObject().put("type", "array").put("minItems", 1);
        list.putObject("items").putArray("type").add("string").add("number");
        return n;
    }

    /** What victools cannot see in the types: scalar-only maps, free-form check and rule entries. */
    private static void tighten(ObjectNode schema) {
        ObjectNode props = (ObjectNode) schema.get("properties");
        ((ObjectNode) props.get("command")).remove("additionalProperties"); // string or list: not an object
        ObjectNode env = (ObjectNode) props.get("env");
        scalarValues(env);
        ObjectNode params = JSON.createObjectNode().put("type", "object");
        params.set("description", props.get("params").get("description"));
        scalarValues(params);
        params.putObject("propertyNames").put("pattern", "^[A-Za-z_][A-Za-z0-9_.-]*$");
        props.set("params", params);
        for (String freeForm : List.of("checks", "rules")) {
            ((ObjectNode) props.get(freeForm)).putObject("items").put("type", "object"); // keys owned by the check and rule catalogs
        }
        ObjectNode defs = (ObjectNode) schema.get("$defs");
        defs.remove("Map(String,Object)");
    }

    /** Values YAML writes as plain scalars: `A: 1` is as good as `A: "1"`. */
    private static void scalarValues(ObjectNode map) {
        map.putObject("additionalProperties").putArray("type").add("string").add("number").add("boolean");
    }

    /** $schema, title, description first: the order a reader expects. */
    private static ObjectNode reorder(ObjectNode schema) {
        ObjectNode out = JSON.createObjectNode();
        for (String first : List.of("$schema", "title", "description")) {
            if (schema.has(first)) {
                out.set(first, schema.get(first));
            }
        }
        for (Map.Entry<String, JsonNode> e : schema.properties()) {
            if (!out.has(e.getKey())) {
                out.set(e.getKey(), e.getValue());
            }
        }
        return out;
    }
}
