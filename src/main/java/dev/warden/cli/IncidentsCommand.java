package dev.warden.cli;

import dev.warden.UserError;
import dev.warden.store.AtomicFiles;
import dev.warden.store.Incident;
import dev.warden.store.Store;
import dev.warden.store.WardenHome;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import java.util.stream.Stream;

@Command(name = "incidents", mixinStandardHelpOptions = true,
        description = {"The operations memory: every failure Warden saw, grouped by signature.",
                "A signature is the error line with numbers, paths and addresses normalised away.",
                "  warden incidents                        list, most recent first",
                "  warden incidents show ID                an incident, its occurrences and evidence bundles",
                "  warden incidents note ID \"pinned torch 2.3\"   what fixed it",
                "  warden incidents export --markdown OPERATIONS.md   a file a team can commit",
                "  warden incidents learn ID               turn it into a preflight check in warden.yaml"},
        subcommands = {IncidentsCommand.Show.class, IncidentsCommand.Note.class, IncidentsCommand.Export.class, LearnCommand.class})
public final class IncidentsCommand implements Callable<Integer> {
    static final DateTimeFormatter WHEN = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm", Locale.ROOT).withZone(ZoneId.systemDefault());

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() {
        PrintWriter out = spec.commandLine().getOut();
        try (Store store = openStore()) {
            List<Incident> all = store.incidents();
            if (all.isEmpty()) {
                out.println("no incidents recorded; every failure of a `warden run` lands here");
                return 0;
            }
            List<String[]> rows = new ArrayList<>();
            rows.add(new String[] {"ID", "CATEGORY", "COUNT", "FIRST SEEN", "LAST SEEN", "SIGNATURE"});
            for (Incident i : all) {
                rows.add(new String[] {i.id(), i.category(), Integer.toString(i.count()), WHEN.format(i.firstSeen()),
                        WHEN.format(i.lastSeen()), abbreviate(i.signature(), 90)});
            }
            Table.print(out, rows);
        }
        return 0;
    }

    static Store openStore() {
        return Store.open(WardenHome.fromEnvironment());
    }

    static Incident find(Store store, String id) {
        return store.incident(id).orElseThrow(() -> new UserError("no incident `" + id + "`; `warden incidents` lists them"));
    }

    static String abbreviate(String s, int max) {
        return s.length() <= max ? s : s.substring(0, max - 1) + "…";
    }

    @Command(name = "show", mixinStandardHelpOptions = true, description = "An incident with its occurrences, notes and evidence bundles.")
    static final class Show implements Callable<Integer> {
        @Parameters(paramLabel = "ID")
        String id;

        @CommandLine.Spec
        CommandLine.Model.CommandSpec spec;

        @Override
        public Integer call() throws IOException {
            PrintWriter out = spec.commandLine().getOut();
            try (Store store = openStore()) {
                Incident i = find(store, id);
                out.println("incident " + i.id() + " · " + i.category() + " · seen " + i.count() + " time" + (i.count() == 1 ? "" : "s")
                        + " (" + WHEN.format(i.firstSeen()) + " .. " + WHEN.format(i.lastSeen()) + ")");
                out.println("signature: " + i.signature());
                out.println("latest:    " + i.summary());
                for (Incident.Note n : i.notes()) {
                    out.println("note " + WHEN.format(n.at()) + ": " + n.text());
                }
                for (Incident.Occurrence o : i.occurrences()) {
                    out.println();
                    out.println("── run " + o.runId() + " · attempt " + o.attempt() + " · " + WHEN.format(o.at()));
                    if (o.evidence() != null) {
                        o.evidence().lines().forEach(l -> out.println("   " + l));
                    }
                    if (o.bundle() != null && Files.isDirectory(Path.of(o.bundle()))) {
                        out.println("   evidence bundle: " + o.bundle());
                        try (Stream<Path> files = Files.list(Path.of(o.bundle()))) {
                            for (Path f : files.sorted().toList()) {
                                out.println("     " + f.getFileName() + " (" + Files.size(f) + " bytes)");
                            }
                        }
                    }
                }
            }
            return 0;
        }
    }

    @Command(name = "note", mixinStandardHelpOptions = true, description = "Add what fixed it (or what you learned) to an incident.")
    static final class Note implements Callable<Integer> {
        @Parameters(index = "0", paramLabel = "ID")
        String id;

        @Parameters(index = "1", paramLabel = "TEXT")
        String text;

        @CommandLine.Spec
        CommandLine.Model.CommandSpec spec;

        @Override
        public Integer call() {
            if (text.isBlank()) {
                throw new UserError("the note is empty; write what fixed it, e.g. `warden incidents note " + id + " \"pinned torch 2.3\"`");
            }
            try (Store store = openStore()) {
                Incident i = find(store, id);
                store.addIncidentNote(i.id(), text.strip());
                spec.commandLine().getOut().println("noted on incident " + i.id());
            }
            return 0;
        }
    }

    @Command(name = "export", mixinStandardHelpOptions = true, description = "Write the operations memory as Markdown a team can commit.")
    static final class Export implements Callable<Integer> {
        @Option(names = "--markdown", paramLabel = "FILE", required = true, description = "where to write it (replaced atomically)")
        Path file;

        @CommandLine.Spec
        CommandLine.Model.CommandSpec spec;

        @Override
        public Integer call() {
            StringBuilder md = new StringBuilder("# Operations memory\n\nWritten by `warden incidents export`: every failure Warden saw, "
                    + "grouped by signature, newest first, with what fixed it.\n");
            try (Store store = openStore()) {
                for (Incident summary : store.incidents()) {
                    Incident i = store.incident(summary.id()).orElse(summary);
                    md.append("\n## ").append(i.category()).append(" · `").append(i.id()).append("`\n\n");
                    md.append("- Seen ").append(i.count()).append(" time").append(i.count() == 1 ? "" : "s").append(", ")
                            .append(WHEN.format(i.firstSeen())).append(" to ").append(WHEN.format(i.lastSeen())).append('\n');
                    md.append("- Signature: `").append(i.signature().replace("`", "'")).append("`\n");
                    md.append("- Latest: ").append(i.summary()).append('\n');
                    md.append("- Runs: ").append(String.join(", ", i.occurrences().stream().map(o -> o.runId() + "#" + o.attempt()).distinct().toList()))
                            .append('\n');
                    if (i.notes().isEmpty()) {
                        md.append("- Fix: (none recorded yet: `warden incidents note ").append(i.id()).append(" \"...\"`)\n");
                    }
                    for (Incident.Note n : i.notes()) {
                        md.append("- Fix (").append(WHEN.format(n.at())).append("): ").append(n.text()).append('\n');
                    }
                }
            }
            AtomicFiles.writeString(file, md.toString());
            spec.commandLine().getOut().println("wrote " + file);
            return 0;
        }
    }
}
