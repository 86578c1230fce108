package dev.warden.spec;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.exc.InvalidFormatException;
import com.fasterxml.jackson.databind.exc.MismatchedInputException;
import com.fasterxml.jackson.databind.exc.UnrecognizedPropertyException;
import com.fasterxml.jackson.databind.exc.ValueInstantiationException;
import dev.warden.UserError;
import org.yaml.snakeyaml.error.Mark;
import org.yaml.snakeyaml.error.MarkedYAMLException;

import java.io.IOException;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.StandardCharsets;
import java.nio.file.AccessDeniedException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;

/** Reads warden.yaml into a validated {@link JobSpec}; every problem is one line with file:line:column and the fix. */
public final class SpecLoader {
    /** Made on first use: a plainly valid spec never needs it ({@link SpecBinder}). */
    private static final class Databind {
        static final ObjectMapper MAPPER = SpecMapper.create();
    }

    private SpecLoader() {}

    public static LoadedSpec load(Path file) {
        Path abs = file.toAbsolutePath().normalize();
        if (Files.isDirectory(abs)) {
            throw new UserError("spec file " + file + " is a directory; give the spec file itself, e.g. "
                    + file.resolve("warden.yaml"), UserError.CONFIG);
        }
        String text;
        try {
            text = Files.readString(abs, StandardCharsets.UTF_8);
        } catch (NoSuchFileException e) {
            throw new UserError("spec file " + file + " not found; write one with `warden init -- <your command>`, "
                    + "or run without a spec: `warden run -- python train.py`", UserError.CONFIG);
        } catch (AccessDeniedException e) {
            throw new UserError("cannot read spec file " + file + ": permission denied; check its owner and mode (ls -l " + file + ")",
                    UserError.CONFIG);
        } catch (CharacterCodingException e) {
            throw new UserError("spec file " + file + " is not UTF-8 text; save it as UTF-8", UserError.CONFIG);
        } catch (IOException e) {
            throw new UserError("cannot read spec file " + file + ": " + e.getMessage(), UserError.CONFIG);
        }
        String label = file.toString();
        JobSpec raw = parse(text, label);
        Path dir = abs.getParent();
        JobSpec spec = SpecDefaults.apply(raw, dir, defaultName(raw.command(), dir));
        if (raw.workdir() != null && !Files.isDirectory(Path.of(spec.workdir()))) {
            throw new UserError(label + ":" + at(text, "workdir") + ": `workdir` is `" + raw.workdir() + "`, which is not a directory ("
                    + spec.workdir() + "); create it or fix the path", UserError.CONFIG);
        }
        return new LoadedSpec(spec, abs, dir);
    }

    /**
     * `warden run -- python train.py --lr 3e-4`: no spec file, every default. A single argument with spaces
     * (`warden run -- "python train.py | tee log"`) is a shell line.
     */
    public static LoadedSpec fromCommand(List<String> argv, Path cwd) {
        if (argv.isEmpty() || argv.get(0).isBlank()) {
            throw new UserError("no command given; use `warden run -- python train.py` or `warden run warden.yaml`");
        }
        Command command = argv.size() == 1 && argv.get(0).trim().contains(" ") ? Command.shell(argv.get(0).trim()) : Command.argv(argv);
        JobSpec raw = new JobSpec(null, command, null, null, null, null, null, null, null, null, null, null,
                null, null, null, null, null, null, null, null, null, null, null, null, null);
        Path dir = cwd.toAbsolutePath().normalize();
        return new LoadedSpec(SpecDefaults.apply(raw, dir, defaultName(raw.command(), dir)), null, dir);
    }

