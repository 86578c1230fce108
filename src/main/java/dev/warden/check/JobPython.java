package dev.warden.check;

import dev.warden.gpu.ToolRunner;

import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * The python the job will run: the command's interpreter (`/venv/bin/python train.py`), the python
 * next to a launcher (`/venv/bin/torchrun`, `accelerate`, `deepspeed`), else python3 on the job's PATH.
 */
final class JobPython {
    private static final Set<String> LAUNCHERS = Set.of("torchrun", "accelerate", "deepspeed", "lightning",
            "composer", "tune", "llamafactory-cli", "axolotl");
    private static final Set<String> WRAPPERS = Set.of("env", "nohup", "nice", "time", "exec", "stdbuf");

    private JobPython() {}

    static String find(List<String> command, ToolRunner tools) {
        for (String arg : command) {
            if (arg.contains("=") && !arg.startsWith("-") && !arg.contains("/")) {
                continue; // FOO=bar before the command
            }
            String name = Path.of(arg).getFileName().toString();
            if (WRAPPERS.contains(name) || arg.startsWith("-")) {
                continue;
            }
            if (name.matches("python[0-9.]*")) {
                return arg;
            }
            if (LAUNCHERS.contains(name)) {
                Optional<Path> launcher = tools.which(arg);
                if (launcher.isPresent()) {
                    for (String py : List.of("python", "python3")) {
                        Path sibling = launcher.get().resolveSibling(py);
                        if (tools.which(sibling.toString()).isPresent()) {
                            return sibling.toString();
                        }
                    }
                }
            }
            break;
        }
        return tools.which("python3").isPresent() || tools.which("python").isEmpty() ? "python3" : "python";
    }

    /** The first .py file of the command: the training script. */
    static Optional<String> script(List<String> command) {
        return command.stream().filter(a -> a.endsWith(".py")).findFirst();
    }
}
