package dev.warden.supervise;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;

/**
 * How one attempt ended, as the restart decision sees it.
 *
 * @param stoppedFor   why Warden stopped it (hang, nan_loss), or null when it exited by itself
 * @param stoppedDetail the line that showed it (the NaN loss line, how long it was quiet)
 * @param madeProgress whether its step advanced; null when the job shows no steps
 * @param params       the parameters it ran with
 * @param evidence     the evidence bundle directory, or null
 */
public record AttemptResult(int attempt, ExitStatus exit, String stoppedFor, String stoppedDetail, Path log, Duration ranFor,
                            Boolean madeProgress, Map<String, Object> params, Path evidence) {

    public AttemptResult(int attempt, ExitStatus exit, String stoppedFor, String stoppedDetail, Path log, Duration ranFor,
                         Boolean madeProgress, Map<String, Object> params) {
        this(attempt, exit, stoppedFor, stoppedDetail, log, ranFor, madeProgress, params, null);
    }

    /** The same result with its evidence bundle (captured before the decision). */
    public AttemptResult withEvidence(Path bundle) {
        return new AttemptResult(attempt, exit, stoppedFor, stoppedDetail, log, ranFor, madeProgress, params, bundle);
    }
}