    /** Parses and validates; defaults are not applied. */
    public static JobSpec parse(String text, String label) {
        if (!text.isEmpty() && text.charAt(0) == '\uFEFF') {
            text = text.substring(1); // a byte-order mark from a Windows editor
        }
        JobSpec spec;
        try {
            spec = SpecBinder.bind(text).orElse(null);
            if (spec == null) {
                spec = databind(text);
            }
        } catch (JsonProcessingException e) {
            throw new UserError(label + ":" + describe(e, text), UserError.CONFIG);
        }
        if (spec == null) {
            throw new UserError(label + ":1:1: " + EMPTY, UserError.CONFIG);
        }
        List<Problem> problems = new ArrayList<>();
        SpecValidator.validate(spec, problems);
        if (!problems.isEmpty()) {
            String source = text;
            Problem first = problems.stream().min(Comparator.comparingLong(q -> order(at(source, q.path())))).orElseThrow();
            String more = problems.size() > 1 ? " (and " + (problems.size() - 1) + " more problem" + (problems.size() > 2 ? "s" : "") + ")" : "";
            throw new UserError(label + ":" + at(text, first.path()) + ": " + first.message() + more, UserError.CONFIG);
        }
        return spec;
    }

    /** Jackson's reading of the spec: the reference for {@link SpecBinder}, and the one that words errors. */
    static JobSpec databind(String text) throws JsonProcessingException {
        return Databind.MAPPER.readValue(text, JobSpec.class);
    }

    private static final String EMPTY = "the spec is empty; it needs at least the training command, e.g. `command: python train.py`";

    /** One thing wrong with a parsed spec: the key path (`budget.warn_at`) and the message with its fix. */
    record Problem(String path, String message) {}

    /** Sorts "line:column" in file order. */
    private static long order(String where) {
        String[] lc = where.split(":");
        return Long.parseLong(lc[0]) * 100_000 + Long.parseLong(lc[1]);
    }

    /** line:column of a key's value, else of the key, else 1:1. */
    static String at(String text, String path) {
        String where = path.isEmpty() ? null : SpecLocator.value(text, path);
        return where == null ? "1:1" : where;
    }

    static String describe(JsonProcessingException e, String text) {
        String jackson = e.getLocation() == null ? "1:1" : e.getLocation().getLineNr() + ":" + e.getLocation().getColumnNr();
        for (Throwable c = e.getCause(); c != null; c = c.getCause()) {
            if (c instanceof MarkedYAMLException y) {
                return yamlSyntax(y);
            }
        }
        String msg = e.getOriginalMessage() == null ? "" : e.getOriginalMessage().lines().findFirst().orElse("");
        if (msg.startsWith("Duplicate field '")) {
            String dup = msg.substring("Duplicate field '".length(), msg.indexOf('\'', "Duplicate field '".length()));
            int line = e.getLocation() == null ? 1 : e.getLocation().getLineNr();
            return keyOnLine(text, line, dup) + ": duplicate key `" + dup + "`; keep one of them (YAML would silently use the last one)";
        }
        if (!(e instanceof JsonMappingException m)) {
            return jackson + ": not valid YAML: " + msg;
        }
        String key = path(m);
        if (e instanceof UnrecognizedPropertyException u) {
            String where = or(SpecLocator.key(text, key), jackson);
            String parent = key.contains(".") ? key.substring(0, key.lastIndexOf('.')) : "";
            return where + ": unknown key `" + u.getPropertyName() + "`" + (parent.isEmpty() ? "" : " in `" + parent + "`")
                    + unknownKeyHint(u.getPropertyName(), parent, names(u.getKnownPropertyIds()));
        }
        String where = key.isEmpty() ? jackson : or(SpecLocator.value(text, key), jackson);
        if (key.isEmpty()) {
            String what = notAMapping(text);
            return (what.equals(EMPTY) ? "1:1" : where) + ": " + what;
        }
        if (e instanceof InvalidFormatException f) {
            Object value = f.getValue();
            if (f.getTargetType() == Duration.class) {
                String detail = f.getOriginalMessage();
                return where + ": `" + key + "`: " + detail.substring(detail.indexOf(':') + 1).trim();
            }
            if (value instanceof Number n && "too large".equals(tail(f.getOriginalMessage()))) {
                return where + ": `" + key + "` is " + n + ", too large; write a whole number up to " + Integer.MAX_VALUE;
            }
            if (value == null || value.toString().isEmpty()) {
                return where + ": `" + key + "` is empty; write " + typeName(f.getTargetType()) + ", or remove the key";
            }
            return where + ": `" + key + "` must be " + typeName(f.getTargetType()) + ", not `" + value + "`";
        }
        if (e instanceof ValueInstantiationException v && v.getCause() != null) {
            return where + ": " + v.getCause().getMessage();
        }
        if (e instanceof MismatchedInputException mi) {
            return where + ": `" + key + "` must be " + typeName(mi.getTargetType()) + found(text, key);
        }
        return where + ": `" + key + "`: " + e.getOriginalMessage();
    }

