package dev.warden.store;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;

/** Versioned schema changes, applied in order, each once, each in its own transaction. Append; never edit. */
final class Migrations {
    private static final List<String[]> STEPS = List.<String[]>of(
            new String[] {
                "CREATE TABLE runs (id TEXT PRIMARY KEY, name TEXT NOT NULL, command TEXT NOT NULL, spec_path TEXT, "
                        + "workdir TEXT, host TEXT, created_at TEXT NOT NULL)",
                "CREATE INDEX runs_by_name ON runs(name, created_at)",
                "CREATE TABLE attempts (run_id TEXT NOT NULL REFERENCES runs(id), n INTEGER NOT NULL, pid INTEGER, log_path TEXT, "
                        + "started_at TEXT NOT NULL, ended_at TEXT, exit_code INTEGER, signal INTEGER, category TEXT, PRIMARY KEY (run_id, n))",
                "CREATE TABLE events (seq ${autoIncrementKey}, run_id TEXT NOT NULL REFERENCES runs(id), at TEXT NOT NULL, "
                        + "type TEXT NOT NULL, attempt INTEGER NOT NULL, message TEXT NOT NULL, data TEXT NOT NULL)",
                "CREATE INDEX events_by_run ON events(run_id, seq)"
            },
            new String[] {
                "CREATE TABLE incidents (id TEXT PRIMARY KEY, signature TEXT NOT NULL UNIQUE, category TEXT NOT NULL, "
                        + "summary TEXT NOT NULL, first_seen TEXT NOT NULL, last_seen TEXT NOT NULL, count INTEGER NOT NULL)",
                "CREATE TABLE incident_occurrences (incident_id TEXT NOT NULL REFERENCES incidents(id), run_id TEXT NOT NULL, "
                        + "attempt INTEGER NOT NULL, at TEXT NOT NULL, evidence TEXT, bundle TEXT, PRIMARY KEY (incident_id, run_id, attempt))",
                "CREATE TABLE incident_notes (incident_id TEXT NOT NULL REFERENCES incidents(id), at TEXT NOT NULL, text TEXT NOT NULL)"
            });

    private Migrations() {}

    static void apply(Connection c, Dialect d) throws SQLException {
        try (Statement s = c.createStatement()) {
            s.execute("CREATE TABLE IF NOT EXISTS schema_version (version INTEGER NOT NULL)");
        }
        int current;
        try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery("SELECT MAX(version) FROM schema_version")) {
            current = rs.next() ? rs.getInt(1) : 0;
        }
        if (current > STEPS.size()) {
            throw new SQLException("the database was written by a newer Warden (schema " + current + ", this one knows "
                    + STEPS.size() + "); upgrade Warden or point WARDEN_HOME elsewhere");
        }
        for (int v = current + 1; v <= STEPS.size(); v++) {
            boolean auto = c.getAutoCommit();
            c.setAutoCommit(false);
            try (Statement s = c.createStatement()) {
                for (String sql : STEPS.get(v - 1)) {
                    s.execute(sql.replace("${autoIncrementKey}", d.autoIncrementKey()));
                }
                s.execute("INSERT INTO schema_version (version) VALUES (" + v + ")");
                c.commit();
            } catch (SQLException e) {
                c.rollback();
                throw e;
            } finally {
                c.setAutoCommit(auto);
            }
        }
    }

    static int latest() {
        return STEPS.size();
    }
}
