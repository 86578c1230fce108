package dev.warden.spec;

import dev.warden.UserError;

import java.util.ArrayList;
import java.util.List;

/**
 * Adds an entry to the `checks:` list of a warden.yaml as text, so the user's comments and layout survive. The
 * result is validated before anyone writes it.
 */
public final class SpecEditor {
    private SpecEditor() {}

    /** The new text, or the same text when the entry is already there. */
    public static String addCheck(String yaml, String entry, String comment, String label) {
        if (yaml.contains("- " + entry)) {
            return yaml;
        }
        String item = "  - " + entry + (comment == null ? "" : "   # " + comment);
        List<String> lines = new ArrayList<>(yaml.lines().toList());
        int at = -1;
        for (int i = 0; i < lines.size(); i++) {
            if (lines.get(i).matches("checks:\\s*(#.*)?")) {
                at = i;
                break;
            }
            if (lines.get(i).matches("checks:\\s*\\[\\s*]\\s*(#.*)?")) {
                lines.set(i, "checks:");
                at = i;
                break;
            }
            if (lines.get(i).startsWith("checks:")) {
                throw new UserError(label + ":" + (i + 1) + ": `checks:` is written as a flow list; add this line to it by hand: - "
                        + entry, UserError.CONFIG);
            }
        }
        if (at < 0) {
            if (!lines.isEmpty() && !lines.get(lines.size() - 1).isBlank()) {
                lines.add("");
            }
            lines.add("checks:");
            lines.add(item);
        } else {
            lines.add(at + 1, item);
        }
        String out = String.join("\n", lines) + "\n";
        SpecLoader.parse(out, label); // never write a spec that no longer loads
        return out;
    }
}
