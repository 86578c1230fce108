package dev.warden.supervise;

import dev.warden.diagnose.Diagnoser;
import dev.warden.diagnose.Evidence;
import dev.warden.diagnose.ExitInfo;
import dev.warden.diagnose.Signature;
import dev.warden.diagnose.Verdict;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Supplier;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** The rule catalog (dev.warden.diagnose) as the supervisor's classifier; monitor stops map to their category. */
public final class DiagnoseClassifier implements Classifier {
    private final Supplier<Diagnoser> diagnoser;
    private final AtomicBoolean prepared = new AtomicBoolean();

    public DiagnoseClassifier(Diagnoser diagnoser) {
        this.diagnoser = () -> diagnoser;
    }

    /** The catalog may still be loading (it is needed only after a first failure): the first classification waits. */
    public DiagnoseClassifier(Supplier<Diagnoser> diagnoser) {
        this.diagnoser = diagnoser;
    }

    /**
     * Loads the catalog (~60 ms, once) on its own thread while the supervisor stops the job and captures evidence,
     * instead of after: that much sooner to the next attempt. A load that fails here fails again, and is reported,
     * in {@link #classify}.
     */
    @Override
    public void prepare() {
        if (prepared.compareAndSet(false, true)) {
            Thread t = new Thread(() -> {
                try {
                    diagnoser.get();
                } catch (RuntimeException | Error e) {
                    // classify meets it again
                }
            }, "warden-catalog-load");
            t.setDaemon(true);
            t.start();
        }
    }

    @Override
    public Verdict classify(AttemptResult r) {
        Signature.warmUp(); // the incident's signature is next; the catalog may still be loading meanwhile
        if (r.stoppedFor() != null) {
            String line = r.stoppedDetail() == null ? "" : r.stoppedDetail();
            return diagnoser.get().forCategory(r.stoppedFor(), line.isEmpty() ? List.of() : List.of(new Evidence(0, line)));
        }
        ExitStatus e = r.exit();
        ExitInfo exit = e.code() < 0 ? ExitInfo.unknown() : new ExitInfo(e.code(), e.signal());
        return diagnoser.get().classify(r.log(), exit, false, kernelLinesOfThisAttempt(r));
    }

    /**
     * The kernel log lines of the bundle that were logged while the attempt ran (an OOM kill of the job's cgroup is
     * only there); older lines, such as an OOM kill hours ago, must not be blamed on this attempt.
     */
    static String kernelLinesOfThisAttempt(AttemptResult r) {
        if (r.evidence() == null) {
            return null;
        }
        Path f = r.evidence().resolve("kernel-log.txt");
        try {
            if (!Files.exists(f)) {
                return null;
            }
            double uptime = Double.parseDouble(Files.readString(Path.of("/proc/uptime")).trim().split("\\s+")[0]);
            // 1 s of slack: a kernel line logged just before the attempt started (a previous job's OOM kill) is not this one's
            double since = uptime - r.ranFor().toMillis() / 1000.0 - 1;
            return linesSince(Files.readString(f), since);
        } catch (IOException | RuntimeException ex) {
            return null;
        }
    }

    /**
     * The lines stamped at or after {@code since} (seconds since boot). The kernel log is in time order, so it is read
     * from the end back to the first older line: the usual answer is a few lines of a 2000-line file.
     */
    static String linesSince(String log, double since) {
        StringBuilder out = new StringBuilder();
        int end = log.length();
        List<String> newestFirst = new ArrayList<>();
        while (end > 0) {
            int start = log.lastIndexOf('\n', end - 1) + 1;
            String line = log.substring(start, end);
            Matcher m = STAMP.matcher(line);
            if (m.find()) {
                if (Double.parseDouble(m.group(1)) < since) {
                    break;
                }
                newestFirst.add(line);
            }
            end = start - 1;
        }
        for (int i = newestFirst.size() - 1; i >= 0; i--) {
            out.append(newestFirst.get(i)).append('\n');
        }
        return out.toString();
    }

    private static final Pattern STAMP = Pattern.compile("^\\[\\s*(\\d+\\.\\d+)\\]");
}
