package dev.warden;

/**
 * A failure the user can fix: printed as one line ("warden: ..."), never as a stack trace.
 * The message names the bad value and the fix.
 */
public class UserError extends RuntimeException {
    /** Exit code for a bad spec or other deterministic configuration problem (EX_CONFIG). */
    public static final int CONFIG = 78;
    /** Exit code for bad command-line usage. */
    public static final int USAGE = 2;

    private final int exitCode;

    public UserError(String message) {
        this(message, USAGE);
    }

    public UserError(String message, int exitCode) {
        super(message, null, false, false);
        this.exitCode = exitCode;
    }

    public int exitCode() {
        return exitCode;
    }
}
