package dev.warden.diagnose;

/** A rule or rule file that cannot be used; the message names the place (file:line) and the fix. */
final class RuleException extends Exception {
    RuleException(String message) {
        super(message, null, false, false);
    }
}
