package dev.warden.supervise;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;

/**
 * The next attempt's wrapper, started while the current attempt runs: its own session and process group, already
 * in its cgroup, blocked reading its stdin. After a crash, {@link #go} hands it the command, environment, log and
 * exit file, and the job starts without a process spawn, a bash start-up or a cgroup migration on the way (those
 * cost 5-15 ms of every restart). It runs nothing unless told to: on end of input (Warden finished, or died) it
 * exits.
 */
final class Standby {
    /** The same wrapper as {@link ChildProcess#WRAPPER}, fed through stdin: NUL-separated fields, then EOF. */
    static final String WRAPPER = String.join("\n",
            "_warden_cg=$1",
            "[ -n \"$_warden_cg\" ] && { echo $$ > \"$_warden_cg/cgroup.procs\"; } 2>/dev/null",
            "IFS= read -r -d '' _warden_exit || exit 0",
            "IFS= read -r -d '' _warden_log || exit 0",
            "while IFS= read -r -d '' _warden_a && [ \"$_warden_a\" != -- ]; do export \"$_warden_a\"; done",
            "_warden_argv=(); while IFS= read -r -d '' _warden_a; do _warden_argv+=(\"$_warden_a\"); done",
            "[ ${#_warden_argv[@]} -gt 0 ] || exit 0",
            "exec >>\"$_warden_log\" 2>&1 </dev/null",
            "set -- \"${_warden_argv[@]}\"",
            Wrapper.RUN_AND_RECORD);
    private static final Pattern SHELL_NAME = Pattern.compile("[A-Za-z_][A-Za-z0-9_]*");

    private final int attempt;
    private final Process process;
    private final long startTicks;
    private final Optional<Cgroup> cgroup;

    private Standby(int attempt, Process process, long startTicks, Optional<Cgroup> cgroup) {
        this.attempt = attempt;
        this.process = process;
        this.startTicks = startTicks;
        this.cgroup = cgroup;
    }

    /** Empty when it cannot be started; the attempt then starts the usual way. */
    static Optional<Standby> prepare(int attempt, Path workdir, Optional<Cgroup> cgroup) {
        ProcessBuilder pb = new ProcessBuilder("setsid", "bash", "-c", WRAPPER, "warden-standby", cgroup.map(c -> c.path().toString()).orElse(""))
                .directory(workdir.toFile())
                .redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.DISCARD)
                .redirectInput(ProcessBuilder.Redirect.PIPE);
        try {
            Process p = pb.start();
            JobTree.WRAPPERS.add(p.pid());
            long start = ProcStat.of(p.pid()).map(ProcStat::startTicks).orElse(0L);
            return Optional.of(new Standby(attempt, p, start, cgroup));
        } catch (IOException | RuntimeException e) {
            cgroup.ifPresent(Cgroup::remove);
            return Optional.empty();
        }
    }

    int attempt() {
        return attempt;
    }

    /**
     * Starts the job in the waiting wrapper. Empty when the wrapper is gone or the environment has a name the shell
     * cannot export; the standby is then cancelled and the caller starts the attempt the usual way.
     */
    Optional<ChildProcess> go(List<String> argv, Map<String, String> env, Path log, Path exitFile) {
        if (!process.isAlive() || argv.isEmpty() || !env.keySet().stream().allMatch(k -> SHELL_NAME.matcher(k).matches())) {
            cancel();
            return Optional.empty();
        }
        List<String> fields = new ArrayList<>();
        fields.add(exitFile.toString());
        fields.add(log.toString());
        env.forEach((k, v) -> fields.add(k + "=" + v));
        fields.add("--");
        fields.addAll(argv);
        if (fields.stream().anyMatch(f -> f.indexOf('\0') >= 0)) {
            cancel();
            return Optional.empty();
        }
        try {
            Files.createDirectories(log.getParent());
            Files.deleteIfExists(exitFile);
            OutputStream in = process.getOutputStream();
            StringBuilder sb = new StringBuilder();
            fields.forEach(f -> sb.append(f).append('\0'));
            in.write(sb.toString().getBytes(StandardCharsets.UTF_8));
            in.close();
        } catch (IOException e) {
            cancel();
            return Optional.empty();
        }
        return Optional.of(ChildProcess.of(process, startTicks, exitFile, cgroup));
    }

    /** End of input: the wrapper exits without running anything; its cgroup is removed. */
    void cancel() {
        try {
            process.getOutputStream().close();
            if (!process.waitFor(1, TimeUnit.SECONDS)) {
                process.destroyForcibly().waitFor(1, TimeUnit.SECONDS);
            }
        } catch (IOException e) {
            process.destroyForcibly();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            process.destroyForcibly();
        }
        JobTree.WRAPPERS.remove(process.pid());
        cgroup.ifPresent(Cgroup::remove);
    }
}
