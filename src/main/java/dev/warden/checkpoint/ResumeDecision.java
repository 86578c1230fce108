package dev.warden.checkpoint;

import dev.warden.UserError;

import java.nio.file.Path;
import java.util.List;

/** What the fingerprint policy decided before a run resumes. Each case carries the run's current fingerprints. */
public sealed interface ResumeDecision {

    Fingerprints current();

    /** One line for the terminal and the event log. */
    String describe();

    /** Resume as usual. @param note why (matched, nothing to compare, or a change the policy lets through) */
    record Resume(Fingerprints current, String note) implements ResumeDecision {
        public String describe() {
            return note;
        }
    }

    /** The old checkpoints were moved into archiveDir: the run starts at step 0. */
    record Archived(Fingerprints current, Path archiveDir, List<Path> moved, String reason) implements ResumeDecision {
        public String describe() {
            return reason + "; moved " + moved.size() + " checkpoint entr" + (moved.size() == 1 ? "y" : "ies") + " to "
                    + archiveDir + " and starting from step 0";
        }
    }

    /** The run must not start: the message lists old and new values. */
    record Refused(Fingerprints current, String message) implements ResumeDecision {
        public String describe() {
            return message;
        }

        public UserError toUserError() {
            return new UserError(message, UserError.CONFIG);
        }
    }
}
