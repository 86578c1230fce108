package dev.warden.diagnose;

import dev.warden.event.PlainJson;
import dev.warden.store.AtomicFiles;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileStore;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Supplier;

/**
 * What was true when the run failed, captured before any retry changes it: the log tail, the
 * exit status, the GPUs (nvidia-smi / rocm-smi), the kernel log, Python stacks of the given pids
 * (py-spy), disk and memory. Each file is written atomically and redacted; {@code bundle.json} is
 * written last and lists what was captured and what was skipped and why. Missing tools are
 * skipped silently (noted in the manifest); a tool that hangs is killed at its deadline.
 */
public record EvidenceBundle(Path dir, List<String> files, List<String> skipped) {

    static final int LOG_TAIL = 256 * 1024;
    private static final int MAX_TOOL_OUTPUT = 4 << 20;
    private static final int KERNEL_LINES = 2000;
    private static final int MAX_PIDS = 16;

    /** Where tools are looked up and how long each may take. */
    record Options(String path, Duration toolTimeout, Duration pySpyTimeout, Path kmsg, Path proc,
                   Supplier<Optional<String>> kernelRing) {
        /** With no syslog(2) reader: the kernel log comes from dmesg on {@code path}, then {@code kmsg}. */
        Options(String path, Duration toolTimeout, Duration pySpyTimeout, Path kmsg, Path proc) {
            this(path, toolTimeout, pySpyTimeout, kmsg, proc, Optional::empty);
        }

        static Options defaults() {
            return new Options(System.getenv("PATH"), Duration.ofSeconds(15), Duration.ofSeconds(20),
                    Path.of("/dev/kmsg"), Path.of("/proc"), KernelRing.system());
        }
    }

    public static EvidenceBundle capture(Path bundleDir, Path log, ExitInfo exit, List<Long> pids, Redactor redactor) {
        return capture(bundleDir, log, exit, pids, redactor, Options.defaults());
    }

    static EvidenceBundle capture(Path bundleDir, Path log, ExitInfo exit, List<Long> pids, Redactor redactor, Options o) {
        Redactor r = redactor == null ? Redactor.none() : redactor;
        List<String> files = new ArrayList<>();
        List<String> skipped = new ArrayList<>();
        Writer w = (name, text) -> {
            AtomicFiles.writeUnsynced(bundleDir.resolve(name), r.redact(text)); // bundle.json, synced last, commits them
            files.add(name);
        };
        ExitInfo ex = exit == null ? ExitInfo.unknown() : exit;

        w.write("exit.txt", exitText(ex));
        logTail(log, w, skipped);
        List<Collector> collectors = List.of(
                (cw, cs) -> tool("nvidia-smi", List.of("-q"), "gpu-nvidia-smi.txt", o, cw, cs),
                (cw, cs) -> tool("rocm-smi", List.of("--showallinfo"), "gpu-rocm-smi.txt", o, cw, cs),
                (cw, cs) -> kernelLog(o, cw, cs),
                (cw, cs) -> pySpy(pids == null ? List.of() : pids, o, cw, cs),
                (cw, cs) -> disk(log, bundleDir, o, cw, cs),
                (cw, cs) -> memory(o, cw, cs));
        collectSideBySide(collectors, bundleDir, r, files, skipped);

        Map<String, Object> manifest = new LinkedHashMap<>();
        manifest.put("created", Instant.now().toString());
        manifest.put("log", log == null ? null : log.toAbsolutePath().toString());
        manifest.put("exit_code", ex.exitCode());
        manifest.put("signal", ex.effectiveSignal());
        manifest.put("files", files);
        manifest.put("skipped", skipped);
        String json = PlainJson.writeIndented(manifest).orElseThrow(() -> new IllegalStateException("cannot render the bundle manifest"));
        AtomicFiles.writeString(bundleDir.resolve("bundle.json"), r.redact(json) + "\n");
        return new EvidenceBundle(bundleDir, List.copyOf(files), List.copyOf(skipped));
    }

    private interface Writer {
        void write(String name, String text);
    }

    private interface Collector {
        void collect(Writer w, List<String> skipped);
    }

