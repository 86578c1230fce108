package dev.warden.gpu;

import java.io.ByteArrayOutputStream;
import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.SynchronousQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * Runs node tools (nvidia-smi, rocm-smi, dmesg, python, ssh) with an environment the caller
 * controls. The program is looked up on that environment's PATH, not the JVM's, so a test can put
 * fake tools first on PATH without touching the test JVM. A run that passes its timeout, or whose
 * thread is interrupted, kills the program and everything it started.
 */
public final class ToolRunner {
    private static final int MAX_CAPTURE = 16 << 20;
    /** Idle readers end after a second: the supervisor runs tools in bursts (preflight, evidence) and idles for days. */
    private static final ExecutorService READERS = new ThreadPoolExecutor(0, Integer.MAX_VALUE, 1, TimeUnit.SECONDS,
            new SynchronousQueue<>(), r -> {
                Thread t = new Thread(r, "warden-tool-output");
                t.setDaemon(true);
                return t;
            });

    private final Map<String, String> env;

    public ToolRunner(Map<String, String> env) {
        this.env = Map.copyOf(env);
    }

    public static ToolRunner system() {
        return new ToolRunner(System.getenv());
    }

    /** The same environment with some variables replaced (a null value removes the variable). */
    public ToolRunner with(Map<String, String> overrides) {
        Map<String, String> m = new HashMap<>(env);
        overrides.forEach((k, v) -> {
            if (v == null) {
                m.remove(k);
            } else {
                m.put(k, v);
            }
        });
        return new ToolRunner(m);
    }

    public Map<String, String> env() {
        return env;
    }

    /** Where {@code program} would be found on this environment's PATH. */
    public Optional<Path> which(String program) {
        if (program.contains("/")) {
            Path p = Path.of(program);
            return Files.isExecutable(p) && !Files.isDirectory(p) ? Optional.of(p) : Optional.empty();
        }
        String path = env.getOrDefault("PATH", "");
        for (String dir : path.split(File.pathSeparator)) {
            if (dir.isEmpty()) {
                continue;
            }
            Path p = Path.of(dir, program);
            if (Files.isExecutable(p) && !Files.isDirectory(p)) {
                return Optional.of(p);
            }
        }
        return Optional.empty();
    }

    public ToolResult run(Duration timeout, String... command) {
        return run(List.of(command), timeout, null);
    }

    public ToolResult run(List<String> command, Duration timeout, Path workdir) {
        Optional<Path> exe = which(command.get(0));
        if (exe.isEmpty()) {
            return ToolResult.missing(command);
        }
        List<String> argv = new ArrayList<>(command);
        argv.set(0, exe.get().toString());
        ProcessBuilder pb = new ProcessBuilder(argv);
        pb.environment().clear();
        pb.environment().putAll(env);
        pb.redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")));
        if (workdir != null) {
            pb.directory(workdir.toFile());
        }
        long start = System.nanoTime();
        Process p;
        try {
            p = pb.start();
        } catch (IOException e) {
            return new ToolResult(command, 126, "", String.valueOf(e.getMessage()), false, false, Duration.ZERO);
        }
        CompletableFuture<String> out = CompletableFuture.supplyAsync(() -> drain(p.getInputStream()), READERS);
        CompletableFuture<String> err = CompletableFuture.supplyAsync(() -> drain(p.getErrorStream()), READERS);
        boolean finished;
        boolean interrupted = false;
        try {
            finished = p.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            finished = false;
            interrupted = true;
        }
        if (!finished) {
            killTree(p);
        }
        String stdout = collect(out);
        String stderr = collect(err);
        if (interrupted) {
            Thread.currentThread().interrupt();
        }
        Duration took = Duration.ofNanos(System.nanoTime() - start);
        int code = finished ? p.exitValue() : -1;
        return new ToolResult(command, code, stdout, stderr, !finished, false, took);
    }

    private static void killTree(Process p) {
        List<ProcessHandle> kids = p.descendants().toList();
        p.destroyForcibly();
        kids.forEach(ProcessHandle::destroyForcibly);
        try {
            p.waitFor(2, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static String collect(CompletableFuture<String> f) {
        try {
            return f.get(2, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return "";
        } catch (ExecutionException | TimeoutException e) {
            // a grandchild that escaped the kill still holds the pipe: report what we have
            return "";
        }
    }

    private static String drain(InputStream in) {
        ByteArrayOutputStream buf = new ByteArrayOutputStream();
        byte[] chunk = new byte[8192];
        try (in) {
            int n;
            while ((n = in.read(chunk)) >= 0) {
                if (buf.size() < MAX_CAPTURE) {
                    buf.write(chunk, 0, Math.min(n, MAX_CAPTURE - buf.size()));
                }
            }
        } catch (IOException e) {
            // stream closed by the kill; keep what was read
        }
        return buf.toString(StandardCharsets.UTF_8);
    }
}
