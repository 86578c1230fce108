package dev.warden.event;

import java.util.Locale;

/** Every transition of a run. Stored and printed in lower case (attempt_started). */
public enum EventType {
    RUN_STARTED, PREFLIGHT, CHECK_SKIPPED, ATTEMPT_STARTED, PROGRESS, STALLED, NAN_DETECTED, EXITED, DIAGNOSED,
    RESTARTING, STOPPING, STOP_REQUESTED, PAUSED, RESUMED, BUDGET_WARNING, BUDGET_SIGNAL, BUDGET_EXCEEDED,
    CHECKPOINT_SEALED, CHECKPOINT_QUARANTINED, RESUMING_FROM, LEFTOVERS_KILLED, NODE_PROBLEM, ORPHAN_KILLED,
    ORPHAN_ADOPTED, LOCK_TAKEN_OVER, SPEC_CHANGED, HOOK_RAN, NOTIFY_FAILED, RUN_ENDED;

    public String id() {
        return name().toLowerCase(Locale.ROOT);
    }

    public static EventType fromId(String id) {
        return valueOf(id.toUpperCase(Locale.ROOT));
    }
}
