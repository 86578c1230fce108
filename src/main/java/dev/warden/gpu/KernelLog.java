package dev.warden.gpu;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * Reads the kernel log: `dmesg` first; if that is refused (kernel.dmesg_restrict), /dev/kmsg through
 * `dd iflag=nonblock`, which stops at the end of the buffer instead of waiting for new records.
 * Each read has a timeout. Unreadable is an answer, not an error: the caller WARNs.
 */
public final class KernelLog {

    public sealed interface Read {
        record Lines(String source, List<String> lines) implements Read {}

        record Unreadable(String why) implements Read {}
    }

    private KernelLog() {}

    public static Read read(ToolRunner tools, Duration timeout) {
        ToolResult d = tools.run(List.of("dmesg"), timeout, null);
        if (d.ok()) {
            return new Read.Lines("dmesg", List.of(d.stdout().split("\n")));
        }
        String dmesgWhy = d.notFound() ? "dmesg is not installed"
                : d.timedOut() ? "dmesg did not answer within " + timeout.toSeconds() + "s"
                : "dmesg: " + d.lastLine();
        // bs: /dev/kmsg returns one record per read and fails (EINVAL) when the buffer is smaller than it
        ToolResult k = tools.run(List.of("dd", "if=/dev/kmsg", "iflag=nonblock", "bs=65536", "status=none"), timeout, null);
        if (!k.notFound() && !k.stdout().isBlank()) {
            return new Read.Lines("/dev/kmsg", kmsgMessages(k.stdout()));
        }
        return new Read.Unreadable(dmesgWhy);
    }

    public static Read readFile(Path file) {
        try {
            return new Read.Lines(file.toString(), Files.readAllLines(file, StandardCharsets.UTF_8));
        } catch (IOException e) {
            return new Read.Unreadable("cannot read " + file + ": " + e.getClass().getSimpleName());
        }
    }

    /** /dev/kmsg records are "prio,seq,usec,flags;message"; continuation lines start with a space. */
    static List<String> kmsgMessages(String raw) {
        List<String> out = new ArrayList<>();
        for (String line : raw.split("\n")) {
            if (line.startsWith(" ")) {
                continue;
            }
            int semi = line.indexOf(';');
            out.add(semi >= 0 ? line.substring(semi + 1) : line);
        }
        return out;
    }
}
