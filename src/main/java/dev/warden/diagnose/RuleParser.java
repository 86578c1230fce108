package dev.warden.diagnose;

import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.PatternSyntaxException;

/** Turns one rule or category (plain maps from YAML or from the job spec) into checked objects. */
final class RuleParser {
    private RuleParser() {}

    private static final Set<String> RULE_KEYS = Set.of("id", "category", "patterns", "unless", "exit_codes", "signals",
            "retryable", "action", "suggestion", "link", "priority", "source", "enabled");
    private static final Set<String> CATEGORY_KEYS = Set.of("priority", "retryable", "action", "suggestion", "link", "verdict");

    /** Where a rule came from, to name it in messages: "rules.d/x.yaml:12" or "spec rules[2]". */
    record Where(String place, Map<String, Integer> keyLines, String file) {
        String at(String key) {
            Integer line = keyLines.get(key);
            return line != null && file != null ? file + ":" + line : place;
        }
    }

    static CategoryInfo category(String name, Map<String, Object> m, Where where) throws RuleException {
        String ctx = where.place + ": category '" + name + "'";
        if (!name.matches("[a-z][a-z0-9_]*")) {
            throw new RuleException(ctx + ": a category name is lower_snake_case, like gpu_hardware");
        }
        for (String key : m.keySet()) {
            if (!CATEGORY_KEYS.contains(key)) {
                throw new RuleException(where.at(key) + ": category '" + name + "': unknown key '" + key + "'; allowed: " + new TreeSet<>(CATEGORY_KEYS));
            }
        }
        int priority = integer(m.get("priority"), 50, -1000, 1000, where.at("priority") + ": category '" + name + "': priority");
        Action action = m.containsKey("action") ? action(m.get("action"), where.at("action") + ": category '" + name + "'") : null;
        Boolean retryable = bool(m.get("retryable"), where.at("retryable") + ": category '" + name + "': retryable");
        Resolved r = resolve(action, retryable, null, ctx);
        return new CategoryInfo(name, priority, r.retryable, r.action, text(m.get("suggestion")), text(m.get("link")),
                !Boolean.FALSE.equals(bool(m.get("verdict"), ctx + ": verdict")));
    }

    /** The rule, or empty when it says {@code enabled: false} (a way to switch off a catalog rule by id). */
    static Optional<Rule> rule(Map<String, Object> m, Map<String, CategoryInfo> categories, Where where) throws RuleException {
        Object rawId = m.get("id");
        String id = rawId == null ? null : rawId.toString().trim();
        String ctx = where.place + (id == null ? ": rule" : ": rule '" + id + "'");
        if (id == null || id.isEmpty()) {
            throw new RuleException(ctx + ": missing 'id:'; give every rule a unique id such as my-oom");
        }
        if (!id.matches("[A-Za-z0-9][A-Za-z0-9._-]{0,79}")) {
            throw new RuleException(where.at("id") + ": rule id '" + id + "' may use letters, digits, '.', '_' and '-' only");
        }
        for (String key : m.keySet()) {
            if (!RULE_KEYS.contains(key)) {
                throw new RuleException(where.at(key) + ": rule '" + id + "': unknown key '" + key + "'; allowed: " + new TreeSet<>(RULE_KEYS));
            }
        }
        if (Boolean.FALSE.equals(bool(m.get("enabled"), where.at("enabled") + ": rule '" + id + "': enabled"))) {
            return Optional.empty();
        }
        Object rawCategory = m.get("category");
        if (rawCategory == null) {
            throw new RuleException(ctx + ": missing 'category:'; one of " + new TreeSet<>(categories.keySet()));
        }
        CategoryInfo cat = categories.get(rawCategory.toString().trim());
        if (cat == null) {
            throw new RuleException(where.at("category") + ": rule '" + id + "': unknown category '" + rawCategory
                    + "'; use one of " + new TreeSet<>(categories.keySet()) + " or define it under 'categories:'");
        }
        List<RulePattern> patterns = patterns(m.get("patterns"), where, "patterns", id);
        List<RulePattern> unless = patterns(m.get("unless"), where, "unless", id);
        Set<Integer> exitCodes = exitCodes(m.get("exit_codes"), where.at("exit_codes") + ": rule '" + id + "': exit_codes");
        Set<Integer> signals = signals(m.get("signals"), where.at("signals") + ": rule '" + id + "': signals");
        if (patterns.isEmpty() && exitCodes.isEmpty() && signals.isEmpty()) {
            throw new RuleException(ctx + ": needs 'patterns:' (text or regex to find in the log) or 'exit_codes:'/'signals:'");
        }
        Action action = m.containsKey("action") ? action(m.get("action"), where.at("action") + ": rule '" + id + "'") : null;
        Boolean retryable = bool(m.get("retryable"), where.at("retryable") + ": rule '" + id + "': retryable");
        Resolved r = resolve(action, retryable, cat, where.at("retryable") + ": rule '" + id + "'");
        int priority = integer(m.get("priority"), cat.priority(), -1000, 1000, where.at("priority") + ": rule '" + id + "': priority");
        String suggestion = m.containsKey("suggestion") ? text(m.get("suggestion")) : cat.suggestion();
        String link = m.containsKey("link") ? text(m.get("link")) : cat.link();
        return Optional.of(new Rule(id, cat.name(), patterns, unless, exitCodes, signals, r.retryable, r.action,
                suggestion, link, priority, where.place));
    }