    /**
     * The collectors ask separate tools (`nvidia-smi -q` alone can take a second on an 8-GPU node, py-spy more): run
     * side by side, the next attempt waits for the slowest of them, not for their sum. Their files and notes are
     * listed in the collectors' order, whichever finishes first; one that throws is noted as skipped.
     */
    private static void collectSideBySide(List<Collector> collectors, Path bundleDir, Redactor r, List<String> files,
                                          List<String> skipped) {
        List<List<String>> partFiles = new ArrayList<>();
        List<List<String>> partSkipped = new ArrayList<>();
        List<Thread> threads = new ArrayList<>();
        for (Collector c : collectors) {
            List<String> pf = new ArrayList<>();
            List<String> ps = new ArrayList<>();
            partFiles.add(pf);
            partSkipped.add(ps);
            Writer pw = (name, text) -> {
                AtomicFiles.writeUnsynced(bundleDir.resolve(name), r.redact(text));
                pf.add(name);
            };
            Thread t = new Thread(() -> {
                try {
                    c.collect(pw, ps);
                } catch (RuntimeException e) {
                    ps.add("a collector failed: " + e.getMessage());
                }
            }, "warden-evidence");
            t.setDaemon(true);
            t.start();
            threads.add(t);
        }
        boolean interrupted = false;
        for (Thread t : threads) {
            while (true) {
                try {
                    t.join();
                    break;
                } catch (InterruptedException e) {
                    interrupted = true; // the evidence is worth its few seconds: finish it, then pass the interrupt on
                }
            }
        }
        if (interrupted) {
            Thread.currentThread().interrupt();
        }
        partFiles.forEach(files::addAll);
        partSkipped.forEach(skipped::addAll);
    }

    private static String exitText(ExitInfo ex) {
        StringBuilder sb = new StringBuilder();
        sb.append("exit code: ").append(ex.exitCode() == null ? "unknown" : ex.exitCode()).append('\n');
        Integer sig = ex.effectiveSignal();
        sb.append("signal: ").append(sig == null ? "none" : sig + " (" + Signals.name(sig) + ")").append('\n');
        sb.append(ex.describe()).append('\n');
        return sb.toString();
    }

    private static void logTail(Path log, Writer w, List<String> skipped) {
        if (log == null) {
            skipped.add("log-tail.txt: no log given");
            return;
        }
        try (FileChannel ch = FileChannel.open(log, StandardOpenOption.READ); Bytes bytes = Bytes.of(ch)) {
            long size = bytes.size();
            long from = Classifier.startOfTail(bytes, size, LOG_TAIL);
            long firstLine = bytes.countNewlines(0, from) + 1;
            String tail = new String(bytes.slice(from, (int) (size - from)), StandardCharsets.UTF_8);
            w.write("log-tail.txt", "# " + log.toAbsolutePath() + ": the last " + (size - from) + " of " + size
                    + " bytes, from line " + firstLine + "\n" + tail);
        } catch (IOException | RuntimeException e) {
            skipped.add("log-tail.txt: cannot read " + log + " (" + e.getMessage() + ")");
        }
    }

    private static void tool(String name, List<String> args, String file, Options o, Writer w, List<String> skipped) {
        var exe = ToolRunner.which(name, o.path());
        if (exe.isEmpty()) {
            skipped.add(file + ": " + name + " is not on PATH");
            return;
        }
        List<String> cmd = new ArrayList<>();
        cmd.add(exe.get().toString());
        cmd.addAll(args);
        ToolRunner.Result res = ToolRunner.run(cmd, o.toolTimeout(), MAX_TOOL_OUTPUT);
        w.write(file, "$ " + name + " " + String.join(" ", args) + "\n" + res.output() + footer(res, o.toolTimeout()));
    }

    private static void kernelLog(Options o, Writer w, List<String> skipped) {
        Optional<String> ring = o.kernelRing().get();
        if (ring.isPresent()) {
            w.write("kernel-log.txt", "$ dmesg (last " + KERNEL_LINES + " lines, read with syslog(2))\n" + lastLines(ring.get(), KERNEL_LINES));
            return;
        }
        var dmesg = ToolRunner.which("dmesg", o.path());
        if (dmesg.isPresent()) {
            ToolRunner.Result res = ToolRunner.run(List.of(dmesg.get().toString()), o.toolTimeout(), MAX_TOOL_OUTPUT);
            if (res.ok()) {
                w.write("kernel-log.txt", "$ dmesg (last " + KERNEL_LINES + " lines)\n" + lastLines(res.output(), KERNEL_LINES));
                return;
            }
            if (res.timedOut()) {
                skipped.add("kernel-log.txt: dmesg timed out after " + o.toolTimeout().toSeconds() + "s");
                return;
            }
        }
        if (o.kmsg() != null && Files.isReadable(o.kmsg())) {
            // /dev/kmsg never ends; read it until the deadline and keep what came
            var cat = ToolRunner.which("cat", o.path());
            if (cat.isPresent()) {
                ToolRunner.Result res = ToolRunner.run(List.of(cat.get().toString(), o.kmsg().toString()),
                        Duration.ofSeconds(Math.min(2, o.toolTimeout().toSeconds())), MAX_TOOL_OUTPUT);
                if (!res.output().isBlank()) {
                    w.write("kernel-log.txt", "$ cat " + o.kmsg() + " (last " + KERNEL_LINES + " records)\n"
                            + lastLines(res.output(), KERNEL_LINES));
                    return;
                }
            }
        }
        skipped.add("kernel-log.txt: the kernel log is not readable here (dmesg restricted, no /dev/kmsg access)");
    }

