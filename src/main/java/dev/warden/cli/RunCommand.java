package dev.warden.cli;

import dev.warden.UserError;
import dev.warden.spec.LoadedSpec;
import dev.warden.spec.SpecLoader;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;

@Command(name = "run", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"Preflight, then run a training command under supervision.",
                "Restarts on crash, hang or NaN, stops the whole process tree cleanly, says why each attempt ended.", "",
                "  warden run                       uses ./warden.yaml",
                "  warden run path/to/warden.yaml",
                "  warden run -- python train.py --lr 3e-4     (no spec: defaults apply)", "",
                "Exit codes: 0 finished · 75 retry later or elsewhere may help · 76 a person is needed ·",
                "78 deterministic failure (bad spec, missing module, OOM at the smallest batch) · 130/143 interrupted."})
public final class RunCommand implements Callable<Integer> {

    @Parameters(arity = "0..*", paramLabel = "SPEC | -- COMMAND", description = "warden.yaml, or `--` and the command to run")
    List<String> args = new ArrayList<>();

    @Option(names = {"-q", "--quiet"}, description = "do not echo the job's output (it is still in `warden logs`)")
    boolean quiet;

    @Option(names = "--skip-check", paramLabel = "ID", description = "skip one preflight check by id or kind (repeatable; recorded as an event)")
    List<String> skipChecks = new ArrayList<>();

    @CommandLine.Spec
    CommandLine.Model.CommandSpec cmdSpec;

    @Override
    public Integer call() {
        boolean dashDash = cmdSpec.commandLine().getParseResult().originalArgs().contains("--");
        return supervise(args, dashDash, quiet, skipChecks);
    }

    /** What `warden run` does once its command line is read (by picocli, or by {@link RunFastPath}). */
    static int supervise(List<String> args, boolean dashDash, boolean quiet, List<String> skipChecks) {
        return RunLauncher.supervise(() -> load(args, dashDash), quiet, new java.util.LinkedHashSet<>(skipChecks));
    }

    private static LoadedSpec load(List<String> args, boolean dashDash) {
        if (dashDash) {
            return SpecLoader.fromCommand(args, Path.of(""));
        }
        if (args.isEmpty()) {
            Path here = Path.of("warden.yaml");
            if (!Files.exists(here)) {
                throw new UserError("no warden.yaml in " + Path.of("").toAbsolutePath() + "; give a spec (`warden run path/warden.yaml`), "
                        + "a command (`warden run -- python train.py`), or write one with `warden init -- python train.py`");
            }
            return SpecLoader.load(here);
        }
        if (args.size() > 1) {
            throw new UserError("`warden run " + String.join(" ", args) + "`: to run a command put `--` before it: `warden run -- "
                    + String.join(" ", args) + "`");
        }
        return SpecLoader.load(Path.of(args.get(0)));
    }
}
