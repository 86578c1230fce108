package dev.warden.spec;

import dev.warden.diagnose.Signals;

import dev.warden.spec.SpecLoader.Problem;

import java.net.URI;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;

/** The checks Jackson's types cannot express: choices, ranges, ${param} references, regexes, URLs. */
final class SpecValidator {
    /** The closed choices of the spec; the JSON Schema lists the same ones. */
    static final List<String> ON_NAN = List.of("stop", "restart");
    static final List<String> ORPHANS = List.of("kill", "adopt");
    static final List<String> ON_FAILURE_ACTION = List.of("retry", "stop");
    static final Pattern NAME = Pattern.compile("[A-Za-z0-9_][A-Za-z0-9_.-]*");

    private SpecValidator() {}

    static void validate(JobSpec s, List<Problem> p) {
        if (s.command() == null || s.command().isEmpty()) {
            p.add(new Problem("command", "missing `command`; add the training command, e.g. `command: python train.py --lr 3e-4`"));
            return;
        }
        if (s.name() != null && !NAME.matcher(s.name()).matches()) {
            p.add(new Problem("name", "`name` is `" + s.name() + "`; use letters, digits, `.`, `_` and `-` only (it names lock and run files)"));
        }
        Set<String> known = new HashSet<>(Params.RESERVED);
        if (s.params() != null) {
            known.addAll(s.params().keySet());
            s.params().forEach((k, v) -> {
                if (v == null) {
                    p.add(new Problem("params." + k, "`params." + k + "` is empty; give it a value, e.g. `" + k + ": 32`"));
                } else if (v instanceof Map || v instanceof List) {
                    p.add(new Problem("params." + k, "`params." + k + "` must be a single value (text or a number), not a "
                            + (v instanceof Map ? "mapping" : "list")));
                }
            });
        }
        if (s.command().argv() != null) {
            for (int i = 0; i < s.command().argv().size(); i++) {
                checkRefs("command[" + i + "]", "command", s.command().argv().get(i), known, p);
            }
        } else {
            checkRefs("command", "command", s.command().shell(), known, p);
        }
        if (s.env() != null) {
            s.env().forEach((k, v) -> {
                if (v == null) {
                    p.add(new Problem("env." + k, "`env." + k + "` is empty; give it a value (quote it: \"\" for an empty string)"));
                } else {
                    checkRefs("env." + k, "env." + k, v, known, p);
                }
            });
        }
        if (s.secrets() != null) {
            for (int i = 0; i < s.secrets().size(); i++) {
                if (s.secrets().get(i) == null || s.secrets().get(i).isBlank()) {
                    p.add(new Problem("secrets[" + i + "]", "`secrets` item " + (i + 1) + " is empty; list env variable names, e.g. `secrets: [HF_TOKEN]`"));
                }
            }
        }
        checkRefs("on_finish", "on_finish", s.onFinish(), known, p);
        if (s.maxRestarts() != null && s.maxRestarts() < 0) {
            p.add(new Problem("max_restarts", "`max_restarts` is " + s.maxRestarts() + "; use 0 for no restarts or a positive number"));
        }
        if (s.maxNoProgress() != null && s.maxNoProgress() < 1) {
            p.add(new Problem("max_no_progress", "`max_no_progress` is " + s.maxNoProgress() + "; it must be at least 1"));
        }
        if (s.gpus() != null && s.gpus() < 0) {
            p.add(new Problem("gpus", "`gpus` is " + s.gpus() + "; write how many GPUs the job needs, or 0 on a CPU-only node"));
        }
        oneOf("on_nan", s.onNan(), ON_NAN, p);
        oneOf("orphans", s.orphans(), ORPHANS, p);
        if (s.restartWindow() != null && s.restartWindow().isZero()) {
            p.add(new Problem("restart_window", "`restart_window` is 0; give a window such as 1h"));
        }
        if (s.budget() != null) {
            budget(s.budget(), p);
        }
        if (s.progress() != null) {
            regex("progress.step", s.progress().step(), p);
            regex("progress.total", s.progress().total(), p);
            regex("progress.loss", s.progress().loss(), p);
        }
        if (s.notifications() != null && s.notifications().webhook() != null && !isHttpUrl(s.notifications().webhook())) {
            p.add(new Problem("notify.webhook", "`notify.webhook` is `" + s.notifications().webhook()
                    + "`; write a full http(s) URL, e.g. https://hooks.slack.com/services/T000/B000/XXXX"));
        }
        if (s.on() != null) {
            s.on().forEach((category, f) -> onFailure(s, category, f, p));
        }
    }