    private record Resolved(boolean retryable, Action action) {}

    /** Retry actions imply retryable; stop and exclude_gpu imply not retryable on the same GPU. */
    private static Resolved resolve(Action action, Boolean retryable, CategoryInfo fallback, String ctx) throws RuleException {
        if (action == null && retryable == null) {
            if (fallback == null) {
                return new Resolved(true, new Action.Retry());
            }
            return new Resolved(fallback.retryable(), fallback.action());
        }
        if (action == null) {
            return new Resolved(retryable, retryable ? new Action.Retry() : new Action.Stop());
        }
        boolean implied = action instanceof Action.Retry || action instanceof Action.RetryWith;
        if (retryable != null && retryable != implied) {
            throw new RuleException(ctx + ": 'retryable: " + retryable + "' contradicts 'action: " + action.kind()
                    + "'; drop one of them");
        }
        return new Resolved(implied, action);
    }

    static Action action(Object spec, String ctx) throws RuleException {
        if (spec instanceof String s) {
            return switch (s.trim()) {
                case "retry" -> new Action.Retry();
                case "stop" -> new Action.Stop();
                case "exclude_gpu" -> new Action.ExcludeGpu(null);
                case "retry_with" -> throw new RuleException(ctx + ": 'retry_with' needs {param: NAME, halve: true, min: N}");
                default -> throw new RuleException(ctx + ": unknown action '" + s + "'; use retry, retry_with, exclude_gpu or stop");
            };
        }
        if (spec instanceof Map<?, ?> map && map.size() == 1) {
            Map.Entry<?, ?> e = map.entrySet().iterator().next();
            String kind = String.valueOf(e.getKey());
            if (kind.equals("retry_with")) {
                if (!(e.getValue() instanceof Map<?, ?> p)) {
                    throw new RuleException(ctx + ": retry_with needs {param: NAME, halve: true, min: N}");
                }
                for (Object k : p.keySet()) {
                    if (!Set.of("param", "halve", "min").contains(String.valueOf(k))) {
                        throw new RuleException(ctx + ": retry_with: unknown key '" + k + "'; allowed: param, halve, min");
                    }
                }
                Object param = p.get("param");
                if (param == null || param.toString().isBlank()) {
                    throw new RuleException(ctx + ": retry_with needs 'param:', the job parameter to change (e.g. batch_size)");
                }
                Boolean halve = bool(p.get("halve"), ctx + ": retry_with halve");
                if (!Boolean.TRUE.equals(halve)) {
                    throw new RuleException(ctx + ": retry_with supports 'halve: true' only");
                }
                long min = integer(p.get("min"), 1, 0, Integer.MAX_VALUE, ctx + ": retry_with min");
                return new Action.RetryWith(param.toString().trim(), true, min);
            }
            if (kind.equals("retry") || kind.equals("stop") || kind.equals("exclude_gpu")) {
                return action(kind, ctx);
            }
        }
        throw new RuleException(ctx + ": action must be retry, stop, exclude_gpu or {retry_with: {param: NAME, halve: true, min: N}}");
    }

