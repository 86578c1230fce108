package dev.warden.store;

import java.util.List;

public final class SqliteDialect implements Dialect {
    @Override
    public String name() {
        return "sqlite";
    }

    @Override
    public List<String> onConnect() {
        // WAL lets `warden ps` read while a supervisor writes; busy_timeout waits instead of failing on a lock.
        return List.of("PRAGMA journal_mode=WAL", "PRAGMA synchronous=NORMAL", "PRAGMA busy_timeout=10000", "PRAGMA foreign_keys=ON");
    }

    @Override
    public String autoIncrementKey() {
        return "INTEGER PRIMARY KEY AUTOINCREMENT";
    }

    @Override
    public String insertIgnore(String table, String columns, String placeholders) {
        return "INSERT OR IGNORE INTO " + table + " (" + columns + ") VALUES (" + placeholders + ")";
    }
}
