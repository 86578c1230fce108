package dev.warden.check;

import dev.warden.gpu.GpuAction;
import dev.warden.gpu.GpuErrorEvent;
import dev.warden.gpu.KernelLog;
import dev.warden.gpu.KernelLogScanner;

import java.time.Duration;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * gpu_errors: GPU errors in the kernel log since boot. `- gpu_errors: {ignore: [13, 31]}`, or
 * `{source: /var/log/kern.log}` to read a file instead of dmesg. FAIL for errors that need a GPU
 * reset or a reboot (Xid 48, 62, 64, 79, ..., "fallen off the bus", AMD SMU 0xFFFFFFFF); WARN for
 * application-level Xids (13, 31, 94) and unknown ones, and when the kernel log cannot be read.
 */
final class GpuErrorsCheck implements Check {
    static final Duration READ_TIMEOUT = Duration.ofSeconds(5);

    private final String source;
    private final Set<Integer> ignore;

    private GpuErrorsCheck(String source, Set<Integer> ignore) {
        this.source = source;
        this.ignore = ignore;
    }

    static Check create(CheckArgs a) {
        a.allow("source", "ignore");
        Set<Integer> ignore = new HashSet<>();
        if (a.isMap()) {
            for (String x : a.list("ignore")) {
                try {
                    ignore.add(Integer.parseInt(x));
                } catch (NumberFormatException e) {
                    throw a.error("ignore", "`" + x + "` is not an Xid number", "list Xid numbers, e.g. `ignore: [13, 31]`");
                }
            }
        }
        return new GpuErrorsCheck(a.isMap() ? a.string("source", null) : a.main("source"), ignore);
    }

    @Override
    public CheckResult run(CheckContext ctx) {
        KernelLog.Read read = source != null ? KernelLog.readFile(ctx.resolve(source))
                : KernelLog.read(ctx.tools(), READ_TIMEOUT);
        if (read instanceof KernelLog.Read.Unreadable u) {
            return CheckResult.warn("kernel log unreadable: " + u.why(),
                    "run as root, or allow reading it: `sudo sysctl kernel.dmesg_restrict=0`");
        }
        KernelLog.Read.Lines lines = (KernelLog.Read.Lines) read;
        List<GpuErrorEvent> events = KernelLogScanner.scan(lines.lines()).stream()
                .filter(e -> e.xid() == null || !ignore.contains(e.xid()))
                .sorted(Comparator.comparingInt((GpuErrorEvent e) -> -rank(e.action())))
                .toList();
        if (events.isEmpty()) {
            return CheckResult.pass("no GPU errors in the kernel log (" + lines.source() + ", " + lines.lines().size() + " lines)");
        }
        String evidence = describe(events);
        GpuAction worst = KernelLogScanner.worst(events);
        return switch (worst) {
            case REBOOT -> CheckResult.fail(evidence + ": " + events.get(0).firstLine(),
                    "reboot the node before the run; if the errors return, exclude that GPU (`warden gpu exclude N --reason ...`)"
                            + " or replace the node");
            case RESET_GPU -> CheckResult.fail(evidence + ": " + events.get(0).firstLine(),
                    "reset the GPU with nothing running on it (`sudo nvidia-smi -r -i N`) or reboot;"
                            + " if it repeats, `warden gpu exclude N`");
            case RESTART_APP -> CheckResult.warn(evidence + " (application errors of an earlier job)",
                    "a job crashed on this GPU before; if this job hits it too, suspect its CUDA code or extensions");
            case UNKNOWN -> CheckResult.warn(evidence + ": " + events.get(0).firstLine(),
                    "look the Xid up in NVIDIA's catalog (docs.nvidia.com/deploy/xid-errors); `ignore: [N]` once understood");
            case INFO -> CheckResult.pass(evidence + " (informational only)");
        };
    }

    private static int rank(GpuAction a) {
        return switch (a) {
            case INFO -> 0;
            case UNKNOWN -> 1;
            case RESTART_APP -> 2;
            case RESET_GPU -> 3;
            case REBOOT -> 4;
        };
    }

    private static String describe(List<GpuErrorEvent> events) {
        StringBuilder b = new StringBuilder();
        for (int i = 0; i < Math.min(3, events.size()); i++) {
            if (i > 0) {
                b.append(", ");
            }
            b.append(events.get(i).describe());
        }
        if (events.size() > 3) {
            b.append(" (+").append(events.size() - 3).append(" more)");
        }
        return b.toString();
    }
}
