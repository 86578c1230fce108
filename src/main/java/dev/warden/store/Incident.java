package dev.warden.store;

import java.time.Instant;
import java.util.List;

/**
 * Failures with the same signature (the error line with numbers, paths and addresses normalised away), grouped.
 *
 * @param id        short stable id derived from the signature
 * @param summary   the newest occurrence's one-line cause
 */
public record Incident(String id, String signature, String category, String summary, Instant firstSeen, Instant lastSeen,
                       int count, List<Occurrence> occurrences, List<Note> notes) {

    /** @param bundle directory of the evidence bundle captured before the retry, if any */
    public record Occurrence(String runId, int attempt, Instant at, String evidence, String bundle) {}

    public record Note(Instant at, String text) {}
}
