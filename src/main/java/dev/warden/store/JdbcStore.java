package dev.warden.store;

import dev.warden.UserError;
import dev.warden.event.Event;
import dev.warden.event.EventJson;
import dev.warden.event.EventType;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.sql.Types;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/** The JDBC store. One connection per process, used under a lock: Warden's write rate is a few events a second. */
final class JdbcStore implements Store {
    private final Connection connection;
    private final Dialect dialect;

    private JdbcStore(Connection connection, Dialect dialect) {
        this.connection = connection;
        this.dialect = dialect;
    }

    static JdbcStore open(String url, Dialect dialect) {
        try {
            Connection c = connect(url);
            try (Statement s = c.createStatement()) {
                for (String sql : dialect.onConnect()) {
                    s.execute(sql);
                }
            }
            Migrations.apply(c, dialect);
            return new JdbcStore(c, dialect);
        } catch (SQLException e) {
            throw new UserError("cannot open the store " + url + ": " + e.getMessage()
                    + "; check that WARDEN_HOME is writable and not full", UserError.CONFIG);
        }
    }

    /**
     * sqlite-jdbc's own entry rather than DriverManager's: finding drivers and checking the caller cost ~7 ms of every
     * `warden run` before its job starts.
     */
    private static Connection connect(String url) throws SQLException {
        return url.startsWith(org.sqlite.JDBC.PREFIX) ? org.sqlite.JDBC.createConnection(url, new java.util.Properties())
                : DriverManager.getConnection(url);
    }

    @Override
    public synchronized void createRun(RunRecord r) {
        update("INSERT INTO runs (id, name, command, spec_path, workdir, host, created_at) VALUES (?,?,?,?,?,?,?)",
                r.id(), r.name(), r.command(), r.specPath(), r.workdir(), r.host(), r.createdAt().toString());
    }

    @Override
    public synchronized Event append(Event e) {
        String sql = "INSERT INTO events (run_id, at, type, attempt, message, data) VALUES (?,?,?,?,?,?)";
        try (PreparedStatement ps = connection.prepareStatement(sql, Statement.RETURN_GENERATED_KEYS)) {
            bind(ps, e.runId(), e.at().toString(), e.type().id(), e.attempt(), e.message(), EventJson.data(e.data()));
            ps.executeUpdate();
            try (ResultSet keys = ps.getGeneratedKeys()) {
                return keys.next() ? e.withSeq(keys.getLong(1)) : e;
            }
        } catch (SQLException ex) {
            throw storeFailure(ex);
        }
    }

    @Override
    public synchronized void attemptStarted(String runId, int attempt, long pid, String logPath) {
        update(dialect.insertIgnore("attempts", "run_id, n, pid, log_path, started_at", "?,?,?,?,?"),
                runId, attempt, pid, logPath, Instant.now().toString());
    }

    @Override
    public synchronized void attemptEnded(String runId, int attempt, Integer exitCode, Integer signal, String category) {
        update("UPDATE attempts SET ended_at = ?, exit_code = ?, signal = ?, category = ? WHERE run_id = ? AND n = ?",
                Instant.now().toString(), exitCode, signal, category, runId, attempt);
    }

    @Override
    public synchronized Optional<RunRecord> run(String runId) {
        List<RunRecord> r = runs("SELECT * FROM runs WHERE id = ?", runId);
        return r.isEmpty() ? Optional.empty() : Optional.of(r.get(0));
    }

    @Override
    public synchronized List<RunRecord> recentRuns(int limit) {
        return runs("SELECT * FROM runs ORDER BY created_at DESC, id DESC LIMIT ?", limit);
    }

    @Override
    public synchronized List<RunRecord> runsNamed(String name, int limit) {
        return runs("SELECT * FROM runs WHERE name = ? ORDER BY created_at DESC, id DESC LIMIT ?", name, limit);
    }

    @Override
    public synchronized List<Event> events(String runId, long afterSeq) {
        return select("SELECT seq, run_id, at, type, attempt, message, data FROM events WHERE run_id = ? AND seq > ? ORDER BY seq",
                runId, afterSeq);
    }

    @Override
    public synchronized List<Event> events(String runId, Set<EventType> types) {
        if (types.isEmpty()) {
            return List.of();
        }
        Object[] args = new Object[types.size() + 1];
        args[0] = runId;
        int i = 1;
        for (EventType t : types) {
            args[i++] = t.id();
        }
        return select("SELECT seq, run_id, at, type, attempt, message, data FROM events WHERE run_id = ? AND type IN ("
                + "?,".repeat(types.size() - 1) + "?) ORDER BY seq", args);
    }

