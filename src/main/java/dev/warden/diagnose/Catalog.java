package dev.warden.diagnose;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Consumer;
import java.util.stream.Stream;

/**
 * The rules in force: the catalog shipped in the jar, then the user's rule files (file name
 * order), then the job spec's {@code rules:}. A later rule with the id of an earlier one replaces
 * it ({@code enabled: false} removes it). A broken user rule or file is reported through the
 * warnings callback, with file:line, and skipped; it never stops the others from loading.
 */
public final class Catalog {
    static final String RESOURCE = "/dev/warden/diagnose/rules.yaml";
    private static final long MAX_RULE_FILE = 1024 * 1024;

    private final Map<String, CategoryInfo> categories;
    private final List<Rule> rules;

    private Catalog(Map<String, CategoryInfo> categories, List<Rule> rules) {
        this.categories = Collections.unmodifiableMap(categories);
        this.rules = List.copyOf(rules);
    }

    public Map<String, CategoryInfo> categories() {
        return categories;
    }

    public List<Rule> rules() {
        return rules;
    }

    public Optional<CategoryInfo> category(String name) {
        return Optional.ofNullable(categories.get(name));
    }

    /** The shipped catalog alone. A broken shipped catalog is a bug: it throws. */
    public static Catalog builtin() {
        return load(List.of(), List.of(), msg -> {
            throw new IllegalStateException("the built-in rule catalog is broken: " + msg);
        });
    }

    public static Catalog load(List<Path> userRuleDirs, List<Map<String, Object>> specRules, Consumer<String> warnings) {
        Map<String, CategoryInfo> categories = new LinkedHashMap<>();
        Map<String, Rule> rules = new LinkedHashMap<>();
        loadText(readResource(), "catalog", true, categories, rules, warnings);
        for (Path dir : userRuleDirs) {
            for (Path file : ruleFiles(dir, warnings)) {
                String text;
                try {
                    if (Files.size(file) > MAX_RULE_FILE) {
                        warnings.accept(file + ": larger than 1 MiB; a rule file holds rules, not data; file skipped");
                        continue;
                    }
                    text = Files.readString(file, StandardCharsets.UTF_8);
                } catch (IOException | UncheckedIOException e) {
                    warnings.accept(file + ": cannot be read (" + e.getClass().getSimpleName() + "); file skipped");
                    continue;
                }
                loadText(text, file.toString(), false, categories, rules, warnings);
            }
        }
        int i = 0;
        for (Map<String, Object> m : specRules == null ? List.<Map<String, Object>>of() : specRules) {
            String place = "spec rules[" + i++ + "]";
            addRule(m, new RuleParser.Where(place, Map.of(), null), categories, rules, warnings);
        }
        return new Catalog(categories, new ArrayList<>(rules.values()));
    }

    private static void loadText(String text, String name, boolean builtin, Map<String, CategoryInfo> categories,
                                 Map<String, Rule> rules, Consumer<String> warnings) {
        RuleYaml.Parsed parsed;
        try {
            parsed = RuleYaml.parse(text, name);
        } catch (RuleException e) {
            warnings.accept(e.getMessage() + (builtin ? "" : "; file skipped"));
            return;
        }
        for (Map.Entry<String, RuleYaml.Entry> c : parsed.categories().entrySet()) {
            RuleYaml.Entry e = c.getValue();
            RuleParser.Where where = new RuleParser.Where(name + ":" + e.line(), e.keyLines(), name);
            if (!builtin && categories.containsKey(c.getKey())) {
                warnings.accept(where.place() + ": category '" + c.getKey() + "' is built in and cannot be redefined; "
                        + "change a rule's priority, action or suggestion instead; category skipped");
                continue;
            }
            try {
                categories.put(c.getKey(), RuleParser.category(c.getKey(), e.map(), where));
            } catch (RuleException ex) {
                warnings.accept(ex.getMessage() + "; category skipped");
            }
        }
        for (RuleYaml.Entry e : parsed.rules()) {
            RuleParser.Where where = new RuleParser.Where(name + ":" + e.line(), e.keyLines(), name);
            if (e.map() == null) {
                warnings.accept(where.place() + ": a rule is a mapping with id, category, patterns...; entry skipped");
                continue;
            }
            addRule(e.map(), where, categories, rules, warnings);
        }
    }

    private static void addRule(Map<String, Object> m, RuleParser.Where where, Map<String, CategoryInfo> categories,
                                Map<String, Rule> rules, Consumer<String> warnings) {
        try {
            Optional<Rule> rule = RuleParser.rule(m, categories, where);
            String id = String.valueOf(m.get("id")).trim();
            rules.remove(id);
            rule.ifPresent(r -> rules.put(r.id(), r));
            rule.filter(r -> r.patterns().stream().anyMatch(RulePattern::needsEveryLine)).ifPresent(r -> warnings.accept(
                    where.place() + ": rule '" + r.id() + "': a regex has no plain text of " + RequiredLiterals.MIN_LENGTH
                            + "+ characters to look for first (or uses (?i)), so it is tried on every line; this works but "
                            + "slows down long logs; add a literal piece of the message to the regex"));
        } catch (RuleException ex) {
            warnings.accept(ex.getMessage() + "; rule skipped");
        }
    }

    private static List<Path> ruleFiles(Path dir, Consumer<String> warnings) {
        if (dir == null || !Files.isDirectory(dir)) {
            return List.of();
        }
        try (Stream<Path> s = Files.list(dir)) {
            return s.filter(p -> {
                String n = p.getFileName().toString();
                return (n.endsWith(".yaml") || n.endsWith(".yml")) && !n.startsWith(".") && Files.isRegularFile(p);
            }).sorted().toList();
        } catch (IOException e) {
            warnings.accept(dir + ": cannot list rule files (" + e.getClass().getSimpleName() + "); directory skipped");
            return List.of();
        }
    }

    private static String readResource() {
        try (InputStream in = Catalog.class.getResourceAsStream(RESOURCE)) {
            if (in == null) {
                throw new IllegalStateException("rule catalog " + RESOURCE + " is missing from the jar");
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read the rule catalog " + RESOURCE, e);
        }
    }
}
