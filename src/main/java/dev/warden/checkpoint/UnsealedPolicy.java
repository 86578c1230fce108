package dev.warden.checkpoint;

/** What resume does with a checkpoint that is complete but was never sealed (written while Warden was not watching). */
public enum UnsealedPolicy {
    /** Seal it now (without fingerprints: Warden cannot know what produced it) and resume from it. */
    SEAL,
    /** Resume from it unsealed, on the strength of its completeness alone. */
    TRUST,
    /** Skip it: only sealed checkpoints are resumed from. */
    SKIP
}
