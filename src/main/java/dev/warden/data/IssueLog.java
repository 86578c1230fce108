package dev.warden.data;

import java.util.ArrayList;
import java.util.List;

/** A count plus the first few occurrences (line number and why): all a report shows of an issue. */
final class IssueLog {
    static final int KEEP = 5;

    private long count;
    private int kept;
    private final long[] lines = new long[KEEP];
    private final String[] reasons = new String[KEEP];

    void add(long line, String reason) {
        count++;
        if (kept < KEEP) {
            lines[kept] = line;
            reasons[kept] = reason;
            kept++;
        }
    }

    /** Adds a later chunk's log whose line numbers are relative to {@code base}. */
    void addAll(IssueLog later, long base) {
        for (int i = 0; i < later.kept && kept < KEEP; i++) {
            lines[kept] = base + later.lines[i];
            reasons[kept] = later.reasons[i];
            kept++;
        }
        count += later.count;
    }

    long count() {
        return count;
    }

    List<Long> lines() {
        List<Long> out = new ArrayList<>(kept);
        for (int i = 0; i < kept; i++) {
            out.add(lines[i]);
        }
        return out;
    }

    /** "line 17: why" for each kept occurrence (just "line 17" when there is no reason). */
    List<String> examples() {
        List<String> out = new ArrayList<>(kept);
        for (int i = 0; i < kept; i++) {
            out.add("line " + lines[i] + (reasons[i] == null ? "" : ": " + reasons[i]));
        }
        return out;
    }
}
