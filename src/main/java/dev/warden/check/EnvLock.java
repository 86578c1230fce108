package dev.warden.check;

import dev.warden.gpu.GpuProbe;
import dev.warden.gpu.ToolRunner;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

/** `warden env lock`: records the job's stack in warden.lock (atomically). Reads only; installs nothing. */
public final class EnvLock {
    private EnvLock() {}

    /**
     * @param python the interpreter, or null for the one in {@code spec}'s command (if the spec exists), else python3
     * @return one line saying what was recorded
     */
    public static String lock(Path output, String python, Path spec) {
        ToolRunner tools = ToolRunner.system();
        String py = python;
        if (py == null) {
            List<String> command = Files.isRegularFile(spec) ? PreflightInputs.fromYaml(spec).command() : List.of();
            py = JobPython.find(command, tools);
        }
        EnvSnapshot s = EnvProbe.collect(py, tools, GpuProbe.probe(tools), Duration.ofMinutes(2));
        EnvLockFile.write(output, s);
        return "wrote " + output + ": python " + s.pythonVersion() + " (" + s.python() + "), " + s.packages().size()
                + " packages, torch " + (s.torch() == null ? "not installed" : s.torch() + " (CUDA " + s.torchCuda() + ")")
                + ", driver " + (s.driver() == null ? "none" : s.driver()) + ", nvcc " + (s.nvcc() == null ? "none" : s.nvcc());
    }
}
