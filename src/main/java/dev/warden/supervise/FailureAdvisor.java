package dev.warden.supervise;

/** Decides, after a failed attempt, whether a retry can help and what to change. */
public interface FailureAdvisor {
    Advice advise(AttemptResult result);

    /** A failed attempt is about to be advised on (see {@link Classifier#prepare}). */
    default void prepare() {}
}
