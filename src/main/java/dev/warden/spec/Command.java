package dev.warden.spec;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.databind.JsonNode;

import java.util.ArrayList;
import java.util.List;

/**
 * The training command: a shell string (`python train.py --lr ${lr}`, run by bash -c so pipes and
 * && work) or an argv list (run as is, no shell).
 */
public record Command(String shell, List<String> argv) {

    public Command {
        argv = argv == null ? null : List.copyOf(argv);
    }

    public static Command shell(String line) {
        return new Command(line, null);
    }

    public static Command argv(List<String> argv) {
        return new Command(null, argv);
    }

    @JsonCreator(mode = JsonCreator.Mode.DELEGATING)
    static Command fromYaml(JsonNode node) {
        if (node.isTextual()) {
            return shell(node.asText());
        }
        if (node.isArray()) {
            List<String> parts = new ArrayList<>();
            for (JsonNode n : node) {
                if (!n.isValueNode()) {
                    throw new IllegalArgumentException("`command` list items must be strings, found " + n.getNodeType().toString().toLowerCase());
                }
                parts.add(n.asText());
            }
            return argv(parts);
        }
        throw new IllegalArgumentException("`command` must be a string or a list of strings, like `command: python train.py`");
    }

    public boolean isEmpty() {
        return shell != null ? shell.isBlank() : argv == null || argv.isEmpty() || argv.get(0).isBlank();
    }

    /** What to exec: argv as given, or bash -c for a shell line. */
    public List<String> toArgv() {
        return shell != null ? List.of("bash", "-c", shell) : argv;
    }

    /** For display and events. */
    public String display() {
        return shell != null ? shell : String.join(" ", argv.stream().map(Command::quote).toList());
    }

    static String quote(String s) {
        return s.matches("[A-Za-z0-9_./=:,+@%-]+") ? s : "'" + s.replace("'", "'\\''") + "'";
    }

    public Command map(java.util.function.UnaryOperator<String> f) {
        return shell != null ? shell(f.apply(shell)) : argv(argv.stream().map(f).toList());
    }
}
