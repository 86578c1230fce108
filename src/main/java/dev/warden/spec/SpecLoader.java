package dev.warden.spec;

import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.exc.InvalidFormatException;
import com.fasterxml.jackson.databind.exc.MismatchedInputException;
import com.fasterxml.jackson.databind.exc.UnrecognizedPropertyException;
import com.fasterxml.jackson.databind.exc.ValueInstantiationException;
import dev.warden.UserError;

import java.io.IOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;
import java.util.stream.Collectors;

/** Reads warden.yaml into a validated {@link JobSpec}; every problem is one line with file:line:column and the fix. */
public final class SpecLoader {
    private static final ObjectMapper MAPPER = SpecMapper.create();

    private SpecLoader() {}

    public static LoadedSpec load(Path file) {
        Path abs = file.toAbsolutePath().normalize();
        String text;
        try {
            text = Files.readString(abs, StandardCharsets.UTF_8);
        } catch (NoSuchFileException e) {
            throw new UserError("spec file " + file + " not found; write one with `warden init -- <your command>`, "
                    + "or run without a spec: `warden run -- python train.py`", UserError.CONFIG);
        } catch (IOException e) {
            throw new UserError("cannot read spec file " + file + " (" + e.getClass().getSimpleName() + ")", UserError.CONFIG);
        }
        JobSpec raw = parse(text, file.toString());
        Path dir = abs.getParent();
        return new LoadedSpec(SpecDefaults.apply(raw, dir, defaultName(raw.command(), dir)), abs, dir);
    }

    /** `warden run -- python train.py --lr 3e-4`: no spec file, every default. */
    public static LoadedSpec fromCommand(List<String> argv, Path cwd) {
        if (argv.isEmpty()) {
            throw new UserError("no command given; use `warden run -- python train.py` or `warden run warden.yaml`");
        }
        JobSpec raw = new JobSpec(null, Command.argv(argv), null, null, null, null, null, null, null, null, null, null,
                null, null, null, null, null, null, null, null, null, null, null, null);
        Path dir = cwd.toAbsolutePath().normalize();
        return new LoadedSpec(SpecDefaults.apply(raw, dir, defaultName(raw.command(), dir)), null, dir);
    }

    /** Parses and validates; defaults are not applied. */
    public static JobSpec parse(String text, String label) {
        JobSpec spec;
        try {
            spec = MAPPER.readValue(text, JobSpec.class);
        } catch (JsonProcessingException e) {
            throw new UserError(label + ":" + describe(e), UserError.CONFIG);
        }
        if (spec == null) {
            throw new UserError(label + ":1:1: the spec is empty; it needs at least `command: python train.py`", UserError.CONFIG);
        }
        List<String> problems = new ArrayList<>();
        validate(spec, problems);
        if (!problems.isEmpty()) {
            String first = problems.get(0);
            int colon = first.indexOf('|');
            String where = SpecLocator.find(text, first.substring(0, colon));
            String more = problems.size() > 1 ? " (and " + (problems.size() - 1) + " more problem" + (problems.size() > 2 ? "s" : "") + ")" : "";
            throw new UserError(label + ":" + where + ": " + first.substring(colon + 1) + more, UserError.CONFIG);
        }
        return spec;
    }

    private static void validate(JobSpec s, List<String> p) {
        if (s.command() == null || s.command().isEmpty()) {
            p.add("command|missing `command`; add the training command, e.g. `command: python train.py --lr 3e-4`");
            return;
        }
        Set<String> known = new HashSet<>(Params.RESERVED);
        if (s.params() != null) {
            known.addAll(s.params().keySet());
        }
        checkRefs("command", s.command().display(), known, p);
        if (s.env() != null) {
            s.env().forEach((k, v) -> checkRefs("env." + k, v, known, p));
        }
        checkRefs("on_finish", s.onFinish(), known, p);
        if (s.maxRestarts() != null && s.maxRestarts() < 0) {
            p.add("max_restarts|`max_restarts` is " + s.maxRestarts() + "; use 0 for no restarts or a positive number");
        }
        if (s.maxNoProgress() != null && s.maxNoProgress() < 1) {
            p.add("max_no_progress|`max_no_progress` is " + s.maxNoProgress() + "; it must be at least 1");
        }
        oneOf("on_nan", s.onNan(), Set.of("stop", "restart"), p);
        oneOf("orphans", s.orphans(), Set.of("kill", "adopt"), p);
        if (s.restartWindow() != null && s.restartWindow().isZero()) {
            p.add("restart_window|`restart_window` is 0; give a window such as 1h");
        }
        if (s.budget() != null) {
            Double w = s.budget().warnAt();
            if (w != null && (w <= 0 || w > 1)) {
                p.add("budget.warn_at|`budget.warn_at` is " + w + "; write a share between 0 and 1, such as 0.8");
            }
            if (s.budget().signal() != null && Signals.number(s.budget().signal()) < 0) {
                p.add("budget.signal|`budget.signal` is `" + s.budget().signal() + "`; use a signal name such as USR1, USR2 or TERM");
            }
        }
        if (s.progress() != null) {
            regex("progress.step", s.progress().step(), p);
            regex("progress.total", s.progress().total(), p);
            regex("progress.loss", s.progress().loss(), p);
        }
        if (s.notifications() != null && s.notifications().webhook() != null) {
            try {
                URI u = URI.create(s.notifications().webhook());
                if (u.getScheme() == null || !u.getScheme().startsWith("http") || u.getHost() == null) {
                    throw new IllegalArgumentException();
                }
            } catch (IllegalArgumentException e) {
                p.add("notify.webhook|`notify.webhook` is `" + s.notifications().webhook() + "`; write a full http(s) URL");
            }
        }
        if (s.on() != null) {
            s.on().forEach((category, f) -> {
                if (f == null) {
                    p.add("on." + category + "|`on." + category + "` is empty; write e.g. `{halve: batch_size, min: 1}` or `{action: stop}`");
                    return;
                }
                oneOf("on." + category + ".action", f.action(), Set.of("retry", "stop"), p);
                if (f.halve() != null && (s.params() == null || !s.params().containsKey(f.halve()))) {
                    p.add("on." + category + ".halve|`on." + category + ".halve` names `" + f.halve()
                            + "`, which is not in `params`; add `params: {" + f.halve() + ": 32}` and use ${" + f.halve() + "} in the command");
                }
            });
        }
    }

