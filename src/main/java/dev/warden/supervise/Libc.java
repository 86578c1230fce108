package dev.warden.supervise;

import com.sun.jna.Library;
import com.sun.jna.Native;

import java.io.IOException;
import java.util.concurrent.TimeUnit;

/**
 * The few system calls Java lacks: kill(2) on a process group, prctl(PR_SET_CHILD_SUBREAPER), waitpid(2) on an
 * adopted orphan. Through JNA (already on the classpath through OSHI); /bin/kill when JNA cannot load.
 */
public final class Libc {
    private static final int PR_SET_CHILD_SUBREAPER = 36;
    private static final int WNOHANG = 1;

    interface C extends Library {
        int kill(int pid, int sig);

        int prctl(int option, long arg2, long arg3, long arg4, long arg5);

        int waitpid(int pid, int[] status, int options);

        long syscall(long number, Object... args);

        int setpriority(int which, int who, int prio);
    }

    private static final C C_LIB = load();

    private Libc() {}

    /** Loads the binding (JNA and libc) now; false when it cannot load and the fallbacks apply. */
    public static boolean loaded() {
        return C_LIB != null;
    }

    private static C load() {
        try {
            JnaStartup.prepare();
            return Native.load("c", C.class);
        } catch (Throwable t) {
            return null;
        }
    }

    /** Signals one process (pid > 0) or a whole group (pid < 0). Returns false when no such process. */
    public static boolean kill(long pid, int signal) {
        if (C_LIB != null) {
            return C_LIB.kill((int) pid, signal) == 0;
        }
        try {
            Process p = new ProcessBuilder("kill", "-" + signal, "--", Long.toString(pid))
                    .redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
            return p.waitFor(5, TimeUnit.SECONDS) && p.exitValue() == 0;
        } catch (IOException e) {
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    /** Orphans of our descendants (a grandchild that called setsid, then lost its parent) are re-parented to us. */
    public static boolean becomeSubreaper() {
        try {
            return C_LIB != null && C_LIB.prctl(PR_SET_CHILD_SUBREAPER, 1, 0, 0, 0) == 0;
        } catch (Throwable t) {
            return false;
        }
    }

    /** Lowers the priority of the calling thread only (Linux threads have their own nice value). */
    public static void niceCurrentThread(int nice) {
        try {
            if (C_LIB != null && "amd64".equals(System.getProperty("os.arch"))) {
                int tid = (int) C_LIB.syscall(186); // gettid on x86-64
                C_LIB.setpriority(0, tid, nice);
            }
        } catch (Throwable ignored) {
            // best effort
        }
    }

    /** Reaps an adopted orphan that has exited (never -1: that would steal the JDK's own children's statuses). */
    public static void reap(long pid) {
        if (C_LIB != null) {
            try {
                C_LIB.waitpid((int) pid, new int[1], WNOHANG);
            } catch (Throwable ignored) {
                // not our child after all
            }
        }
    }
}
