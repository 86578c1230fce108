package dev.warden.diagnose;

import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.error.MarkedYAMLException;
import org.yaml.snakeyaml.error.YAMLException;
import org.yaml.snakeyaml.nodes.MappingNode;
import org.yaml.snakeyaml.nodes.Node;
import org.yaml.snakeyaml.nodes.NodeTuple;
import org.yaml.snakeyaml.nodes.ScalarNode;
import org.yaml.snakeyaml.nodes.SequenceNode;
import org.yaml.snakeyaml.nodes.Tag;

import java.io.StringReader;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Reads a rule file (the catalog resource or a user's rules.d/*.yaml) into plain maps while
 * keeping the line of every rule and field, so that a broken rule is reported as file:line.
 * Uses SnakeYAML's node composer directly: it keeps positions, constructs no objects, and starts
 * faster than a full object mapper.
 */
final class RuleYaml {
    private RuleYaml() {}

    /** A mapping from the file with where it was: its own line and the line of each key. */
    record Entry(Map<String, Object> map, int line, Map<String, Integer> keyLines) {}

    /** The rules (in file order) and categories (by name) of one file. */
    record Parsed(List<Entry> rules, Map<String, Entry> categories) {}

    static Parsed parse(String text, String fileName) throws RuleException {
        Node root;
        try {
            LoaderOptions options = new LoaderOptions();
            options.setAllowDuplicateKeys(false);
            options.setMaxAliasesForCollections(10);
            options.setCodePointLimit(8 * 1024 * 1024);
            root = new Yaml(options).compose(new StringReader(text));
        } catch (MarkedYAMLException e) {
            int line = e.getProblemMark() != null ? e.getProblemMark().getLine() + 1 : 1;
            throw new RuleException(fileName + ":" + line + ": not valid YAML (" + firstLine(e.getProblem()) + "); fix the file");
        } catch (YAMLException e) {
            throw new RuleException(fileName + ": not valid YAML (" + firstLine(e.getMessage()) + "); fix the file");
        }
        if (root == null) {
            return new Parsed(List.of(), Map.of());
        }
        if (root instanceof SequenceNode seq) {
            return new Parsed(entries(seq, fileName), Map.of());
        }
        if (!(root instanceof MappingNode top)) {
            throw new RuleException(fileName + ":" + line(root) + ": expected a list of rules or a mapping with 'rules:'");
        }
        List<Entry> rules = List.of();
        Map<String, Entry> categories = new LinkedHashMap<>();
        for (NodeTuple t : top.getValue()) {
            String key = scalar(t.getKeyNode());
            Node value = t.getValueNode();
            switch (key) {
                case "rules" -> {
                    if (!(value instanceof SequenceNode seq)) {
                        throw new RuleException(fileName + ":" + line(value) + ": 'rules:' must be a list of rules");
                    }
                    rules = entries(seq, fileName);
                }
                case "categories" -> {
                    if (!(value instanceof MappingNode cats)) {
                        throw new RuleException(fileName + ":" + line(value) + ": 'categories:' must map a name to its settings");
                    }
                    for (NodeTuple c : cats.getValue()) {
                        if (!(c.getValueNode() instanceof MappingNode cm)) {
                            throw new RuleException(fileName + ":" + line(c.getValueNode()) + ": category '" + scalar(c.getKeyNode()) + "' must be a mapping");
                        }
                        categories.put(scalar(c.getKeyNode()), entry(cm));
                    }
                }
                case "version" -> { }
                default -> throw new RuleException(fileName + ":" + line(t.getKeyNode()) + ": unknown top-level key '" + key
                        + "'; expected 'rules:' (and optionally 'categories:')");
            }
        }
        return new Parsed(rules, categories);
    }

    private static List<Entry> entries(SequenceNode seq, String fileName) throws RuleException {
        List<Entry> out = new ArrayList<>();
        for (Node n : seq.getValue()) {
            if (n instanceof MappingNode m) {
                out.add(entry(m));
            } else {
                // kept so that the caller reports it with its line and goes on with the others
                out.add(new Entry(null, line(n), Map.of()));
            }
        }
        return out;
    }

    private static Entry entry(MappingNode m) {
        Map<String, Object> map = new LinkedHashMap<>();
        Map<String, Integer> lines = new LinkedHashMap<>();
        for (NodeTuple t : m.getValue()) {
            String key = scalar(t.getKeyNode());
            map.put(key, plain(t.getValueNode()));
            lines.put(key, line(t.getKeyNode()));
            if (t.getValueNode() instanceof SequenceNode seq) {
                for (int i = 0; i < seq.getValue().size(); i++) {
                    lines.put(key + "[" + i + "]", line(seq.getValue().get(i)));
                }
            }
        }
        return new Entry(map, line(m), lines);
    }

    private static Object plain(Node n) {
        if (n instanceof ScalarNode s) {
            return Tag.NULL.equals(s.getTag()) ? null : s.getValue();
        }
        if (n instanceof SequenceNode seq) {
            List<Object> list = new ArrayList<>();
            for (Node c : seq.getValue()) {
                list.add(plain(c));
            }
            return list;
        }
        if (n instanceof MappingNode m) {
            Map<String, Object> map = new LinkedHashMap<>();
            for (NodeTuple t : m.getValue()) {
                map.put(scalar(t.getKeyNode()), plain(t.getValueNode()));
            }
            return map;
        }
        return null;
    }

    private static String scalar(Node n) {
        return n instanceof ScalarNode s ? s.getValue() : String.valueOf(plain(n));
    }

    private static int line(Node n) {
        return n.getStartMark() == null ? 1 : n.getStartMark().getLine() + 1;
    }

    private static String firstLine(String s) {
        if (s == null) {
            return "syntax error";
        }
        int nl = s.indexOf('\n');
        return nl < 0 ? s : s.substring(0, nl);
    }
}
