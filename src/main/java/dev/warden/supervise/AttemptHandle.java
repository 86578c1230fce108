package dev.warden.supervise;

import java.nio.file.Path;
import java.util.Optional;

/** A running attempt: one this supervisor started, or one it adopted from a supervisor that died. */
interface AttemptHandle {
    long pid();

    long startTicks();

    JobTree tree();

    /** Waits up to `millis`; true once the attempt has exited. */
    boolean waitFor(long millis) throws InterruptedException;

    boolean exited();

    ExitStatus exitStatus();

    /** Where the attempt's wrapper writes the job's exit status. */
    Path exitFile();

    /** The status the wrapper recorded, once the attempt has exited; read without side effects (unlike exitStatus). */
    default Optional<ExitStatus> recordedExit() {
        return exited() ? ChildProcess.recorded(exitFile()) : Optional.empty();
    }
}
