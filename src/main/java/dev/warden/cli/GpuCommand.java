package dev.warden.cli;

import dev.warden.UserError;
import dev.warden.gpu.GpuExclusions;
import dev.warden.gpu.GpuInfo;
import dev.warden.gpu.GpuProbe;
import dev.warden.gpu.GpuProbeResult;
import dev.warden.gpu.ToolRunner;
import dev.warden.spec.Sizes;
import dev.warden.store.WardenHome;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

import java.io.PrintWriter;
import java.time.Instant;
import java.util.concurrent.Callable;

@Command(name = "gpu", mixinStandardHelpOptions = true,
        description = "List GPUs; exclude or include one for every later run.",
        subcommands = {GpuCommand.ListGpus.class, GpuCommand.Exclude.class, GpuCommand.Include.class})
public final class GpuCommand implements Runnable {
    @CommandLine.Spec
    CommandLine.Model.CommandSpec cs;

    @Override
    public void run() {
        cs.commandLine().usage(cs.commandLine().getOut());
    }

    @Command(name = "list", mixinStandardHelpOptions = true, description = "The node's GPUs, their state and exclusions.")
    static final class ListGpus implements Callable<Integer> {
        @CommandLine.Spec
        CommandLine.Model.CommandSpec cs;

        @Override
        public Integer call() {
            PrintWriter out = cs.commandLine().getOut();
            GpuExclusions ex = GpuExclusions.load(WardenHome.fromEnvironment());
            GpuProbeResult probe = GpuProbe.probe(ToolRunner.system());
            if (probe instanceof GpuProbeResult.Found f) {
                out.printf("%-4s %-34s %-19s %-6s %s%n", "GPU", "NAME", "MEMORY USED/TOTAL", "TEMP", "STATE");
                for (GpuInfo g : f.gpus()) {
                    String mem = g.memoryUsedMib() == null || g.memoryTotalMib() == null ? "?"
                            : Sizes.format(g.memoryUsedMib() << 20) + " / " + Sizes.format(g.memoryTotalMib() << 20);
                    String state = ex.find(g.index(), g.uuid())
                            .map(e -> "EXCLUDED" + (e.reason() == null || e.reason().isBlank() ? "" : ": " + e.reason()) + " (since " + e.since() + ")")
                            .orElse(g.fault() != null ? "FAULT: " + g.fault() : "ok");
                    out.printf("%-4d %-34s %-19s %-6s %s%n", g.index(), g.name() == null ? "?" : g.name(), mem,
                            g.temperatureC() == null ? "?" : g.temperatureC() + "C", state);
                }
            } else if (probe instanceof GpuProbeResult.ToolFailed t) {
                out.println(t.tool() + " failed: " + t.meaning());
            } else {
                out.println("no GPU tool (nvidia-smi, rocm-smi) on PATH");
            }
            if (!(probe instanceof GpuProbeResult.Found)) {
                for (GpuExclusions.Exclusion e : ex.list()) {
                    out.println("excluded: GPU " + e.gpu() + (e.reason() == null || e.reason().isBlank() ? "" : " (" + e.reason() + ")"));
                }
            }
            out.flush();
            return 0;
        }
    }

    @Command(name = "exclude", mixinStandardHelpOptions = true, description = "Hide GPU N from every later run (CUDA/HIP/ROCR_VISIBLE_DEVICES).")
    static final class Exclude implements Callable<Integer> {
        @Parameters(paramLabel = "N", description = "the GPU's index as nvidia-smi / rocm-smi number it")
        int gpu;

        @Option(names = "--reason", paramLabel = "TEXT", description = "why (shown by `warden gpu list` and `warden health`)")
        String reason = "";

        @CommandLine.Spec
        CommandLine.Model.CommandSpec cs;

        @Override
        public Integer call() {
            if (gpu < 0) {
                throw new UserError("GPU " + gpu + " is not a GPU index; use the number `warden gpu list` shows");
            }
            String uuid = null;
            GpuProbeResult probe = GpuProbe.probe(ToolRunner.system());
            PrintWriter out = cs.commandLine().getOut();
            if (probe instanceof GpuProbeResult.Found f) {
                GpuInfo g = f.gpus().stream().filter(x -> x.index() == gpu).findFirst().orElse(null);
                if (g == null) {
                    throw new UserError("this node has no GPU " + gpu + " (it has " + f.gpus().size()
                            + "); use an index that `warden gpu list` shows");
                }
                uuid = g.uuid();
            } else {
                out.println("note: no GPU tool answered, so GPU " + gpu + " is excluded by index only");
            }
            GpuExclusions ex = GpuExclusions.load(WardenHome.fromEnvironment()).exclude(gpu, uuid, reason.strip(), Instant.now());
            out.println("GPU " + gpu + " excluded from every later run" + (reason.isBlank() ? "" : " (" + reason.strip() + ")")
                    + "; " + ex.list().size() + " excluded now; undo with `warden gpu include " + gpu + "`");
            out.flush();
            return 0;
        }
    }

    @Command(name = "include", mixinStandardHelpOptions = true, description = "Let GPU N be used again.")
    static final class Include implements Callable<Integer> {
        @Parameters(paramLabel = "N", description = "the GPU's index")
        int gpu;

        @CommandLine.Spec
        CommandLine.Model.CommandSpec cs;

        @Override
        public Integer call() {
            GpuExclusions before = GpuExclusions.load(WardenHome.fromEnvironment());
            PrintWriter out = cs.commandLine().getOut();
            if (before.list().stream().noneMatch(e -> e.gpu() == gpu)) {
                out.println("GPU " + gpu + " was not excluded; nothing changed");
            } else {
                before.include(gpu);
                out.println("GPU " + gpu + " is back in use for later runs");
            }
            out.flush();
            return 0;
        }
    }
}
