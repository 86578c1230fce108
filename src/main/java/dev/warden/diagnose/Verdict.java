package dev.warden.diagnose;

import java.util.List;

/**
 * Why a run stopped. {@code evidence.get(0)}, when present, is the line the rule matched (the
 * error line); the rest is context (traceback head, other ranks) in log order.
 */
public record Verdict(String category, String ruleId, boolean retryable, Action action,
                      String suggestion, String link, List<Evidence> evidence) {

    public static final String UNKNOWN = "unknown";

    public Verdict {
        evidence = List.copyOf(evidence);
    }

    public boolean isUnknown() {
        return UNKNOWN.equals(category);
    }

    /** The same verdict with the action actually taken (the spec's `on:` may decide other than the catalog). */
    public Verdict withAction(Action decided) {
        return new Verdict(category, ruleId, retryable, decided, suggestion, link, evidence);
    }

    /** The matched error line, or "" when there is none. */
    public String errorLine() {
        return evidence.isEmpty() ? "" : evidence.get(0).text();
    }

    /** The incident-memory signature of the error line (the category when there is no line). */
    public Signature signature() {
        String line = errorLine();
        return Signature.of(line.isEmpty() ? category : line);
    }

    /** One line: "cuda_oom (rule cuda-oom): retry with batch_size halved (not below 1); line 812: torch.OutOfMemoryError: ..." */
    public String summary() {
        StringBuilder sb = new StringBuilder(category).append(" (rule ").append(ruleId).append("): ")
                .append(retryable ? "" : "not retryable, ").append(action.describe());
        if (!evidence.isEmpty()) {
            Evidence e = evidence.get(0);
            sb.append("; ").append(e.line() > 0 ? "line " + e.line() + ": " : "").append(shorten(e.text(), 160));
        }
        return sb.toString();
    }

    private static String shorten(String s, int max) {
        return s.length() <= max ? s : s.substring(0, max - 1) + "…";
    }
}
