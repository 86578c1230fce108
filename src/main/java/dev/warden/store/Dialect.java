package dev.warden.store;

import java.util.List;

/** Every difference between SQL databases lives behind this interface (the db-scheduler habit). */
public interface Dialect {
    String name();

    /** Statements run on every new connection (SQLite: WAL, busy timeout). */
    List<String> onConnect();

    /** Column type of an auto-increment primary key. */
    String autoIncrementKey();

    /** Insert-or-ignore form of an INSERT with the given table and column list. */
    String insertIgnore(String table, String columns, String placeholders);

    /** INSERT ... that, on a conflict over `key`, runs `onConflictSet` (an UPDATE SET list) instead. */
    default String upsert(String table, String columns, String placeholders, String key, String onConflictSet) {
        return "INSERT INTO " + table + " (" + columns + ") VALUES (" + placeholders + ") ON CONFLICT (" + key + ") DO UPDATE SET " + onConflictSet;
    }
}
