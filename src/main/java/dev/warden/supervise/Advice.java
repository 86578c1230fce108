package dev.warden.supervise;

import java.util.List;
import java.util.Map;

/** What to do after a failed attempt: the seam where the diagnosis decides. */
public sealed interface Advice permits Advice.Retry, Advice.Stop {

    /** One line: what failed ("cuda_oom: CUDA out of memory (log line 23)"). */
    String cause();

    /**
     * @param paramChanges parameters to change before the next attempt (batch_size -> 16)
     * @param excludeGpus  GPU indexes to hide from later attempts
     */
    record Retry(String cause, String category, Map<String, Object> paramChanges, List<String> excludeGpus) implements Advice {
        public Retry(String cause, String category) {
            this(cause, category, Map.of(), List.of());
        }
    }

    /** @param exitCode Warden's exit code: 75 retry later/elsewhere, 76 a person is needed, 78 deterministic */
    record Stop(String cause, String category, int exitCode) implements Advice {}
}
