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
 */
public record AttemptResult(int attempt, ExitStatus exit, String stoppedFor, String stoppedDetail, Path log, Duration ranFor,
                            Boolean madeProgress, Map<String, Object> params) {}
