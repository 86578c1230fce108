package dev.warden.diagnose;

import java.util.List;
import java.util.regex.Pattern;

/**
 * One pattern of a rule: a literal (plain substring) or a regex. {@code literals} are the
 * required literals the prefilter looks for (any one of them); empty means the regex has none
 * and must be tried on every line (slow, allowed for user rules).
 */
public record RulePattern(String source, boolean literal, Pattern regex, List<String> literals) {

    public static RulePattern literal(String text) {
        return new RulePattern(text, true, null, List.of(text));
    }

    public static RulePattern regex(String source) {
        return new RulePattern(source, false, Pattern.compile(source), RequiredLiterals.of(source));
    }

    public boolean needsEveryLine() {
        return literals.isEmpty();
    }
}
