package dev.warden.supervise;

/** A running attempt: one this supervisor started, or one it adopted from a supervisor that died. */
interface AttemptHandle {
    long pid();

    long startTicks();

    JobTree tree();

    /** Waits up to `millis`; true once the attempt has exited. */
    boolean waitFor(long millis) throws InterruptedException;

    boolean exited();

    ExitStatus exitStatus();

    /** The status the wrapper recorded, once the attempt has exited; read without side effects (unlike exitStatus). */
    java.util.Optional<ExitStatus> recordedExit();
}
