package dev.warden.supervise;

import dev.warden.diagnose.Verdict;

/** Names the cause of a failed attempt from its log and exit status. */
public interface Classifier {
    Verdict classify(AttemptResult result);

    /** A failed attempt is about to be classified: load what {@link #classify} needs, off this thread. */
    default void prepare() {}
}
