package dev.warden.cli;

import dev.warden.supervise.LogTail;
import dev.warden.supervise.Progress;
import dev.warden.supervise.ProgressParser;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.concurrent.Callable;

/** For bench/: the log follower (read + split + progress parse) over a whole file, with no echo. */
@Command(name = "_tail-bench", hidden = true)
public final class TailBenchCommand implements Callable<Integer> {
    @Parameters(paramLabel = "FILE")
    Path file;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() throws Exception {
        long size = Files.size(file);
        long t0 = System.nanoTime();
        Progress p = new Progress(t0);
        LogTail tail = new LogTail(file, 0, null, new ProgressParser(null), p).everyByte();
        tail.finish();
        tail.run();
        double s = (System.nanoTime() - t0) / 1e9;
        spec.commandLine().getOut().printf(Locale.ROOT, "bytes=%d seconds=%.3f gbps=%.2f step=%s loss=%s%n", size, s, size / s / 1e9, p.step(), p.loss());
        return 0;
    }
}
