package dev.warden.supervise;

/**
 * The end of every attempt's wrapper script: run the job ("$@"), then record its status in $_warden_exit (written
 * aside, then renamed), so that a supervisor that restarted still learns it. Traps (not ignores: ignored signals
 * would be inherited by the job) keep the wrapper alive through the group's TERM until the job has exited.
 * Variables are `_warden_`-prefixed: the job's environment may name anything.
 */
final class Wrapper {
    static final String RUN_AND_RECORD = String.join("\n",
            "trap : TERM INT HUP USR1 USR2",
            "\"$@\"",
            "_warden_rc=$?",
            "printf '%s\\n' \"$_warden_rc\" > \"$_warden_exit.tmp\" && mv -f \"$_warden_exit.tmp\" \"$_warden_exit\"",
            "exit $_warden_rc");

    private Wrapper() {}
}
