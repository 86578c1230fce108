package dev.warden.check;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;

import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** The answers of one preflight, in plan order, with a table for people and JSON for programs. */
public record PreflightReport(List<CheckResult> results, Duration wall) {
    /** Made on first use: only `warden check --json` needs it. */
    private static final class Databind {
        static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);
    }

    public PreflightReport {
        results = List.copyOf(results);
    }

    public boolean hasFail() {
        return results.stream().anyMatch(r -> r.status() == CheckResult.Status.FAIL);
    }

    public long count(CheckResult.Status status) {
        return results.stream().filter(r -> r.status() == status).count();
    }

    public List<CheckResult.Skipped> skipped() {
        return results.stream().filter(r -> r instanceof CheckResult.Skipped)
                .map(r -> (CheckResult.Skipped) r).toList();
    }

    public String summary() {
        return results.size() + " checks: " + count(CheckResult.Status.PASS) + " PASS, "
                + count(CheckResult.Status.WARN) + " WARN, " + count(CheckResult.Status.FAIL) + " FAIL"
                + (count(CheckResult.Status.SKIP) > 0 ? ", " + count(CheckResult.Status.SKIP) + " skipped" : "")
                + " in " + time(wall);
    }

    /** One row per check (CHECK, STATUS, TIME, EVIDENCE) and the fix on the line under it. */
    public String table() {
        int idWidth = "CHECK".length();
        for (CheckResult r : results) {
            idWidth = Math.max(idWidth, r.check().length());
        }
        String row = "%-" + idWidth + "s  %-6s  %6s  %s%n";
        String indent = " ".repeat(idWidth + 18);
        StringBuilder b = new StringBuilder(String.format(row, "CHECK", "STATUS", "TIME", "EVIDENCE"));
        for (CheckResult r : results) {
            b.append(String.format(row, r.check(), r.status(), time(r.duration()), r.evidence()));
            if (!r.fix().isEmpty()) {
                b.append(indent).append("fix: ").append(r.fix()).append(System.lineSeparator());
            }
        }
        b.append(summary()).append(System.lineSeparator());
        return b.toString();
    }

    public String json() {
        List<Map<String, Object>> rows = new ArrayList<>();
        for (CheckResult r : results) {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("check", r.check());
            m.put("status", r.status().name());
            m.put("evidence", r.evidence());
            m.put("fix", r.fix());
            m.put("duration_ms", r.duration().toMillis());
            rows.add(m);
        }
        Map<String, Object> doc = new LinkedHashMap<>();
        doc.put("ok", !hasFail());
        doc.put("pass", count(CheckResult.Status.PASS));
        doc.put("warn", count(CheckResult.Status.WARN));
        doc.put("fail", count(CheckResult.Status.FAIL));
        doc.put("skipped", count(CheckResult.Status.SKIP));
        doc.put("wall_ms", wall.toMillis());
        doc.put("checks", rows);
        try {
            return Databind.JSON.writeValueAsString(doc) + System.lineSeparator();
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    static String time(Duration d) {
        long ms = d.toMillis();
        if (ms < 1000) {
            return ms + "ms";
        }
        if (ms < 60_000) {
            return String.format(java.util.Locale.ROOT, "%.1fs", ms / 1000.0);
        }
        return (ms / 60_000) + "m" + (ms % 60_000) / 1000 + "s";
    }
}
