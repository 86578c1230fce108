package dev.warden.diagnose;

import com.sun.jna.Library;
import com.sun.jna.Native;

import java.nio.charset.StandardCharsets;
import java.util.Optional;
import java.util.function.Supplier;

/**
 * The kernel's log buffer read in one syslog(2) call (what `dmesg` shows), in about a millisecond: spawning
 * `dmesg` costs 10-15 ms on the path between a crash and the next attempt. Empty where the call is refused
 * (no CAP_SYSLOG and kernel.dmesg_restrict=1, or seccomp) or JNA cannot load; callers then fall back to dmesg.
 */
final class KernelRing {
    private static final int SYSLOG_ACTION_READ_ALL = 3;
    private static final int SYSLOG_ACTION_SIZE_BUFFER = 10;
    private static final int MAX_BUFFER = 64 << 20;

    interface C extends Library {
        int klogctl(int type, byte[] buf, int len);
    }

    private static volatile C lib;
    private static volatile boolean unavailable;

    private KernelRing() {}

    /** The reader Warden uses: the real kernel buffer. */
    static Supplier<Optional<String>> system() {
        return KernelRing::read;
    }

    static Optional<String> read() {
        C c = load();
        if (c == null) {
            return Optional.empty();
        }
        try {
            int size = c.klogctl(SYSLOG_ACTION_SIZE_BUFFER, null, 0);
            if (size <= 0) {
                return Optional.empty();
            }
            byte[] buf = new byte[Math.min(size, MAX_BUFFER)];
            int n = c.klogctl(SYSLOG_ACTION_READ_ALL, buf, buf.length);
            if (n <= 0) {
                return Optional.empty();
            }
            return Optional.of(withoutLevels(buf, n));
        } catch (RuntimeException | LinkageError e) {
            return Optional.empty();
        }
    }

    static String asDmesgPrints(String raw) {
        byte[] b = raw.getBytes(StandardCharsets.UTF_8);
        return withoutLevels(b, b.length);
    }

    /** The text with each line's "<N>" level prefix dropped, in one pass over the bytes (the buffer is reused). */
    private static String withoutLevels(byte[] b, int n) {
        int w = 0;
        boolean lineStart = true;
        for (int i = 0; i < n; i++) {
            if (lineStart && b[i] == '<') {
                int j = i + 1;
                while (j < n && b[j] >= '0' && b[j] <= '9') {
                    j++;
                }
                if (j > i + 1 && j < n && b[j] == '>') {
                    i = j;
                    lineStart = false;
                    continue;
                }
            }
            lineStart = b[i] == '\n';
            b[w++] = b[i];
        }
        return new String(b, 0, w, StandardCharsets.UTF_8);
    }

    private static C load() {
        if (unavailable) {
            return null;
        }
        C c = lib;
        if (c == null) {
            try {
                c = Native.load("c", C.class);
                lib = c;
            } catch (Throwable t) {
                unavailable = true;
                return null;
            }
        }
        return c;
    }
}