    private List<Event> select(String sql, Object... args) {
        List<Event> out = new ArrayList<>();
        try (PreparedStatement ps = connection.prepareStatement(sql)) {
            bind(ps, args);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    out.add(new Event(rs.getLong(1), rs.getString(2), Instant.parse(rs.getString(3)),
                            EventType.fromId(rs.getString(4)), rs.getInt(5), rs.getString(6), EventJson.data(rs.getString(7))));
                }
            }
        } catch (SQLException ex) {
            throw storeFailure(ex);
        }
        return out;
    }

    @Override
    public synchronized String recordIncident(String id, String signature, String category, String summary, Incident.Occurrence o) {
        String at = o.at().toString();
        boolean auto = true;
        try {
            auto = connection.getAutoCommit();
            connection.setAutoCommit(false);
            update(dialect.upsert("incidents", "id, signature, category, summary, first_seen, last_seen, count", "?,?,?,?,?,?,1", "signature",
                    "summary = excluded.summary, last_seen = excluded.last_seen, count = incidents.count + 1"),
                    id, signature, category, summary, at, at);
            String stored = id;
            try (PreparedStatement ps = connection.prepareStatement("SELECT id FROM incidents WHERE signature = ?")) {
                bind(ps, signature);
                try (ResultSet rs = ps.executeQuery()) {
                    if (rs.next()) {
                        stored = rs.getString(1);
                    }
                }
            }
            update(dialect.insertIgnore("incident_occurrences", "incident_id, run_id, attempt, at, evidence, bundle", "?,?,?,?,?,?"),
                    stored, o.runId(), o.attempt(), at, o.evidence(), o.bundle());
            connection.commit();
            return stored;
        } catch (SQLException | RuntimeException ex) {
            try {
                connection.rollback();
            } catch (SQLException ignored) {
                // the original failure is what matters
            }
            throw ex instanceof SQLException sq ? storeFailure(sq) : (RuntimeException) ex;
        } finally {
            try {
                connection.setAutoCommit(auto);
            } catch (SQLException ignored) {
                // connection is going away
            }
        }
    }

    @Override
    public synchronized List<Incident> incidents() {
        List<Incident> out = new ArrayList<>();
        try (PreparedStatement ps = connection.prepareStatement("SELECT * FROM incidents ORDER BY last_seen DESC");
             ResultSet rs = ps.executeQuery()) {
            while (rs.next()) {
                out.add(incidentRow(rs, List.of(), List.of()));
            }
        } catch (SQLException ex) {
            throw storeFailure(ex);
        }
        return out;
    }

    @Override
    public synchronized Optional<Incident> incident(String idOrPrefix) {
        List<Incident> matches = incidents().stream().filter(i -> i.id().startsWith(idOrPrefix)).toList();
        if (matches.size() != 1) {
            if (matches.size() > 1) {
                throw new UserError("`" + idOrPrefix + "` matches " + matches.size() + " incidents; give more of the id");
            }
            return Optional.empty();
        }
        Incident i = matches.get(0);
        List<Incident.Occurrence> occ = new ArrayList<>();
        List<Incident.Note> notes = new ArrayList<>();
        try (PreparedStatement ps = connection.prepareStatement(
                "SELECT run_id, attempt, at, evidence, bundle FROM incident_occurrences WHERE incident_id = ? ORDER BY at")) {
            bind(ps, i.id());
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    occ.add(new Incident.Occurrence(rs.getString(1), rs.getInt(2), Instant.parse(rs.getString(3)), rs.getString(4), rs.getString(5)));
                }
            }
            try (PreparedStatement pn = connection.prepareStatement("SELECT at, text FROM incident_notes WHERE incident_id = ? ORDER BY at")) {
                bind(pn, i.id());
                try (ResultSet rs = pn.executeQuery()) {
                    while (rs.next()) {
                        notes.add(new Incident.Note(Instant.parse(rs.getString(1)), rs.getString(2)));
                    }
                }
            }
        } catch (SQLException ex) {
            throw storeFailure(ex);
        }
        return Optional.of(new Incident(i.id(), i.signature(), i.category(), i.summary(), i.firstSeen(), i.lastSeen(), i.count(), occ, notes));
    }

    @Override
    public synchronized void addIncidentNote(String id, String text) {
        update("INSERT INTO incident_notes (incident_id, at, text) VALUES (?,?,?)", id, Instant.now().toString(), text);
    }

    private static Incident incidentRow(ResultSet rs, List<Incident.Occurrence> occ, List<Incident.Note> notes) throws SQLException {
        return new Incident(rs.getString("id"), rs.getString("signature"), rs.getString("category"), rs.getString("summary"),
                Instant.parse(rs.getString("first_seen")), Instant.parse(rs.getString("last_seen")), rs.getInt("count"), occ, notes);
    }

    @Override
    public synchronized void close() {
        try {
            connection.close();
        } catch (SQLException ignored) {
            // closing at exit; nothing left to save
        }
    }

    private List<RunRecord> runs(String sql, Object... args) {
        List<RunRecord> out = new ArrayList<>();
        try (PreparedStatement ps = connection.prepareStatement(sql)) {
            bind(ps, args);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    out.add(new RunRecord(rs.getString("id"), rs.getString("name"), rs.getString("command"),
                            rs.getString("spec_path"), rs.getString("workdir"), rs.getString("host"),
                            Instant.parse(rs.getString("created_at"))));
                }
            }
        } catch (SQLException ex) {
            throw storeFailure(ex);
        }
        return out;
    }

    private void update(String sql, Object... args) {
        try (PreparedStatement ps = connection.prepareStatement(sql)) {
            bind(ps, args);
            ps.executeUpdate();
        } catch (SQLException ex) {
            throw storeFailure(ex);
        }
    }

    private static void bind(PreparedStatement ps, Object... args) throws SQLException {
        for (int i = 0; i < args.length; i++) {
            Object a = args[i];
            if (a == null) {
                ps.setNull(i + 1, Types.NULL);
            } else if (a instanceof Integer n) {
                ps.setInt(i + 1, n);
            } else if (a instanceof Long n) {
                ps.setLong(i + 1, n);
            } else {
                ps.setString(i + 1, a.toString());
            }
        }
    }

    private static RuntimeException storeFailure(SQLException e) {
        return new UserError("the store failed: " + e.getMessage() + "; check free space and permissions of WARDEN_HOME", 74);
    }
}
