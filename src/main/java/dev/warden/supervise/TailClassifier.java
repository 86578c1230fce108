package dev.warden.supervise;

import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;

/**
 * The few causes the supervisor must tell apart without the rule catalog: how the attempt was stopped, exit
 * 126/127, and the most common log lines. The catalog-backed classifier (dev.warden.diagnose) replaces it.
 */
public final class TailClassifier implements Classifier {
    private static final int TAIL = 64 * 1024;

    @Override
    public Classification classify(AttemptResult r) {
        if ("hang".equals(r.stoppedFor())) {
            return new Classification("hang", false, "hang: no progress within the stall timeout", "", List.of());
        }
        if ("nan_loss".equals(r.stoppedFor())) {
            return new Classification("nan_loss", false, "nan_loss: the loss became NaN or inf", "", List.of());
        }
        int code = r.exit().code();
        if (code == 127) {
            return new Classification("command_not_found", true, "command not found (exit 127)", "check the command's first word and PATH", List.of());
        }
        if (code == 126) {
            return new Classification("command_not_found", true, "command not executable (exit 126)", "chmod +x it or call it through its interpreter", List.of());
        }
        String tail = tail(r.log());
        if (tail.contains("CUDA out of memory")) {
            return new Classification("cuda_oom", false, "cuda_oom: CUDA out of memory", "", List.of());
        }
        if (tail.contains("ModuleNotFoundError") || tail.contains("ImportError")) {
            return new Classification("missing_dependency", true, "missing_dependency: a Python module is missing", "", List.of());
        }
        return new Classification("unknown", false, r.exit().describe(), "", List.of());
    }

    static String tail(Path log) {
        try (RandomAccessFile f = new RandomAccessFile(log.toFile(), "r")) {
            long len = f.length();
            long from = Math.max(0, len - TAIL);
            byte[] b = new byte[(int) (len - from)];
            f.seek(from);
            f.readFully(b);
            return new String(b, StandardCharsets.UTF_8);
        } catch (IOException e) {
            return "";
        }
    }
}
