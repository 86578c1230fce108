package dev.warden.diagnose;

import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Masks secrets in everything Warden writes or prints: the values of environment variables whose
 * names contain TOKEN, KEY, SECRET, PASSWORD or CREDENTIAL (any case), plus the names a spec
 * declares secret; {@code NAME=value} assignments of such names even when the value is not in
 * this environment; and token shapes that are unmistakable (Hugging Face, GitHub, AWS key ids).
 * Values shorter than 4 characters are not masked: masking "1" everywhere would destroy the text.
 */
public final class Redactor {

    private static final List<String> SECRET_WORDS = List.of("TOKEN", "KEY", "SECRET", "PASSWORD", "CREDENTIAL");
    private static final int MIN_VALUE = 4;
    private static final Pattern ASSIGNMENT = Pattern.compile(
            "\\b([A-Z][A-Z0-9_]*(?:TOKEN|KEY|SECRET|PASSWORD|CREDENTIAL)[A-Z0-9_]*)=(\"[^\"]*\"|'[^']*'|[^\\s\"']+)");
    private static final Pattern TOKEN_SHAPES = Pattern.compile(
            "\\b(?:hf_[A-Za-z0-9]{30,}|gh[pousr]_[A-Za-z0-9]{36,}|github_pat_[A-Za-z0-9_]{50,}|AKIA[0-9A-Z]{16})\\b");

    private static final Redactor NONE = new Redactor(List.of(), Set.of());

    private final List<Secret> secrets;
    private final Pattern extraAssignment;
    private final List<String> extraNames;

    private record Secret(String name, String value) {}

    private Redactor(List<Secret> secrets, Set<String> extraNames) {
        this.secrets = secrets;
        this.extraNames = extraNames.stream().map(n -> n + "=").toList();
        this.extraAssignment = extraNames.isEmpty() ? null : Pattern.compile("\\b("
                + String.join("|", extraNames.stream().map(Pattern::quote).toList()) + ")=(\"[^\"]*\"|'[^']*'|[^\\s\"']+)");
    }

    /** Secrets of this process's environment plus the declared names. */
    public static Redactor fromEnvironment(Collection<String> extraSecretNames) {
        return of(System.getenv(), extraSecretNames);
    }

    public static Redactor of(Map<String, String> env, Collection<String> extraSecretNames) {
        Set<String> extra = new TreeSet<>();
        if (extraSecretNames != null) {
            extraSecretNames.forEach(n -> extra.add(n.trim()));
        }
        List<Secret> found = new ArrayList<>();
        for (Map.Entry<String, String> e : env.entrySet()) {
            String value = e.getValue();
            if (value != null && value.length() >= MIN_VALUE && (isSecretName(e.getKey()) || extra.contains(e.getKey()))) {
                found.add(new Secret(e.getKey(), value));
            }
        }
        // longest first, so a value that contains another is masked whole
        found.sort(Comparator.comparingInt((Secret s) -> s.value().length()).reversed());
        return new Redactor(List.copyOf(found), Set.copyOf(extra));
    }

    /** Masks nothing (tests, or text known to hold no secrets). */
    public static Redactor none() {
        return NONE;
    }

    public static boolean isSecretName(String name) {
        String upper = name.toUpperCase(Locale.ROOT);
        for (String w : SECRET_WORDS) {
            if (upper.contains(w)) {
                return true;
            }
        }
        return false;
    }

    public String redact(String text) {
        if (text == null || text.isEmpty()) {
            return text;
        }
        String out = text;
        for (Secret s : secrets) {
            if (out.contains(s.value())) {
                out = out.replace(s.value(), "[redacted:" + s.name() + "]");
            }
        }
        out = maskAssignments(out);
        if (this != NONE && containsAny(out, TOKEN_PREFIXES)) {
            out = TOKEN_SHAPES.matcher(out).replaceAll("[redacted]");
        }
        return out;
    }

    // The regexes try a match at every word boundary: over a 256 KiB log tail that is milliseconds on the path
    // between a crash and the retry. The literals they need are looked for first.
    private static final List<String> TOKEN_PREFIXES = List.of("hf_", "ghp_", "gho_", "ghu_", "ghs_", "ghr_", "github_pat_", "AKIA");

    private static boolean containsAny(String text, Collection<String> literals) {
        for (String l : literals) {
            if (text.contains(l)) {
                return true;
            }
        }
        return false;
    }

    private String maskAssignments(String text) {
        if (this == NONE || text.indexOf('=') < 0) {
            return text;
        }
        String out = containsAny(text, SECRET_WORDS) ? maskAssignments(text, ASSIGNMENT) : text;
        return extraAssignment == null || !containsAny(out, extraNames) ? out : maskAssignments(out, extraAssignment);
    }

    private static String maskAssignments(String text, Pattern assignment) {
        Matcher m = assignment.matcher(text);
        StringBuilder sb = null;
        int last = 0;
        while (m.find()) {
            if (m.group(2).startsWith("[redacted")) {
                continue;
            }
            if (sb == null) {
                sb = new StringBuilder(text.length());
            }
            sb.append(text, last, m.start(2)).append("[redacted:").append(m.group(1)).append(']');
            last = m.end(2);
        }
        if (sb == null) {
            return text;
        }
        return sb.append(text, last, text.length()).toString();
    }

}
