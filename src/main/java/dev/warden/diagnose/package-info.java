/**
 * Diagnosis: why did a run stop, can a retry help, and what should change.
 *
 * <p>{@link dev.warden.diagnose.Diagnoser} loads the rules (the YAML catalog shipped as
 * {@code rules.yaml}, the user's {@code WARDEN_HOME/rules.d/*.yaml}, the spec's {@code rules:}) and
 * classifies a log plus the exit status into a {@link dev.warden.diagnose.Verdict}: category, rule,
 * retryable, an {@link dev.warden.diagnose.Action} for the restart policy, advice and numbered
 * evidence lines. Rules are found through a literal prefilter ({@code LiteralScanner}), so a
 * catalog of hundreds of rules costs about as much as one; regexes run only on candidate lines,
 * capped in length and in backtracking. {@link dev.warden.diagnose.EvidenceBundle} captures the
 * state around a failure before a retry changes it; {@link dev.warden.diagnose.Signature} names a
 * failure across runs for the incident memory; {@link dev.warden.diagnose.Redactor} masks secrets
 * in everything written or printed.
 */
package dev.warden.diagnose;
