package dev.warden.diagnose;

/**
 * How the process ended: its exit code and/or the signal that killed it; null means unknown.
 * A shell reports a child killed by signal N as exit code 128+N, so 137 counts as SIGKILL.
 */
public record ExitInfo(Integer exitCode, Integer signal) {

    public static ExitInfo unknown() {
        return new ExitInfo(null, null);
    }

    public static ExitInfo code(int exitCode) {
        return new ExitInfo(exitCode, null);
    }

    public static ExitInfo signal(int signal) {
        return new ExitInfo(null, signal);
    }

    /** The signal, given directly or implied by a shell-style exit code 129..192. */
    public Integer effectiveSignal() {
        if (signal != null) {
            return signal;
        }
        if (exitCode != null && exitCode > 128 && exitCode <= 192) {
            return exitCode - 128;
        }
        return null;
    }

    public boolean isKnown() {
        return exitCode != null || signal != null;
    }

    /** "exit status 139 (SIGSEGV)", "killed by SIGKILL", "exit status unknown". */
    public String describe() {
        Integer sig = effectiveSignal();
        if (exitCode != null) {
            return sig == null ? "exit status " + exitCode : "exit status " + exitCode + " (" + Signals.name(sig) + ")";
        }
        return sig == null ? "exit status unknown" : "killed by " + Signals.name(sig);
    }
}
