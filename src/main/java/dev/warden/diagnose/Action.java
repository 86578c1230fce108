package dev.warden.diagnose;

/** What the supervisor should do next. A closed set: the restart policy switches over it. */
public sealed interface Action permits Action.Retry, Action.RetryWith, Action.ExcludeGpu, Action.Stop {

    /** One line for people: "retry unchanged", "retry with batch_size halved (not below 1)". */
    String describe();

    /** Machine name used in YAML and JSON: retry, retry_with, exclude_gpu, stop. */
    String kind();

    /** Retry the same command unchanged (transient failure). */
    record Retry() implements Action {
        public String describe() { return "retry unchanged"; }
        public String kind() { return "retry"; }
    }

    /**
     * Retry with one parameter changed: halved when {@code halve}, never below {@code min}.
     * The supervisor stops when the parameter is already at {@code min}.
     */
    record RetryWith(String param, boolean halve, long min) implements Action {
        public RetryWith {
            if (param == null || param.isBlank()) {
                throw new IllegalArgumentException("retry_with needs a parameter name");
            }
        }
        public String describe() {
            return halve ? "retry with " + param + " halved (not below " + min + ")"
                    : "retry with " + param + " changed (not below " + min + ")";
        }
        public String kind() { return "retry_with"; }
    }

    /** Keep this GPU out of later attempts; {@code gpu} is an index or PCI bus id, null when unknown. */
    record ExcludeGpu(String gpu) implements Action {
        public String describe() {
            return gpu == null ? "exclude the failing GPU, then retry on the others"
                    : "exclude GPU " + gpu + ", then retry on the others";
        }
        public String kind() { return "exclude_gpu"; }
    }

    /** Do not retry: a person has to change something first. */
    record Stop() implements Action {
        public String describe() { return "stop: retrying unchanged will fail the same way"; }
        public String kind() { return "stop"; }
    }
}
