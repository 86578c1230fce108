package dev.warden.checkpoint;

import java.nio.file.Path;

/**
 * A checkpoint whose seal did not verify, moved aside (renamed, never deleted) so nothing resumes from it.
 *
 * @param quarantinedAs its new path, or null when the rename failed (then {@link #renameError} says why)
 * @param report        what verify found
 */
public record Quarantined(Checkpoint checkpoint, Path quarantinedAs, VerifyReport report, String renameError) {
    /** One line for an event or an incident. */
    public String describe() {
        String where = quarantinedAs != null ? "moved to " + quarantinedAs.getFileName() : "could not be moved aside (" + renameError + ")";
        return "checkpoint " + checkpoint.name() + " failed verification and " + where + ": " + report.summary();
    }
}
