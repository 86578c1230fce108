package dev.warden.spec;

import com.fasterxml.jackson.annotation.JsonProperty;

import java.time.Duration;
import java.util.List;
import java.util.Map;

/**
 * warden.yaml. YAML keys are the snake_case forms of these names (stall_after, max_restarts).
 * Every field is optional but `command`; defaults are applied by {@link SpecDefaults}.
 *
 * @param name          job name: one supervisor per name on a machine (default: the script's name)
 * @param command       shell string or argv list; ${param} is replaced from params
 * @param workdir       directory the command runs in (default: the spec file's directory)
 * @param env           extra environment variables for the job
 * @param params        values for ${name} in the command; the diagnosis may change them (halve batch_size)
 * @param secrets       names of env variables whose values are never printed or stored
 * @param stallAfter    no progress for this long = hang; unset = learned from step times
 * @param startupStall  with a learned stall timeout, how long the job may stay silent before its first step
 * @param grace         SIGTERM to SIGKILL on stop
 * @param startSeconds  an attempt counts as started once it has run this long
 * @param maxRestarts   at most this many restarts ...
 * @param restartWindow ... within this window (then Warden gives up)
 * @param backoff       delay between attempts
 * @param maxNoProgress give up after this many attempts in a row that made no step progress
 * @param onNan         stop | restart when the loss turns NaN or inf
 * @param budget        wall-time and money limits (a value <= 0 disables it)
 * @param progress      extra regexes for step, total and loss, when the trainer's output is custom
 * @param onFinish      shell hook run once at the end, whatever the outcome
 * @param notifications      where crash, hang, budget and final-stop messages go
 * @param orphans       kill | adopt: what to do with a job group left running by a dead supervisor
 * @param checkpoints   where checkpoints are and how to resume from them
 * @param checks        preflight checks
 * @param rules         extra diagnosis rules
 * @param on            per failure category: what to change before retrying
 */
public record JobSpec(
        String name,
        Command command,
        String workdir,
        Map<String, String> env,
        Map<String, Object> params,
        List<String> secrets,
        Duration stallAfter,
        Duration startupStall,
        Duration grace,
        Duration startSeconds,
        Integer maxRestarts,
        Duration restartWindow,
        Backoff backoff,
        Integer maxNoProgress,
        String onNan,
        Budget budget,
        Progress progress,
        String onFinish,
        @JsonProperty("notify") Notify notifications,
        String orphans,
        CheckpointSpec checkpoints,
        List<Map<String, Object>> checks,
        List<Map<String, Object>> rules,
        Map<String, OnFailure> on) {

    /**
     * @param initial  first delay (0 = restart at once)
     * @param max      cap of the doubling delay
     * @param resetAfter an attempt that ran this long resets the delay to `initial`
     */
    public record Backoff(Duration initial, Duration max, Duration resetAfter) {}

    /**
     * @param maxWall      wall-time limit of the whole run, restarts included (0 = none)
     * @param usdPerHour   price of the machine, for cost so far
     * @param maxUsd       cost limit (0 = none)
     * @param warnAt       share of a limit at which a warning event is sent
     * @param signalBefore send `signal` this long before the wall limit so the trainer can save
     * @param signal       USR1 by default
     */
    public record Budget(Duration maxWall, Double usdPerHour, Double maxUsd, Double warnAt, Duration signalBefore, String signal) {}

    /** Regexes with one capture group each, applied to every output line. */
    public record Progress(String step, String total, String loss) {}

    /** @param webhook URL that gets a JSON POST with a Slack/Discord-compatible `text` field */
    public record Notify(String webhook) {}

    /**
     * @param action   retry | stop
     * @param halve    parameter to halve before retrying (e.g. batch_size)
     * @param min      smallest value of the halved parameter; at it, stop
     * @param excludeGpu exclude the failing GPU from later attempts
     */
    public record OnFailure(String action, String halve, Integer min, Boolean excludeGpu) {}
}
