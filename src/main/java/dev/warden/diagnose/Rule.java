package dev.warden.diagnose;

import java.util.List;
import java.util.Set;

/**
 * A rule of the catalog, a user file or the spec. It matches a log line when one of
 * {@code patterns} does and none of {@code unless} does. {@code exitCodes}/{@code signals}, when
 * given, must also agree with how the process ended; a rule with only exit codes/signals matches
 * on the exit status alone. {@code origin} says where it came from ("catalog", "rules.d/x.yaml:12").
 */
public record Rule(String id, String category, List<RulePattern> patterns, List<RulePattern> unless,
                   Set<Integer> exitCodes, Set<Integer> signals, boolean retryable, Action action,
                   String suggestion, String link, int priority, String origin) {

    public boolean hasExitCondition() {
        return !exitCodes.isEmpty() || !signals.isEmpty();
    }

    public boolean exitMatches(ExitInfo exit) {
        if (!hasExitCondition()) {
            return true;
        }
        if (exit == null) {
            return false;
        }
        Integer sig = exit.effectiveSignal();
        return (exit.exitCode() != null && exitCodes.contains(exit.exitCode())) || (sig != null && signals.contains(sig));
    }
}
