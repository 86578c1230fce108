package dev.warden.supervise;

/** Names the cause of a failed attempt from its log and exit status. */
public interface Classifier {
    Classification classify(AttemptResult result);
}
