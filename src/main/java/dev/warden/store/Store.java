package dev.warden.store;

import dev.warden.event.Event;
import dev.warden.event.EventType;

import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * Runs, attempts and events. SQLite in WARDEN_HOME by default; the JDBC implementation keeps every SQL
 * difference in a {@link Dialect}, so a PostgreSQL store (WARDEN_DB) needs no change in callers.
 */
public interface Store extends AutoCloseable {

    void createRun(RunRecord run);

    /** Appends an event and returns it with its sequence number. */
    Event append(Event event);

    void attemptStarted(String runId, int attempt, long pid, String logPath);

    void attemptEnded(String runId, int attempt, Integer exitCode, Integer signal, String category);

    Optional<RunRecord> run(String runId);

    /** Newest first. */
    List<RunRecord> recentRuns(int limit);

    /** Newest first. */
    List<RunRecord> runsNamed(String name, int limit);

    List<Event> events(String runId, long afterSeq);

    /** The run's events of these types only, in order: no JSON parsed for the others (a long run has thousands). */
    List<Event> events(String runId, Set<EventType> types);

    /** Adds an occurrence to the incident with this signature, creating it the first time. Returns its id. */
    String recordIncident(String id, String signature, String category, String summary, Incident.Occurrence occurrence);

    /** Newest first, without occurrences and notes. */
    List<Incident> incidents();

    /** By id or a unique prefix of one, with occurrences and notes. */
    Optional<Incident> incident(String idOrPrefix);

    void addIncidentNote(String id, String text);

    @Override
    void close();

    static Store open(WardenHome home) {
        String url = System.getenv("WARDEN_DB");
        if (url != null && !url.isBlank() && !url.startsWith("jdbc:sqlite:")) {
            throw new dev.warden.UserError("WARDEN_DB=" + url + " is not supported yet; unset it to use the embedded SQLite store",
                    dev.warden.UserError.CONFIG);
        }
        if (url == null || url.isBlank()) {
            SqliteNative.prepare(home.ensureWritable());
        }
        return JdbcStore.open(url != null && !url.isBlank() ? url : "jdbc:sqlite:" + home.ensureWritable().database(), new SqliteDialect());
    }
}
