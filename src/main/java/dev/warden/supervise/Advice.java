package dev.warden.supervise;

import dev.warden.diagnose.Verdict;

import java.util.List;
import java.util.Map;

/** What to do after a failed attempt: the seam where the diagnosis decides. */
public sealed interface Advice permits Advice.Retry, Advice.Stop {

    /** One line: what failed and why this decision. */
    String cause();

    /** The diagnosis behind the decision. */
    Verdict verdict();

    /**
     * @param paramChanges parameters to change before the next attempt (batch_size -> 16)
     * @param excludeGpus  GPUs (index or PCI bus id) to hide from later attempts
     */
    record Retry(String cause, Verdict verdict, Map<String, Object> paramChanges, List<String> excludeGpus) implements Advice {
        public Retry(String cause, Verdict verdict) {
            this(cause, verdict, Map.of(), List.of());
        }
    }

    /** @param exitCode Warden's exit code: 75 retry later/elsewhere, 76 a person is needed, 78 deterministic */
    record Stop(String cause, Verdict verdict, int exitCode) implements Advice {}

    default String category() {
        return verdict().category();
    }
}
