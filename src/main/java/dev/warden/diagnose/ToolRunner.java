package dev.warden.diagnose;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/**
 * Runs a diagnostic tool (nvidia-smi, dmesg, py-spy, df) with a deadline and a cap on what it
 * may print. A tool that hangs (nvidia-smi on a wedged GPU, df on a dead NFS mount) is killed
 * with its children; what it printed until then is kept.
 */
final class ToolRunner {
    private ToolRunner() {}

    record Result(String output, Integer exitCode, boolean timedOut) {
        boolean ok() {
            return !timedOut && exitCode != null && exitCode == 0;
        }
    }

    /** The executable named {@code tool} in the {@code searchPath} directories, like `command -v`. */
    static Optional<Path> which(String tool, String searchPath) {
        if (searchPath == null) {
            return Optional.empty();
        }
        for (String dir : searchPath.split(java.io.File.pathSeparator)) {
            if (dir.isEmpty()) {
                continue;
            }
            Path p = Path.of(dir, tool);
            if (Files.isRegularFile(p) && Files.isExecutable(p)) {
                return Optional.of(p);
            }
        }
        return Optional.empty();
    }

    static Result run(List<String> command, Duration timeout, int maxBytes) {
        Process p;
        try {
            p = new ProcessBuilder(command).redirectErrorStream(true).start();
        } catch (IOException e) {
            return new Result("cannot run " + command.get(0) + ": " + e.getMessage(), null, false);
        }
        try {
            p.getOutputStream().close();
        } catch (IOException ignored) {
            // stdin of a tool we do not feed; nothing to flush
        }
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        Thread reader = new Thread(() -> drain(p.getInputStream(), out, maxBytes), "tool-output-" + command.get(0));
        reader.setDaemon(true);
        reader.start();
        boolean finished;
        try {
            finished = p.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            finished = false;
        }
        if (!finished) {
            p.descendants().forEach(ProcessHandle::destroyForcibly);
            p.destroyForcibly();
        }
        try {
            reader.join(2000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        String text;
        synchronized (out) {
            text = out.toString(StandardCharsets.UTF_8);
        }
        return new Result(text, finished ? p.exitValue() : null, !finished);
    }

    private static void drain(InputStream in, ByteArrayOutputStream out, int maxBytes) {
        byte[] buf = new byte[8192];
        try (in) {
            int n;
            while ((n = in.read(buf)) > 0) {
                synchronized (out) {
                    int room = maxBytes - out.size();
                    if (room > 0) {
                        out.write(buf, 0, Math.min(room, n));
                    }
                }
            }
        } catch (IOException ignored) {
            // the tool was killed at its deadline; keep what it printed
        }
    }
}
