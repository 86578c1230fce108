package dev.warden.supervise;

import dev.warden.spec.JobSpec;

import java.util.Map;

/**
 * Turns a classification into a decision using the spec: `on: {cuda_oom: {halve: batch_size, min: 1}}` retries
 * with half the batch; `{action: stop}` stops; a deterministic cause is never retried unchanged.
 */
public final class SpecAdvisor implements FailureAdvisor {
    private final JobSpec spec;
    private final Classifier classifier;

    public SpecAdvisor(JobSpec spec, Classifier classifier) {
        this.spec = spec;
        this.classifier = classifier;
    }

    @Override
    public Advice advise(AttemptResult r) {
        Classification c = classifier.classify(r);
        String cause = c.cause() + (c.suggestion() == null || c.suggestion().isBlank() ? "" : " — " + c.suggestion());
        JobSpec.OnFailure rule = spec.on().get(c.category());
        if ("nan_loss".equals(c.category()) && rule == null) {
            return "restart".equals(spec.onNan()) ? new Advice.Retry(cause, c.category())
                    : new Advice.Stop(cause + " (on_nan: stop)", c.category(), Supervisor.CONFIG);
        }
        if (rule != null && "stop".equals(rule.action())) {
            return new Advice.Stop(cause + " (on." + c.category() + ": stop)", c.category(), Supervisor.CONFIG);
        }
        if (rule != null && rule.halve() != null) {
            String param = rule.halve();
            int min = rule.min() == null ? 1 : rule.min();
            Object current = r.params().get(param);
            long value = current instanceof Number n ? n.longValue() : parse(current);
            if (value <= min) {
                return new Advice.Stop(cause + "; " + param + " is already " + value + " (min " + min + ")", c.category(), Supervisor.CONFIG);
            }
            long next = Math.max(min, value / 2);
            return new Advice.Retry(cause, c.category(), Map.of(param, next), java.util.List.of());
        }
        if (rule != null && "retry".equals(rule.action())) {
            return new Advice.Retry(cause, c.category());
        }
        if (c.deterministic()) {
            return new Advice.Stop(cause, c.category(), Supervisor.CONFIG);
        }
        return new Advice.Retry(cause, c.category());
    }

    private static long parse(Object o) {
        try {
            return o == null ? 0 : (long) Double.parseDouble(o.toString());
        } catch (NumberFormatException e) {
            return 0;
        }
    }
}
