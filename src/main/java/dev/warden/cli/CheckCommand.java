package dev.warden.cli;

import dev.warden.check.Preflight;
import dev.warden.check.PreflightInput;
import dev.warden.check.PreflightInputs;
import dev.warden.check.PreflightReport;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.concurrent.Callable;

@Command(name = "check", mixinStandardHelpOptions = true,
        description = {"Preflight: every check in parallel, PASS/WARN/FAIL with the evidence and the fix.",
                "Exit status: 0 when no check FAILs (WARNs allowed), 1 when one does, 78 for a bad spec."})
public final class CheckCommand implements Callable<Integer> {
    @Parameters(index = "0", arity = "0..1", paramLabel = "SPEC", description = "the job's warden.yaml (default: ./warden.yaml)")
    Path spec;

    @Option(names = "--json", description = "print the results as JSON")
    boolean json;

    @Option(names = "--skip-check", paramLabel = "ID", description = "skip a check by id or kind (repeatable); reported as skipped")
    List<String> skip = new ArrayList<>();

    @CommandLine.Spec
    CommandLine.Model.CommandSpec cs;

    @Override
    public Integer call() {
        PreflightInput in = PreflightInputs.fromYaml(spec != null ? spec : Path.of("warden.yaml"))
                .withSkip(new LinkedHashSet<>(skip));
        PreflightReport report = Preflight.run(in);
        PrintWriter out = cs.commandLine().getOut();
        out.print(json ? report.json() : report.table());
        out.flush();
        return report.hasFail() ? 1 : 0;
    }
}
