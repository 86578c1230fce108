package dev.warden.event;

import java.time.Duration;
import java.time.Instant;
import java.util.List;

/**
 * What `ps` shows, folded from a run's events alone: no view keeps its own copy of state.
 *
 * @param state       starting | running | paused | stalled | restarting | stopping | finished | failed | stopped | interrupted
 * @param supervisorPid the pid that supervises it (to tell a dead supervisor from a live one)
 */
public record RunView(String runId, String state, int attempt, Long step, Long total, Double loss, Instant startedAt,
                      Instant endedAt, Double usdPerHour, String outcome, Integer exitCode, Long supervisorPid,
                      Long supervisorStart, Long pgid, Long pgidStart, String lastMessage) {

    public static RunView fold(String runId, List<Event> events) {
        String state = "starting";
        int attempt = 0;
        Long step = null, total = null, sPid = null, sStart = null, pgid = null, pgidStart = null;
        Double loss = null, usd = null;
        Instant started = null, ended = null;
        String outcome = null, last = null;
        Integer exit = null;
        for (Event e : events) {
            last = e.message();
            switch (e.type()) {
                case RUN_STARTED -> {
                    started = e.at();
                    sPid = e.longValue("supervisor_pid");
                    sStart = e.longValue("supervisor_start");
                    usd = e.doubleValue("usd_per_hour");
                }
                case ATTEMPT_STARTED -> {
                    state = "running";
                    attempt = e.attempt();
                    pgid = e.longValue("pgid");
                    pgidStart = e.longValue("pgid_start");
                }
                case ORPHAN_ADOPTED -> {
                    state = "running";
                    sPid = e.longValue("supervisor_pid");
                    sStart = e.longValue("supervisor_start");
                }
                case PROGRESS -> {
                    if (e.longValue("step") != null) step = e.longValue("step");
                    if (e.longValue("total") != null) total = e.longValue("total");
                    if (e.doubleValue("loss") != null) loss = e.doubleValue("loss");
                }
                case STALLED -> state = "stalled";
                case PAUSED -> state = "paused";
                case RESUMED -> state = "running";
                case STOPPING -> state = "stopping";
                case RESTARTING -> state = "restarting";
                case EXITED -> state = "exited";
                case RUN_ENDED -> {
                    ended = e.at();
                    outcome = e.text("outcome");
                    exit = e.longValue("exit_code") == null ? null : e.longValue("exit_code").intValue();
                    state = outcome == null ? "ended" : outcome;
                }
                default -> { }
            }
        }
        return new RunView(runId, state, attempt, step, total, loss, started, ended, usd, outcome, exit, sPid, sStart,
                pgid, pgidStart, last);
    }

    public boolean ended() {
        return endedAt != null;
    }

    public Duration elapsed(Instant now) {
        if (startedAt == null) {
            return Duration.ZERO;
        }
        return Duration.between(startedAt, endedAt != null ? endedAt : now);
    }

    /** Cost so far at the spec's price; null when no price was given. */
    public Double cost(Instant now) {
        if (usdPerHour == null || usdPerHour <= 0) {
            return null;
        }
        return usdPerHour * elapsed(now).toMillis() / 3_600_000.0;
    }
}