    /** SnakeYAML's problem and its mark (the mark of the context, "while parsing ...", is where it started). */
    private static String yamlSyntax(MarkedYAMLException y) {
        Mark mark = y.getProblemMark() != null ? y.getProblemMark() : y.getContextMark();
        String where = mark == null ? "1:1" : (mark.getLine() + 1) + ":" + (mark.getColumn() + 1);
        String problem = y.getProblem() == null ? "" : y.getProblem().trim();
        if (problem.contains("\\t(TAB)") || problem.contains("\t")) {
            return where + ": not valid YAML: a tab character; indent with spaces, YAML does not allow tabs";
        }
        String fix = "";
        if (problem.startsWith("mapping values are not allowed")) {
            fix = "; a value that contains `: ` must be quoted, e.g. command: \"python train.py --x a: b\"";
        } else if (y.getContext() != null && y.getContextMark() != null) {
            Mark c = y.getContextMark();
            String context = y.getContext().trim().replace("while parsing a flow sequence", "in the [list] opened")
                    .replace("while parsing a flow mapping", "in the {mapping} opened")
                    .replace("while scanning a quoted scalar", "in the quoted text opened");
            fix = " (" + context + " at " + (c.getLine() + 1) + ":" + (c.getColumn() + 1) + ")";
        }
        return where + ": not valid YAML: " + problem + fix;
    }

    /** The root is not a mapping: say what it is instead. */
    private static String notAMapping(String text) {
        JsonNode root;
        try {
            root = Databind.MAPPER.readTree(text);
        } catch (IOException | RuntimeException e) {
            root = null;
        }
        if (root == null || root.isMissingNode() || root.isNull()) {
            return EMPTY;
        }
        String what = root.isArray() ? "a list" : root.isTextual() ? "the text `" + abbreviate(root.asText()) + "`" : "the value `" + root + "`";
        return "the spec must be a mapping of keys such as `command: python train.py`, not " + what;
    }

    /** ", not a list" / ", not `5`": what the user wrote where something else was expected. */
    private static String found(String text, String key) {
        JsonNode node;
        try {
            node = Databind.MAPPER.readTree(text).at("/" + key.replace("[", ".").replace("]", "").replace(".", "/"));
        } catch (IOException | RuntimeException e) {
            return "";
        }
        if (node.isArray()) {
            return ", not a list";
        }
        if (node.isObject()) {
            return ", not a mapping";
        }
        return node.isValueNode() && !node.isNull() ? ", not `" + abbreviate(node.asText()) + "`" : "";
    }

    private static String unknownKeyHint(String key, String parent, Set<String> known) {
        String section = SpecKeys.sectionOf(key);
        if (section != null && !sameSection(section, parent)) {
            return section.isEmpty() ? "; `" + key + "` is a top-level key: move it out of `" + parent + "`"
                    : "; `" + key + "` belongs under `" + section + ":`";
        }
        return suggestion(key, known, true);
    }

    private static boolean sameSection(String section, String parent) {
        return section.equals(parent) || section.endsWith(".<category>") && parent.matches("\\Q"
                + section.substring(0, section.length() - ".<category>".length()) + "\\E\\.[^.]+");
    }

