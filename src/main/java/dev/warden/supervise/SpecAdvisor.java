package dev.warden.supervise;

import dev.warden.diagnose.Action;
import dev.warden.diagnose.Verdict;
import dev.warden.spec.JobSpec;

import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Turns a verdict into a decision. The spec decides first (`on: {cuda_oom: {halve: batch_size, min: 1}}`,
 * `{action: stop}`, `{exclude_gpu: true}`, `on_nan`), then the catalog's action: a cause that retrying cannot fix
 * is never retried unchanged.
 */
public final class SpecAdvisor implements FailureAdvisor {
    /** Failures that another machine may not have: Warden stops, a scheduler may retry elsewhere (exit 75). */
    private static final Set<String> ELSEWHERE = Set.of("gpu_hardware", "no_gpu", "driver_mismatch");

    /** Causes that may be transient or not: retried once, stopped when they come twice in a row. */
    private static final Set<String> ONE_RETRY = Set.of("host_oom");

    private final JobSpec spec;
    private final Classifier classifier;
    private String previousCategory;

    public SpecAdvisor(JobSpec spec, Classifier classifier) {
        this.spec = spec;
        this.classifier = classifier;
    }

    @Override
    public void prepare() {
        classifier.prepare();
    }

    @Override
    public Advice advise(AttemptResult r) {
        Verdict v = classifier.classify(r);
        boolean repeated = v.category().equals(previousCategory);
        previousCategory = v.category();
        if (repeated && ONE_RETRY.contains(v.category()) && !spec.on().containsKey(v.category())) {
            return new Advice.Stop(v.summary() + "; the same " + v.category() + " twice in a row: not transient"
                    + (v.suggestion() == null ? "" : " — " + v.suggestion()), v, Supervisor.CONFIG);
        }
        String cause = cause(v);
        JobSpec.OnFailure rule = spec.on().get(v.category());
        if ("nan_loss".equals(v.category()) && (rule == null || rule.action() == null && rule.halve() == null)) {
            return "restart".equals(spec.onNan()) ? new Advice.Retry(cause, v)
                    : new Advice.Stop(cause + " (on_nan: stop)", v, Supervisor.CONFIG);
        }
        if (rule != null) {
            if ("stop".equals(rule.action())) {
                return new Advice.Stop(cause + " (on." + v.category() + ": stop)", v, Supervisor.CONFIG);
            }
            if (rule.halve() != null) {
                long min = rule.min() == null ? 1 : rule.min();
                Verdict decided = v.withAction(new Action.RetryWith(rule.halve(), true, min));
                return halve(r, decided, cause(decided), rule.halve(), min);
            }
            if (Boolean.TRUE.equals(rule.excludeGpu()) && v.action() instanceof Action.ExcludeGpu x) {
                return new Advice.Retry(cause, v, Map.of(), x.gpu() == null ? List.of() : List.of(x.gpu()));
            }
            if ("retry".equals(rule.action())) {
                return new Advice.Retry(cause, v);
            }
        }
        Action a = v.action();
        if (a instanceof Action.RetryWith w && r.params().containsKey(w.param()) && w.halve()) {
            return halve(r, v, cause, w.param(), w.min());
        }
        if (a instanceof Action.ExcludeGpu x) {
            return new Advice.Stop(cause + "; to exclude " + (x.gpu() == null ? "the GPU" : "GPU " + x.gpu())
                    + " and go on, add `on: {" + v.category() + ": {exclude_gpu: true}}`", v, Supervisor.TEMPFAIL);
        }
        if (!v.retryable() || a instanceof Action.Stop) {
            return new Advice.Stop(cause, v, ELSEWHERE.contains(v.category()) ? Supervisor.TEMPFAIL : Supervisor.CONFIG);
        }
        return new Advice.Retry(cause, v);
    }

    private static String cause(Verdict v) {
        return v.summary() + (v.suggestion() == null || v.suggestion().isBlank() ? "" : " — " + v.suggestion());
    }

    private static Advice halve(AttemptResult r, Verdict v, String cause, String param, long min) {
        Object current = r.params().get(param);
        long value = current instanceof Number n ? n.longValue() : parse(current);
        if (value <= min) {
            return new Advice.Stop(cause + "; " + param + " is already " + value + " (min " + min + ")", v, Supervisor.CONFIG);
        }
        return new Advice.Retry(cause, v, Map.of(param, Math.max(min, value / 2)), List.of());
    }

    private static long parse(Object o) {
        try {
            return o == null ? 0 : (long) Double.parseDouble(o.toString());
        } catch (NumberFormatException e) {
            return 0;
        }
    }
}
