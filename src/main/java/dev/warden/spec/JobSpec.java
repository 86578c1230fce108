package dev.warden.spec;

import com.fasterxml.jackson.annotation.JsonProperty;

import java.time.Duration;
import java.util.List;
import java.util.Map;

/**
 * warden.yaml: how Warden runs, watches, stops and restarts one training command. Every key is optional but
 * `command`. Durations are written like 90s, 10m, 2h or 1h30m (a bare number is seconds).
 * (Java note: YAML keys are the snake_case forms of the component names; {@link SpecDefaults} fills the defaults,
 * and schema/warden.schema.json is generated from this javadoc by {@link SpecSchema}.)
 *
 * @param name          job name: one supervisor per name on a machine (default: the script's name, train.py -> train)
 * @param command       the training command: a shell line (run by bash -c, so pipes and && work) or a list of arguments (run as is); ${name} is replaced from params
 * @param workdir       directory the command runs in, relative to this file (default: this file's directory)
 * @param env           extra environment variables for the job; ${name} is replaced from params
 * @param params        values for ${name} in the command; the diagnosis may change them (e.g. halve batch_size after a CUDA out-of-memory error)
 * @param secrets       names of environment variables whose values are never printed or stored
 * @param stallAfter    no output, heartbeat or step change for this long = hang; 0 turns hang detection off; unset = learned from step times: max(60s, 3 x the 99th-percentile step time)
 * @param startupStall  how long the job may stay silent before its first step (CUDA, torch and the model loading); when set, it applies before `stall_after` too; unset: 15m with a learned stall timeout, `stall_after` from the start otherwise
 * @param grace         on stop, how long after SIGTERM the job's processes get SIGKILL
 * @param startSeconds  an attempt counts as started once it has run this long
 * @param maxRestarts   at most this many restarts within restart_window, then Warden gives up (0 = never restart)
 * @param restartWindow the sliding window that max_restarts counts restarts in
 * @param backoff       delay between attempts that made no step progress: doubles after each, with jitter, up to max
 * @param maxNoProgress give up after this many attempts in a row that made no step progress
 * @param onNan         what to do when the loss turns NaN or inf: stop, or restart (from the last checkpoint)
 * @param budget        wall-time and money limits of the whole run, restarts included (a value of 0 or less turns a limit off)
 * @param progress      regexes for step, total and loss when the trainer's output is custom (tqdm, Hugging Face and Lightning output is read without them)
 * @param onFinish      shell command run once at the end, whatever the outcome (e.g. stop the cloud instance); its output and exit code are recorded
 * @param notifications where crash, hang, budget and final-stop messages go
 * @param orphans       kill or adopt: what to do with a job left running by a supervisor that died
 * @param gpus          how many GPUs the job needs (0 on a CPU-only node); preflight fails when fewer remain after exclusions
 * @param checkpoints   where checkpoints are and how to resume from them
 * @param checks        preflight checks run before the first attempt
 * @param rules         extra diagnosis rules
 * @param on            per failure category (cuda_oom, nccl_error, ...): what to change or do before retrying
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
        Integer gpus,
        CheckpointSpec checkpoints,
        List<Object> checks,
        List<Map<String, Object>> rules,
        Map<String, OnFailure> on) {

    /**
     * Delay between attempts: doubles after each failure, with +-20% jitter, never above max.
     *
     * @param initial    first delay (0 = restart at once, always)
     * @param max        the longest delay
     * @param resetAfter an attempt that ran this long resets the delay to initial
     */
    public record Backoff(Duration initial, Duration max, Duration resetAfter) {}

    /**
     * Wall-time and money limits of the whole run, restarts included; at the limit the job gets SIGTERM.
     *
     * @param maxWall      wall-time limit (0 = none)
     * @param usdPerHour   price of the machine per hour, for the cost so far
     * @param maxUsd       cost limit in US dollars (0 = none; needs usd_per_hour)
     * @param warnAt       share of a limit at which a warning is sent, between 0 and 1
     * @param signalBefore send `signal` this long before the limit so the trainer can save a checkpoint (0 = none)
     * @param signal       the signal sent signal_before the limit: USR1, USR2, TERM, ...
     */
    public record Budget(Duration maxWall, Double usdPerHour, Double maxUsd, Double warnAt, Duration signalBefore, String signal) {}

    /**
     * Regexes (Java syntax) with one capture group each, applied to every output line.
     *
     * @param step  captures the step number, e.g. 'step (\d+)'
     * @param total captures the total number of steps, e.g. 'of (\d+) steps'
     * @param loss  captures the training loss, e.g. 'loss=([0-9.e+-]+|nan|inf)'
     */
    public record Progress(String step, String total, String loss) {}

    /**
     * Where Warden's messages go.
     *
     * @param webhook http(s) URL that gets a JSON POST with a Slack/Discord-compatible `text` field
     */
    public record Notify(String webhook) {}

    /**
     * What to do after a failure of one category.
     *
     * @param action     retry or stop
     * @param halve      a whole-number parameter to halve before retrying (e.g. batch_size)
     * @param min        smallest value of the halved parameter; at it, stop (default 1)
     * @param excludeGpu exclude the failing GPU from later attempts
     */
    public record OnFailure(String action, String halve, Integer min, Boolean excludeGpu) {}
}
