package dev.warden.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.warden.event.RunView;
import dev.warden.spec.Durations;
import dev.warden.store.RunRecord;
import dev.warden.store.Store;
import dev.warden.store.WardenHome;
import dev.warden.supervise.ProcStat;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.io.PrintWriter;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;

@Command(name = "ps", mixinStandardHelpOptions = true,
        description = {"List runs, newest first: state, attempt, step/total, last loss, elapsed, cost so far.",
                "A run whose supervisor died while its job still ran shows as `orphaned`."})
public final class PsCommand implements Callable<Integer> {
    @Option(names = {"-a", "--all"}, description = "include ended runs older than the newest 20")
    boolean all;

    @Option(names = "--json", description = "one JSON object per run")
    boolean json;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() throws Exception {
        PrintWriter out = spec.commandLine().getOut();
        WardenHome home = WardenHome.fromEnvironment();
        if (!java.nio.file.Files.exists(home.database())) {
            out.println("no runs yet (WARDEN_HOME " + home.root() + "); start one with `warden run` or `warden demo`");
            return 0;
        }
        try (Store store = Store.open(home)) {
            List<String[]> rows = new ArrayList<>();
            rows.add(new String[] {"RUN", "STATE", "ATTEMPT", "STEP", "LOSS", "ELAPSED", "COST"});
            Instant now = Instant.now();
            ObjectMapper m = new ObjectMapper();
            for (RunRecord r : store.recentRuns(all ? 10_000 : 20)) {
                RunView v = RunView.fold(r.id(), store.events(r.id(), 0));
                String state = state(v);
                if (json) {
                    Map<String, Object> o = new LinkedHashMap<>();
                    o.put("run", r.id());
                    o.put("name", r.name());
                    o.put("state", state);
                    o.put("attempt", v.attempt());
                    o.put("step", v.step());
                    o.put("total", v.total());
                    o.put("loss", v.loss() == null ? null : v.loss().toString());
                    o.put("elapsed_s", v.elapsed(now).toSeconds());
                    o.put("cost_usd", v.cost(now));
                    o.put("exit_code", v.exitCode());
                    out.println(m.writeValueAsString(o));
                    continue;
                }
                rows.add(new String[] {r.id(), state, v.attempt() == 0 ? "-" : Integer.toString(v.attempt()),
                        v.step() == null ? "-" : v.step() + (v.total() == null ? "" : "/" + v.total()),
                        v.loss() == null ? "-" : String.format(Locale.ROOT, "%.4g", v.loss()),
                        Durations.human(v.elapsed(now)),
                        v.cost(now) == null ? "-" : String.format(Locale.ROOT, "$%.2f", v.cost(now))});
            }
            if (!json) {
                Table.print(out, rows);
            }
        }
        return 0;
    }

    static String state(RunView v) {
        if (v.ended()) {
            return v.state();
        }
        boolean supervised = v.supervisorPid() != null && v.supervisorStart() != null
                && ProcStat.sameAlive(v.supervisorPid(), v.supervisorStart());
        if (supervised) {
            return v.state();
        }
        boolean jobAlive = v.pgid() != null && new dev.warden.supervise.JobTree(v.pgid(), v.pgidStart() == null ? 0 : v.pgidStart(),
                java.util.Optional.empty()).anyAlive();
        return jobAlive ? "orphaned" : "lost";
    }
}