    private static void budget(JobSpec.Budget b, List<Problem> p) {
        Double w = b.warnAt();
        if (w != null && (w <= 0 || w > 1)) {
            p.add(new Problem("budget.warn_at", "`budget.warn_at` is " + Params.format(w) + "; write a share between 0 and 1, such as 0.8"));
        }
        if (b.signal() != null && Signals.parse(b.signal()).isEmpty()) {
            p.add(new Problem("budget.signal", "`budget.signal` is `" + b.signal() + "`; use a signal name such as USR1, USR2 or TERM"));
        }
        Duration limit = null;
        if (b.maxWall() != null && !b.maxWall().isZero()) {
            limit = b.maxWall();
        }
        if (b.maxUsd() != null && b.maxUsd() > 0 && b.usdPerHour() != null && b.usdPerHour() > 0) {
            Duration money = Duration.ofMillis((long) (b.maxUsd() / b.usdPerHour() * 3_600_000));
            limit = limit == null || money.compareTo(limit) < 0 ? money : limit;
        }
        if (b.signalBefore() != null && limit != null && b.signalBefore().compareTo(limit) >= 0) {
            p.add(new Problem("budget.signal_before", "`budget.signal_before` is " + Durations.format(b.signalBefore())
                    + ", not shorter than the budget limit (" + Durations.format(limit) + "); the signal would be sent at the start"));
        }
    }

    private static void onFailure(JobSpec s, String category, JobSpec.OnFailure f, List<Problem> p) {
        String key = "on." + category;
        if (f == null) {
            p.add(new Problem(key, "`" + key + "` is empty; write e.g. `{halve: batch_size, min: 1}` or `{action: stop}`"));
            return;
        }
        oneOf(key + ".action", f.action(), ON_FAILURE_ACTION, p);
        if (f.halve() != null) {
            Object value = s.params() == null ? null : s.params().get(f.halve());
            if (s.params() == null || !s.params().containsKey(f.halve())) {
                p.add(new Problem(key + ".halve", "`" + key + ".halve` names `" + f.halve() + "`, which is not in `params`; add `params: {"
                        + f.halve() + ": 32}` and use ${" + f.halve() + "} in the command"));
            } else if (!(value instanceof Integer || value instanceof Long) && !(value instanceof String t && t.matches("\\d+"))) {
                p.add(new Problem(key + ".halve", "`" + key + ".halve` names `" + f.halve() + "`, whose value `" + value
                        + "` is not a whole number; only a whole number can be halved"));
            }
        }
        if (f.min() != null && f.min() < 1) {
            p.add(new Problem(key + ".min", "`" + key + ".min` is " + f.min() + "; it must be at least 1"));
        }
    }

    private static void checkRefs(String path, String key, String text, Set<String> known, List<Problem> p) {
        for (String ref : Params.references(text)) {
            if (!known.contains(ref)) {
                p.add(new Problem(path, "`" + key + "` uses ${" + ref + "}, which is not defined; add it under `params:`, e.g. `params: {"
                        + ref + ": ...}`" + SpecLoader.suggestion(ref, known, false)));
            }
        }
    }

    private static void oneOf(String key, String value, List<String> allowed, List<Problem> p) {
        if (value != null && !allowed.contains(value)) {
            p.add(new Problem(key, "`" + key + "` is `" + value + "`; use one of: " + String.join(", ", allowed)
                    + SpecLoader.suggestion(value, allowed, false)));
        }
    }

    private static void regex(String key, String value, List<Problem> p) {
        if (value == null) {
            return;
        }
        try {
            if (Pattern.compile(value).matcher("").groupCount() < 1) {
                p.add(new Problem(key, "`" + key + "` has no capture group; put the number in parentheses, e.g. 'step (\\d+)'"));
            }
        } catch (PatternSyntaxException e) {
            p.add(new Problem(key, "`" + key + "` is not a valid regex (" + e.getDescription() + " at index " + e.getIndex()
                    + "); write a Java regex with one capture group in single quotes, e.g. 'step (\\d+)'"));
        }
    }

    private static boolean isHttpUrl(String s) {
        try {
            URI u = URI.create(s);
            return ("http".equals(u.getScheme()) || "https".equals(u.getScheme())) && u.getHost() != null;
        } catch (IllegalArgumentException e) {
            return false;
        }
    }
}
