package dev.warden.cli;

import dev.warden.UserError;
import dev.warden.check.LearnedCheck;
import dev.warden.spec.SpecEditor;
import dev.warden.store.AtomicFiles;
import dev.warden.store.Incident;
import dev.warden.store.Store;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import java.util.concurrent.Callable;

@Command(name = "learn", mixinStandardHelpOptions = true,
        description = {"Turn an incident into a preflight check in the job's warden.yaml, so the same failure is caught",
                "before the next run: a missing module becomes an import check, no space left a disk check, an",
                "unreachable host a tcp check, a gated model an env/url check. Shows the change and asks first."})
final class LearnCommand implements Callable<Integer> {
    @Parameters(paramLabel = "ID")
    String id;

    @Option(names = "--spec", paramLabel = "FILE", description = "the warden.yaml to change (default: the spec of the incident's newest run)")
    Path spec;

    @Option(names = {"-y", "--yes"}, description = "write without asking")
    boolean yes;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec cs;

    @Override
    public Integer call() throws IOException {
        PrintWriter out = cs.commandLine().getOut();
        Path file;
        LearnedCheck learned;
        Incident incident;
        try (Store store = IncidentsCommand.openStore()) {
            incident = IncidentsCommand.find(store, id);
            String evidence = incident.occurrences().stream().map(o -> o.evidence() == null ? "" : o.evidence())
                    .reduce(incident.summary() + "\n" + incident.signature(), (a, b) -> a + "\n" + b);
            learned = LearnedCheck.from(incident.category(), evidence).orElseThrow(() -> new UserError("incident " + incident.id() + " ("
                    + incident.category() + ") has no preflight check that would catch it before a run; note what fixed it with "
                    + "`warden incidents note " + incident.id() + " \"...\"`", 1));
            file = spec != null ? spec : specOf(store, incident).orElseThrow(() -> new UserError(
                    "incident " + incident.id() + " came from runs without a spec file; give one with --spec warden.yaml"));
        }
        if (!Files.isRegularFile(file)) {
            throw new UserError("spec file " + file + " not found; give the job's warden.yaml with --spec");
        }
        String before = Files.readString(file, StandardCharsets.UTF_8);
        String after = SpecEditor.addCheck(before, learned.entry(), "learned from incident " + incident.id() + ": " + learned.why(), file.toString());
        if (after.equals(before)) {
            out.println(file + " already has `- " + learned.entry() + "`; nothing to do");
            return 0;
        }
        out.println("--- " + file);
        out.println("+++ " + file + " (with the learned check)");
        after.lines().filter(l -> !before.lines().toList().contains(l)).forEach(l -> out.println("+" + l));
        out.flush();
        if (!yes && !confirm(out)) {
            out.println("not written" + (System.console() == null ? " (no terminal to ask on: add --yes to write it)" : ""));
            return 1;
        }
        AtomicFiles.writeString(file, after);
        out.println("wrote " + file + "; `warden check " + file + "` runs it");
        return 0;
    }

    private static Optional<Path> specOf(Store store, Incident incident) {
        for (int i = incident.occurrences().size() - 1; i >= 0; i--) {
            Optional<Path> p = store.run(incident.occurrences().get(i).runId()).map(r -> r.specPath()).filter(s -> s != null).map(Path::of);
            if (p.isPresent()) {
                return p;
            }
        }
        return Optional.empty();
    }

    private static boolean confirm(PrintWriter out) throws IOException {
        if (System.console() == null) {
            return false;
        }
        out.print("Add it? [y/N] ");
        out.flush();
        String answer = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8)).readLine();
        return answer != null && answer.trim().toLowerCase().startsWith("y");
    }
}
