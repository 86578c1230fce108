package dev.warden.supervise;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * One line of /proc/PID/stat. A process's identity is (pid, startTicks): pids are reused, start times are not.
 * ProcessHandle.isAlive() is true for zombies; {@link #alive()} is not.
 */
public record ProcStat(long pid, char state, long ppid, long pgrp, long session, long startTicks, long cpuTicks) {
    private static final Path PROC = Path.of("/proc");

    /**
     * /proc files report size 0, so Files.readString starts every read with an 8 KiB array: with a scan of every
     * process each second, that was most of what an idle supervisor allocated. A stat line fits in 1 KiB (its one
     * free-form field, the command name, is at most 64 bytes).
     */
    private static final ThreadLocal<byte[]> LINE = ThreadLocal.withInitial(() -> new byte[1024]);

    public static Optional<ProcStat> of(long pid) {
        try (InputStream in = Files.newInputStream(PROC.resolve(Long.toString(pid)).resolve("stat"))) {
            byte[] buf = LINE.get();
            int n = in.readNBytes(buf, 0, buf.length);
            return Optional.ofNullable(parse(pid, new String(buf, 0, n, StandardCharsets.ISO_8859_1)));
        } catch (IOException | RuntimeException e) {
            return Optional.empty();
        }
    }

    static ProcStat parse(long pid, String line) {
        int close = line.lastIndexOf(')');
        if (close < 0) {
            return null;
        }
        String[] f = line.substring(close + 2).split(" ");
        // f[0] is field 3 (state); field N is f[N-3]
        // fields 14 and 15: user and system time, in clock ticks
        return new ProcStat(pid, f[0].charAt(0), Long.parseLong(f[1]), Long.parseLong(f[2]), Long.parseLong(f[3]),
                Long.parseLong(f[19]), Long.parseLong(f[11]) + Long.parseLong(f[12]));
    }

    /** Every process on the machine, read once. */
    public static List<ProcStat> all() {
        List<ProcStat> out = new ArrayList<>();
        try (DirectoryStream<Path> ds = Files.newDirectoryStream(PROC)) {
            for (Path p : ds) {
                String name = p.getFileName().toString();
                if (!name.isEmpty() && Character.isDigit(name.charAt(0))) {
                    of(Long.parseLong(name)).ifPresent(out::add);
                }
            }
        } catch (IOException e) {
            // no /proc: not Linux; callers fall back to ProcessHandle
        }
        return out;
    }

    public boolean alive() {
        return state != 'Z' && state != 'X';
    }

    /** True when this pid still names the same process, alive. */
    public static boolean sameAlive(long pid, long startTicks) {
        return of(pid).filter(s -> s.startTicks == startTicks && s.alive()).isPresent();
    }

    public long[] identity() {
        return new long[] {pid, startTicks};
    }
}
