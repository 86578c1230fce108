package dev.warden.supervise;

import dev.warden.diagnose.Signals;

/**
 * How an attempt ended. A shell reports death by signal N as 128+N, so 137 may be SIGKILL or exit(137): the
 * signal is a reading, kept apart from the code, and neither is passed through as Warden's own exit code.
 *
 * @param recorded the wrapper wrote it (false: the wrapper itself was killed)
 */
public record ExitStatus(int code, Integer signal, boolean recorded) {

    static ExitStatus fromShell(int code, boolean recorded) {
        return new ExitStatus(code, code > 128 && code < 160 ? code - 128 : null, recorded);
    }

    public boolean success() {
        return code == 0;
    }

    public String describe() {
        if (code < 0) {
            return "exit status unknown (the wrapper was killed too)";
        }
        if (signal != null) {
            return "exit " + code + " (" + Signals.name(signal) + ")";
        }
        return "exit " + code;
    }
}