    private static String path(JsonMappingException m) {
        return m.getPath().stream()
                .map(r -> r.getFieldName() != null ? r.getFieldName() : "[" + r.getIndex() + "]")
                .collect(Collectors.joining(".")).replace(".[", "[");
    }

    private static Set<String> names(Collection<Object> ids) {
        Set<String> s = new HashSet<>();
        ids.forEach(o -> s.add(String.valueOf(o)));
        return s;
    }

    static String typeName(Class<?> t) {
        if (t == null) {
            return "a different type";
        }
        if (t == Integer.class || t == int.class || t == Long.class || t == long.class) {
            return "a whole number";
        }
        if (t == Double.class || t == double.class) {
            return "a number";
        }
        if (t == Duration.class) {
            return "a duration like 90s, 10m or 2h";
        }
        if (t == String.class) {
            return "text";
        }
        if (t == Boolean.class || t == boolean.class) {
            return "true or false";
        }
        if (List.class.isAssignableFrom(t)) {
            return "a list, like `[a, b]`";
        }
        if (Map.class.isAssignableFrom(t) || t.isRecord()) {
            return "a mapping of `key: value` lines";
        }
        return "a " + t.getSimpleName();
    }

    /**
     * "; did you mean `x`?" for a near miss. With listAll, a wrong key with no near miss lists the valid keys;
     * values (enum choices, param names) already name their choices in the message.
     */
    static String suggestion(String wrong, Collection<String> candidates, boolean listAll) {
        String best = null;
        int bestDistance = Integer.MAX_VALUE;
        for (String c : new TreeSet<>(candidates)) {
            int d = Levenshtein.distance(wrong.toLowerCase(), c.toLowerCase());
            if (d < bestDistance) {
                bestDistance = d;
                best = c;
            }
        }
        if (best != null && bestDistance <= Math.max(2, wrong.length() / 3)) {
            return "; did you mean `" + best + "`?";
        }
        return !listAll || candidates.isEmpty() ? "" : "; known keys: " + String.join(", ", new TreeSet<>(candidates));
    }

    /** The job name when the spec gives none: the script's name (train.py -> train), else the program's. */
    static String defaultName(Command c, Path dir) {
        List<String> argv = c == null ? List.of() : c.shell() != null ? List.of(c.shell().trim().split("\\s+")) : c.argv();
        for (int i = 0; i < argv.size(); i++) {
            String a = argv.get(i);
            if (a.equals("-m") && i + 1 < argv.size()) {
                String module = argv.get(i + 1);
                return sanitize(module.substring(module.lastIndexOf('.') + 1));
            }
            String base = Path.of(a).getFileName() == null ? a : Path.of(a).getFileName().toString();
            if (base.endsWith(".py") || base.endsWith(".sh")) {
                return sanitize(base.substring(0, base.lastIndexOf('.')));
            }
        }
        if (!argv.isEmpty()) {
            Path p = Path.of(argv.get(0)).getFileName();
            return sanitize(p == null ? "job" : p.toString());
        }
        return sanitize(dir.getFileName() == null ? "job" : dir.getFileName().toString());
    }

    static String sanitize(String name) {
        String s = name.replaceAll("[^A-Za-z0-9_.-]", "-");
        return s.isEmpty() || s.chars().allMatch(ch -> ch == '.') ? "job" : s;
    }

    /** line:column of a key on a known line (Jackson reports duplicates just after the key). */
    private static String keyOnLine(String text, int line, String key) {
        List<String> lines = text.lines().toList();
        int col = line >= 1 && line <= lines.size() ? lines.get(line - 1).indexOf(key) : -1;
        return line + ":" + (col < 0 ? 1 : col + 1);
    }

    private static String or(String a, String b) {
        return a != null ? a : b;
    }

    private static String tail(String message) {
        return message == null ? "" : message.substring(message.lastIndexOf(':') + 1).trim();
    }

    static String abbreviate(String s) {
        String one = s.lines().findFirst().orElse("");
        return one.length() > 40 ? one.substring(0, 40) + "..." : one;
    }
}
