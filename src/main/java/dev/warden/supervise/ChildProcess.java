package dev.warden.supervise;

import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/**
 * One attempt's process: `setsid bash -c WRAPPER` so it leads its own process group and session, with stdout and
 * stderr going straight to the attempt log (the log file is the pipe: the job never blocks on Warden). The wrapper
 * writes the exit status to a file, so a supervisor that restarts still learns it.
 */
public final class ChildProcess implements AttemptHandle {
    /** Moves itself into the attempt's cgroup, then runs the job and records its status ({@link Wrapper}). */
    static final String WRAPPER = String.join("\n",
            "_warden_exit=$1; _warden_cg=$2; shift 2",
            "[ -n \"$_warden_cg\" ] && { echo $$ > \"$_warden_cg/cgroup.procs\"; } 2>/dev/null",
            Wrapper.RUN_AND_RECORD);

    private final Process process;
    private final long startTicks;
    private final Path exitFile;
    private final JobTree tree;

    private ChildProcess(Process process, long startTicks, Path exitFile, JobTree tree) {
        this.process = process;
        this.startTicks = startTicks;
        this.exitFile = exitFile;
        this.tree = tree;
    }

    public static ChildProcess start(List<String> argv, Path workdir, Map<String, String> env, Path log, Path exitFile,
                                     Optional<Cgroup> cgroup) throws IOException {
        Files.createDirectories(log.getParent());
        Files.deleteIfExists(exitFile);
        List<String> cmd = new ArrayList<>(List.of("setsid", "bash", "-c", WRAPPER, "warden-attempt", exitFile.toString(),
                cgroup.map(c -> c.path().toString()).orElse("")));
        cmd.addAll(argv);
        ProcessBuilder pb = new ProcessBuilder(cmd)
                .directory(workdir.toFile())
                .redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()))
                .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")));
        pb.environment().putAll(env);
        Process p = pb.start();
        JobTree.WRAPPERS.add(p.pid());
        long start = ProcStat.of(p.pid()).map(ProcStat::startTicks).orElse(0L);
        JobTree tree = new JobTree(p.pid(), start, cgroup);
        return new ChildProcess(p, start, exitFile, tree);
    }

    /** A wrapper started ahead of time ({@link Standby}) that now runs the job. */
    static ChildProcess of(Process p, long startTicks, Path exitFile, Optional<Cgroup> cgroup) {
        return new ChildProcess(p, startTicks, exitFile, new JobTree(p.pid(), startTicks, cgroup));
    }

    @Override
    public long pid() {
        return process.pid();
    }

    @Override
    public long startTicks() {
        return startTicks;
    }

    @Override
    public JobTree tree() {
        return tree;
    }

    /** Waits up to `millis` for the wrapper to exit; true when it has. */
    @Override
    public boolean waitFor(long millis) throws InterruptedException {
        return process.waitFor(millis, TimeUnit.MILLISECONDS);
    }

    @Override
    public boolean exited() {
        return !process.isAlive();
    }

    /** The job's status as the wrapper recorded it; the wrapper's own status when it was killed before it could. */
    @Override
    public ExitStatus exitStatus() {
        JobTree.WRAPPERS.remove(process.pid());
        Optional<Integer> written = readExitFile(exitFile);
        int code = written.orElseGet(process::exitValue);
        return ExitStatus.fromShell(code, written.isPresent());
    }

    @Override
    public Path exitFile() {
        return exitFile;
    }

    /** The status in a wrapper's exit file; empty while it is not written (or not whole). */
    static Optional<ExitStatus> recorded(Path exitFile) {
        return readExitFile(exitFile).map(c -> ExitStatus.fromShell(c, true));
    }

    static Optional<Integer> readExitFile(Path exitFile) {
        try {
            return Optional.of(Integer.parseInt(Files.readString(exitFile).trim()));
        } catch (IOException | NumberFormatException e) {
            return Optional.empty();
        }
    }
}
