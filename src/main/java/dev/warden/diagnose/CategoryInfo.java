package dev.warden.diagnose;

/**
 * What a category means for the restart policy: its rank when several rules match (the higher,
 * the more of a root cause), its default action and advice. A category with {@code verdict}
 * false marks benign lines (informational Xids): they never become a verdict and they keep
 * other rules from claiming the same line.
 */
public record CategoryInfo(String name, int priority, boolean retryable, Action action,
                           String suggestion, String link, boolean verdict) {
}
