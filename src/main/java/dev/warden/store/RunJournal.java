package dev.warden.store;

import dev.warden.event.Event;
import dev.warden.event.EventJson;
import dev.warden.event.EventType;

import java.util.Map;
import java.util.function.Consumer;

/** Appends a run's events to the store and to runs/<id>/events.jsonl: every view reads one of the two. */
public final class RunJournal {
    private final Store store;
    private final WardenHome home;
    private final String runId;
    private final Consumer<Event> listener;
    private final java.util.function.UnaryOperator<String> redact;

    public RunJournal(Store store, WardenHome home, String runId, Consumer<Event> listener) {
        this(store, home, runId, listener, java.util.function.UnaryOperator.identity());
    }

    /** @param redact applied to every message and text value: events quote the job's log, which may hold secrets */
    public RunJournal(Store store, WardenHome home, String runId, Consumer<Event> listener, java.util.function.UnaryOperator<String> redact) {
        this.store = store;
        this.home = home;
        this.runId = runId;
        this.listener = listener;
        this.redact = redact;
    }

    public String runId() {
        return runId;
    }

    public Event emit(EventType type, int attempt, String message, Map<String, Object> data) {
        Map<String, Object> clean = new java.util.LinkedHashMap<>();
        data.forEach((k, v) -> clean.put(k, v instanceof String str ? redact.apply(str) : v));
        Event stored = store.append(Event.of(runId, type, attempt, redact.apply(message), clean));
        java.nio.file.Path journal = home.run(runId).resolve("events.jsonl");
        AtomicFiles.appendLine(journal, EventJson.line(stored));
        if (type == EventType.RUN_ENDED) {
            AtomicFiles.sync(journal);
        }
        if (listener != null) {
            listener.accept(stored);
        }
        return stored;
    }

    public Event emit(EventType type, int attempt, String message) {
        return emit(type, attempt, message, Map.of());
    }
}
