package dev.warden.supervise;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;

/**
 * An attempt whose supervisor died while the job ran on (`orphans: adopt`). It is not our child, so its end is
 * seen through the wrapper's exit file, or through its process group emptying when the wrapper was killed too.
 */
final class AdoptedProcess implements AttemptHandle {
    private final long pgid;
    private final long startTicks;
    private final Path exitFile;
    private final JobTree tree;

    AdoptedProcess(long pgid, long startTicks, Path exitFile, Optional<Cgroup> cgroup) {
        this.pgid = pgid;
        this.startTicks = startTicks;
        this.exitFile = exitFile;
        this.tree = new JobTree(pgid, startTicks, cgroup);
    }

    @Override
    public long pid() {
        return pgid;
    }

    @Override
    public long startTicks() {
        return startTicks;
    }

    @Override
    public JobTree tree() {
        return tree;
    }

    @Override
    public boolean waitFor(long millis) throws InterruptedException {
        long until = System.nanoTime() + millis * 1_000_000;
        do {
            if (exited()) {
                return true;
            }
            Thread.sleep(Math.min(50, Math.max(1, millis)));
        } while (System.nanoTime() < until);
        return exited();
    }

    @Override
    public boolean exited() {
        return Files.exists(exitFile) || !tree.anyAlive();
    }

    @Override
    public Path exitFile() {
        return exitFile;
    }

    @Override
    public ExitStatus exitStatus() {
        return ChildProcess.recorded(exitFile).orElse(new ExitStatus(-1, null, false));
    }
}
