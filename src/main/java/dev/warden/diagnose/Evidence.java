package dev.warden.diagnose;

/**
 * One line that supports a verdict: its 1-based line number in the log and its text (cleaned of
 * terminal escapes, shortened, secrets redacted). Line 0 means the text does not come from the
 * log itself (the exit status, a kernel log line, a monitor's observation).
 */
public record Evidence(int line, String text) {
    public Evidence {
        if (line < 0) {
            throw new IllegalArgumentException("line must be >= 0, got " + line);
        }
        text = text == null ? "" : text;
    }
}