    private static List<RulePattern> patterns(Object raw, Where where, String key, String id) throws RuleException {
        if (raw == null) {
            return List.of();
        }
        Collection<?> items = raw instanceof Collection<?> c ? c : List.of(raw);
        List<RulePattern> out = new ArrayList<>();
        int i = 0;
        for (Object item : items) {
            String index = key + "[" + i++ + "]";
            String at = where.at(where.keyLines().containsKey(index) ? index : key) + ": rule '" + id + "': " + index;
            if (item instanceof String s) {
                out.add(literal(s, at));
            } else if (item instanceof Map<?, ?> map && map.size() == 1) {
                Map.Entry<?, ?> e = map.entrySet().iterator().next();
                String kind = String.valueOf(e.getKey());
                String value = e.getValue() == null ? "" : e.getValue().toString();
                if (kind.equals("literal")) {
                    out.add(literal(value, at));
                } else if (kind.equals("regex")) {
                    out.add(regex(value, at));
                } else {
                    throw new RuleException(at + ": use 'literal: TEXT' or 'regex: RE', not '" + kind + "'");
                }
            } else {
                throw new RuleException(at + ": a pattern is a string (literal text), {literal: TEXT} or {regex: RE}");
            }
        }
        return out;
    }

    private static RulePattern literal(String s, String at) throws RuleException {
        if (s.length() < RequiredLiterals.MIN_LENGTH) {
            throw new RuleException(at + ": literal '" + s + "' is shorter than " + RequiredLiterals.MIN_LENGTH
                    + " characters and would match almost any line; use a longer, distinctive piece of the message");
        }
        return RulePattern.literal(s);
    }

    private static RulePattern regex(String s, String at) throws RuleException {
        if (s.isEmpty()) {
            throw new RuleException(at + ": empty regex");
        }
        try {
            return RulePattern.regex(s);
        } catch (PatternSyntaxException e) {
            throw new RuleException(at + ": invalid regex '" + s + "' (" + e.getDescription() + " near index " + e.getIndex() + ")");
        }
    }

    private static Set<Integer> exitCodes(Object raw, String ctx) throws RuleException {
        Set<Integer> out = new LinkedHashSet<>();
        for (Object o : list(raw)) {
            out.add(integer(o, 0, 0, 255, ctx));
        }
        return Set.copyOf(out);
    }

    private static Set<Integer> signals(Object raw, String ctx) throws RuleException {
        Set<Integer> out = new LinkedHashSet<>();
        for (Object o : list(raw)) {
            OptionalInt n = Signals.parse(String.valueOf(o));
            if (n.isEmpty()) {
                throw new RuleException(ctx + ": '" + o + "' is not a signal; use a number or a name like SIGKILL");
            }
            out.add(n.getAsInt());
        }
        return Set.copyOf(out);
    }

    private static List<?> list(Object raw) {
        if (raw == null) {
            return List.of();
        }
        return raw instanceof List<?> l ? l : List.of(raw);
    }

    private static int integer(Object raw, int dflt, int min, int max, String ctx) throws RuleException {
        if (raw == null) {
            return dflt;
        }
        try {
            int v = raw instanceof Number n ? Math.toIntExact(n.longValue()) : Integer.parseInt(raw.toString().trim());
            if (v < min || v > max) {
                throw new RuleException(ctx + ": " + v + " is out of range " + min + ".." + max);
            }
            return v;
        } catch (NumberFormatException | ArithmeticException e) {
            throw new RuleException(ctx + ": '" + raw + "' is not a whole number");
        }
    }

    private static Boolean bool(Object raw, String ctx) throws RuleException {
        if (raw == null) {
            return null;
        }
        if (raw instanceof Boolean b) {
            return b;
        }
        String s = raw.toString().trim().toLowerCase(Locale.ROOT);
        return switch (s) {
            case "true", "yes" -> true;
            case "false", "no" -> false;
            default -> throw new RuleException(ctx + ": '" + raw + "' is not true or false");
        };
    }

    private static String text(Object raw) {
        return raw == null ? "" : raw.toString().trim();
    }
}