    private static void pySpy(List<Long> pids, Options o, Writer w, List<String> skipped) {
        if (pids.isEmpty()) {
            return;
        }
        var exe = ToolRunner.which("py-spy", o.path());
        if (exe.isEmpty()) {
            skipped.add("py-spy-*.txt: py-spy is not on PATH (pip install py-spy to get Python stacks of a hung run)");
            return;
        }
        for (Long pid : pids.subList(0, Math.min(MAX_PIDS, pids.size()))) {
            ToolRunner.Result res = ToolRunner.run(List.of(exe.get().toString(), "dump", "--pid", Long.toString(pid)),
                    o.pySpyTimeout(), MAX_TOOL_OUTPUT);
            w.write("py-spy-" + pid + ".txt", "$ py-spy dump --pid " + pid + "\n" + res.output() + footer(res, o.pySpyTimeout()));
        }
    }

    private static void disk(Path log, Path bundleDir, Options o, Writer w, List<String> skipped) {
        StringBuilder sb = new StringBuilder();
        for (Path p : List.of(bundleDir, log == null ? bundleDir : log.toAbsolutePath().getParent())) {
            try {
                FileStore fs = Files.getFileStore(p);
                sb.append(p).append(": ").append(gib(fs.getUsableSpace())).append(" free of ").append(gib(fs.getTotalSpace()))
                        .append(" (").append(fs.name()).append(", ").append(fs.type()).append(")\n");
            } catch (IOException | RuntimeException e) {
                sb.append(p).append(": cannot stat (").append(e.getMessage()).append(")\n");
            }
        }
        // every mounted filesystem, as `df` would list it, without spawning a process (milliseconds before a retry)
        sb.append("\nall filesystems:\n");
        for (FileStore fs : java.nio.file.FileSystems.getDefault().getFileStores()) {
            try {
                if (fs.getTotalSpace() > 0) {
                    sb.append(String.format(java.util.Locale.ROOT, "%-40s %-10s %s free of %s%n", fs.name(), fs.type(),
                            gib(fs.getUsableSpace()), gib(fs.getTotalSpace())));
                }
            } catch (IOException | RuntimeException e) {
                // a mount we may not stat (another namespace): skip it
            }
        }
        w.write("disk.txt", sb.toString());
    }

    private static void memory(Options o, Writer w, List<String> skipped) {
        StringBuilder sb = new StringBuilder();
        for (String name : List.of("meminfo", "pressure/memory")) {
            Path p = o.proc().resolve(name);
            if (Files.isReadable(p)) {
                try {
                    sb.append("$ cat ").append(p).append('\n').append(Files.readString(p)).append('\n');
                } catch (IOException e) {
                    sb.append(p).append(": cannot read (").append(e.getMessage()).append(")\n");
                }
            }
        }
        Runtime rt = Runtime.getRuntime();
        sb.append("warden JVM: ").append(rt.availableProcessors()).append(" CPUs, max heap ").append(gib(rt.maxMemory())).append('\n');
        w.write("memory.txt", sb.toString());
    }

    private static String footer(ToolRunner.Result res, Duration timeout) {
        if (res.timedOut()) {
            return "\n[warden: killed after " + timeout.toSeconds() + "s timeout; output above is partial]\n";
        }
        return res.exitCode() != null && res.exitCode() != 0 ? "\n[warden: exit status " + res.exitCode() + "]\n" : "";
    }

    /** The last {@code n} lines (a final newline does not count as a line), found from the end without a split. */
    static String lastLines(String text, int n) {
        int from = text.endsWith("\n") ? text.length() - 1 : text.length();
        for (int i = 0; i < n && from > 0; i++) {
            from = text.lastIndexOf('\n', from - 1);
        }
        return from <= 0 ? text : text.substring(from + 1);
    }

    private static String gib(long bytes) {
        return String.format(java.util.Locale.ROOT, "%.1f GiB", bytes / (1024.0 * 1024 * 1024));
    }
}
