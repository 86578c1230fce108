package dev.warden.cli;

import dev.warden.UserError;
import dev.warden.check.InitInference;
import dev.warden.check.InitPlan;
import dev.warden.check.InitTemplate;
import dev.warden.gpu.ToolRunner;
import dev.warden.store.AtomicFiles;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;

@Command(name = "init", mixinStandardHelpOptions = true,
        description = {"Write a commented warden.yaml for a training command.",
                "It holds the checks Warden can infer (files the command names, modules the script imports, the GPU",
                "count of this node) and every option, documented where it goes.",
                "Example: warden init -- python train.py --data data/train.jsonl"})
public final class InitCommand implements Callable<Integer> {
    @Parameters(paramLabel = "COMMAND", arity = "1..*", description = "the training command, after --")
    List<String> command = new ArrayList<>();

    @Option(names = {"-o", "--output"}, paramLabel = "FILE", description = "where to write (default: ./warden.yaml)")
    Path output = Path.of("warden.yaml");

    @Option(names = "--force", description = "overwrite an existing file")
    boolean force;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec cs;

    @Override
    public Integer call() {
        Path target = output.toAbsolutePath();
        if (Files.exists(target) && !force) {
            throw new UserError(target + " already exists; edit it, or pass --force to replace it", UserError.USAGE);
        }
        InitPlan plan = InitInference.infer(target.getParent(), command, ToolRunner.system());
        AtomicFiles.writeString(target, InitTemplate.render(plan, LocalDate.now()));
        PrintWriter out = cs.commandLine().getOut();
        out.println("wrote " + target);
        out.println("  files checked:   " + (plan.files().isEmpty() ? "none found in the command" : String.join(", ", plan.files())));
        if (!plan.missingPaths().isEmpty()) {
            out.println("  not found now:   " + String.join(", ", plan.missingPaths()) + " (left commented out)");
        }
        out.println("  modules checked: " + (plan.modules().isEmpty() ? "none found" : String.join(", ", plan.modules())));
        out.println("  gpus:            " + (plan.gpus() == null ? "not set (" + plan.gpuNote() + ")" : plan.gpus()));
        out.println("next: `warden check " + output + "`");
        out.flush();
        return 0;
    }
}
