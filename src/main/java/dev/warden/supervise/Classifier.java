package dev.warden.supervise;

import dev.warden.diagnose.Verdict;

/** Names the cause of a failed attempt from its log and exit status. */
public interface Classifier {
    Verdict classify(AttemptResult result);
}
