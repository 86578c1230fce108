package dev.warden.cli;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import dev.warden.UserError;
import dev.warden.diagnose.Action;
import dev.warden.diagnose.Diagnoser;
import dev.warden.diagnose.Evidence;
import dev.warden.diagnose.ExitInfo;
import dev.warden.diagnose.RunLogs;
import dev.warden.diagnose.Signals;
import dev.warden.diagnose.Verdict;
import dev.warden.store.WardenHome;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.OptionalInt;
import java.util.concurrent.Callable;

@Command(name = "diagnose", mixinStandardHelpOptions = true,
        description = {"Classify a failure from a log: category, evidence lines, retryable or not, what to do.",
                "Reads the log's tail (wider when nothing matched) unless --all is given.",
                "Exit status: 0 when a verdict was printed (even 'unknown'), 2 for bad input."})
public final class DiagnoseCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Parameters(index = "0", arity = "0..1", paramLabel = "LOG", description = "The log file, or - to read standard input.")
    String log;

    @Option(names = "--run", paramLabel = "RUN", description = "Diagnose the newest attempt log of this run (an id or a unique prefix).")
    String run;

    @Option(names = "--json", description = "Print the verdict as JSON.")
    boolean json;

    @Option(names = "--all", description = "Read the whole log instead of its tail (standard input: its last 64 MiB).")
    boolean all;

    @Option(names = "--exit-code", paramLabel = "N", description = "The process's exit status (e.g. 137), if known.")
    Integer exitCode;

    @Option(names = "--signal", paramLabel = "SIG", description = "The signal that killed the process: a number or a name (9, SIGKILL).")
    String signal;

    @Option(names = "--rules", paramLabel = "DIR", description = "A directory of extra rule files (*.yaml), in addition to WARDEN_HOME/rules.d.")
    Path rulesDir;

    @Option(names = "--kernel-log", paramLabel = "FILE", description = "A saved kernel log (dmesg output) to search too.")
    Path kernelLog;

    @Option(names = "--timing", description = "Print how long loading the rules and classifying took (to stderr).")
    boolean timing;

    @Override
    public Integer call() {
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        ExitInfo exit = new ExitInfo(exitCode(), signal());
        Path logPath = logPath();
        List<Path> ruleDirs = new ArrayList<>();
        ruleDirs.add(WardenHome.fromEnvironment().rulesDir());
        if (rulesDir != null) {
            if (!Files.isDirectory(rulesDir)) {
                throw new UserError("--rules " + rulesDir + " is not a directory; give a directory holding *.yaml rule files");
            }
            ruleDirs.add(rulesDir);
        }
        String kernel = kernelText();

        long t0 = System.nanoTime();
        Diagnoser diagnoser = Diagnoser.loadFrom(ruleDirs, List.of(), w -> err.println("warden: warning: " + w));
        long t1 = System.nanoTime();
        Verdict v;
        if (logPath == null) {
            try {
                v = diagnoser.classifyStream(System.in, exit, all);
            } catch (IOException e) {
                throw new UserError("cannot read standard input (" + e.getMessage() + ")");
            }
        } else {
            v = diagnoser.classify(logPath, exit, all, kernel);
        }
        long t2 = System.nanoTime();

        if (json) {
            out.println(json(v, logPath, exit));
        } else {
            render(out, v, logPath);
        }
        if (timing) {
            err.printf("warden: rules loaded in %.1f ms, log classified in %.1f ms%n", (t1 - t0) / 1e6, (t2 - t1) / 1e6);
        }
        return 0;
    }

    private Integer exitCode() {
        if (exitCode != null && (exitCode < 0 || exitCode > 255)) {
            throw new UserError("--exit-code " + exitCode + " is not an exit status; use 0..255 (137 = killed by SIGKILL)");
        }
        return exitCode;
    }

    private Integer signal() {
        if (signal == null) {
            return null;
        }
        OptionalInt n = Signals.parse(signal);
        if (n.isEmpty()) {
            throw new UserError("--signal '" + signal + "' is not a signal; use a number (9) or a name (SIGKILL)");
        }
        return n.getAsInt();
    }

    private Path logPath() {
        if (run != null && log != null) {
            throw new UserError("give either LOG or --run, not both");
        }
        if (run != null) {
            return RunLogs.newestAttemptLog(WardenHome.fromEnvironment().runs(), run);
        }
        if (log == null) {
            throw new UserError("no log given; use `warden diagnose train.log`, `... | warden diagnose -` or `warden diagnose --run RUN`");
        }
        if (log.equals("-")) {
            return null;
        }
        Path p = Path.of(log);
        if (!Files.exists(p)) {
            throw new UserError("log " + log + " does not exist; give the path of the training log");
        }
        if (!Files.isRegularFile(p) || !Files.isReadable(p)) {
            throw new UserError("log " + log + " is not a readable file");
        }
        return p;
    }

    private String kernelText() {
        if (kernelLog == null) {
            return null;
        }
        try {
            byte[] b = Files.readAllBytes(kernelLog);
            return new String(b, StandardCharsets.UTF_8);
        } catch (IOException | UncheckedIOException e) {
            throw new UserError("--kernel-log " + kernelLog + " cannot be read (" + e.getMessage() + ")");
        }
    }

    private static void render(PrintWriter out, Verdict v, Path logPath) {
        out.printf("%-11s %s%n", "category", v.category());
        out.printf("%-11s %s%n", "rule", v.ruleId());
        out.printf("%-11s %s (%s)%n", "retryable", v.retryable() ? "yes" : "no", v.action().describe());
        out.printf("%-11s %s%n", "what to do", v.suggestion());
        if (!v.link().isEmpty()) {
            out.printf("%-11s %s%n", "see", v.link());
        }
        out.printf("%-11s %s%n", "signature", v.signature().id());
        out.printf("evidence%s%n", logPath == null ? "" : " (" + logPath + ")");
        Evidence primary = v.evidence().isEmpty() ? null : v.evidence().get(0);
        List<Evidence> sorted = new ArrayList<>(v.evidence());
        sorted.sort(Comparator.comparingInt((Evidence e) -> e.line() == 0 ? Integer.MAX_VALUE : e.line()));
        int width = Math.max(4, sorted.stream().mapToInt(e -> Integer.toString(e.line()).length()).max().orElse(1));
        for (Evidence e : sorted) {
            String no = e.line() == 0 ? "-" : Integer.toString(e.line());
            out.printf("  %" + width + "s %s %s%n", no, e == primary && !v.isUnknown() ? ">" : " ", e.text());
        }
    }

    private static String json(Verdict v, Path logPath, ExitInfo exit) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("log", logPath == null ? "-" : logPath.toString());
        m.put("category", v.category());
        m.put("rule", v.ruleId());
        m.put("retryable", v.retryable());
        m.put("action", action(v.action()));
        m.put("suggestion", v.suggestion());
        m.put("link", v.link());
        List<Map<String, Object>> ev = new ArrayList<>();
        for (Evidence e : v.evidence()) {
            Map<String, Object> x = new LinkedHashMap<>();
            x.put("line", e.line());
            x.put("text", e.text());
            ev.add(x);
        }
        m.put("evidence", ev);
        m.put("signature", Map.of("id", v.signature().id(), "text", v.signature().text()));
        Map<String, Object> ex = new LinkedHashMap<>();
        ex.put("code", exit.exitCode());
        ex.put("signal", exit.effectiveSignal());
        m.put("exit", ex);
        try {
            return new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT).writeValueAsString(m);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot render the verdict as JSON", e);
        }
    }

    private static Map<String, Object> action(Action a) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("type", a.kind());
        if (a instanceof Action.RetryWith rw) {
            m.put("param", rw.param());
            m.put("halve", rw.halve());
            m.put("min", rw.min());
        } else if (a instanceof Action.ExcludeGpu ex) {
            m.put("gpu", ex.gpu());
        }
        m.put("description", a.describe());
        return m;
    }
}