    private static void checkRefs(String key, String text, Set<String> known, List<String> p) {
        for (String ref : Params.references(text)) {
            if (!known.contains(ref)) {
                p.add(key + "|`" + key + "` uses ${" + ref + "}, which is not defined; add it under `params:`"
                        + suggestion(ref, known));
            }
        }
    }

    private static void oneOf(String key, String value, Set<String> allowed, List<String> p) {
        if (value != null && !allowed.contains(value)) {
            p.add(key + "|`" + key + "` is `" + value + "`; use one of " + allowed.stream().sorted().collect(Collectors.joining(", "))
                    + suggestion(value, allowed));
        }
    }

    private static void regex(String key, String value, List<String> p) {
        if (value == null) {
            return;
        }
        try {
            if (Pattern.compile(value).matcher("").groupCount() < 1) {
                p.add(key + "|`" + key + "` has no capture group; put the number in parentheses, e.g. `step (\\d+)`");
            }
        } catch (PatternSyntaxException e) {
            p.add(key + "|`" + key + "` is not a valid regex: " + e.getDescription());
        }
    }

    static String describe(JsonProcessingException e) {
        JsonLocation l = e.getLocation();
        String where = l == null ? "1:1" : l.getLineNr() + ":" + l.getColumnNr();
        String key = e instanceof JsonMappingException m ? path(m) : "";
        if (e instanceof UnrecognizedPropertyException u) {
            String parent = key.contains(".") ? key.substring(0, key.lastIndexOf('.')) : "";
            return where + ": unknown key `" + u.getPropertyName() + "`" + (parent.isEmpty() ? "" : " in `" + parent + "`")
                    + suggestion(u.getPropertyName(), names(u.getKnownPropertyIds()));
        }
        if (e instanceof InvalidFormatException f) {
            String detail = f.getOriginalMessage();
            if (f.getTargetType() == Duration.class && detail != null && detail.contains("`")) {
                return where + ": `" + key + "`: " + detail.substring(detail.indexOf(':') + 1).trim();
            }
            return where + ": `" + key + "` must be " + typeName(f.getTargetType()) + ", not `" + f.getValue() + "`";
        }
        if (e instanceof ValueInstantiationException v && v.getCause() != null) {
            return where + ": " + v.getCause().getMessage();
        }
        if (e instanceof MismatchedInputException m) {
            return where + ": `" + key + "` must be " + typeName(m.getTargetType());
        }
        String msg = e.getOriginalMessage() == null ? "not valid YAML" : e.getOriginalMessage().lines().findFirst().orElse("");
        return where + ": not valid YAML: " + msg;
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
            return "a list";
        }
        if (Map.class.isAssignableFrom(t) || t.isRecord()) {
            return "a mapping (indented `key: value` lines)";
        }
        return "a " + t.getSimpleName();
    }

    static String suggestion(String wrong, Collection<String> candidates) {
        String best = null;
        int bestDistance = Integer.MAX_VALUE;
        for (String c : candidates) {
            int d = Levenshtein.distance(wrong, c);
            if (d < bestDistance) {
                bestDistance = d;
                best = c;
            }
        }
        if (best != null && bestDistance <= Math.max(2, wrong.length() / 3)) {
            return "; did you mean `" + best + "`?";
        }
        return candidates.isEmpty() ? "" : "; known keys: " + candidates.stream().sorted().collect(Collectors.joining(", "));
    }

    static String defaultName(Command c, Path dir) {
        List<String> argv = c == null ? List.of() : c.shell() != null ? List.of(c.shell().trim().split("\\s+")) : c.argv();
        for (String a : argv) {
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
        return s.isEmpty() ? "job" : s;
    }
}
