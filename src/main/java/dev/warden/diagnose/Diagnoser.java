package dev.warden.diagnose;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;

/**
 * The entry point: load the rules once, then classify failures.
 * <pre>
 *   Diagnoser d = Diagnoser.load(home.rulesDir(), spec.rules(), warnings::add);
 *   Verdict v = d.classify(attemptLog, new ExitInfo(137, null));
 * </pre>
 * Thread-safe: a Diagnoser holds only immutable, prepared rules.
 */
public final class Diagnoser {
    private final Catalog catalog;
    private final Compiled compiled;
    private final Consumer<String> warnings;
    private final Redactor redactor;

    private Diagnoser(Catalog catalog, Consumer<String> warnings, Redactor redactor) {
        this.catalog = catalog;
        this.compiled = new Compiled(catalog);
        this.warnings = warnings;
        this.redactor = redactor;
    }

    /**
     * The catalog plus the user's rule files in {@code userRulesDir} (may be null or missing) plus
     * the spec's {@code rules:} (may be null). Broken user rules go to {@code warnings} and are skipped.
     * Evidence is redacted with the secrets of this process's environment.
     */
    public static Diagnoser load(Path userRulesDir, List<Map<String, Object>> specRules, Consumer<String> warnings) {
        List<Path> dirs = userRulesDir == null ? List.of() : List.of(userRulesDir);
        return loadFrom(dirs, specRules, warnings);
    }

    /** Like {@link #load} with several rule directories, read in the order given (later ones override). */
    public static Diagnoser loadFrom(List<Path> userRulesDirs, List<Map<String, Object>> specRules, Consumer<String> warnings) {
        Consumer<String> w = warnings == null ? s -> { } : warnings;
        return new Diagnoser(Catalog.load(userRulesDirs, specRules, w), w, Redactor.fromEnvironment(List.of()));
    }

    /** The same rules, redacting evidence with {@code redactor} (e.g. with the spec's declared secrets). */
    public Diagnoser withRedactor(Redactor redactor) {
        return new Diagnoser(catalog, warnings, redactor);
    }

    public Catalog catalog() {
        return catalog;
    }

    /** Classifies the tail of {@code log} (widened when nothing matched). */
    public Verdict classify(Path log, ExitInfo exit) {
        return classify(log, exit, false, null);
    }

    /**
     * Classifies {@code log}: its tail, or all of it when {@code wholeFile}. {@code kernelLog}
     * (dmesg text, may be null) is searched too, e.g. for the OOM killer or an Xid line.
     * A missing or unreadable log is not an error here: the verdict is built from the exit status.
     */
    public Verdict classify(Path log, ExitInfo exit, boolean wholeFile, String kernelLog) {
        Classifier.Scope scope = wholeFile ? Classifier.Scope.whole() : Classifier.Scope.tail();
        try (FileChannel ch = FileChannel.open(log, StandardOpenOption.READ); Bytes bytes = Bytes.of(ch)) {
            return finish(new Classifier(compiled, warnings).classify(bytes, exit, scope, kernel(kernelLog)));
        } catch (NoSuchFileException e) {
            return withoutLog(exit, "log " + log + " does not exist");
        } catch (IOException | UncheckedIOException | SecurityException e) {
            return withoutLog(exit, "log " + log + " cannot be read (" + e.getMessage() + ")");
        }
    }

    /** Classifies log text held in memory (its tail, like a file). */
    public Verdict classifyText(String text, ExitInfo exit) {
        return classifyBytes(text == null ? new byte[0] : text.getBytes(StandardCharsets.UTF_8), 0, exit, false);
    }

    /**
     * Classifies raw log bytes (e.g. stdin). {@code linesBefore} is the number of lines that came
     * before these bytes and were dropped, so that line numbers stay those of the whole stream.
     */
    public Verdict classifyBytes(byte[] data, long linesBefore, ExitInfo exit, boolean wholeFile) {
        Classifier.Scope scope = wholeFile ? Classifier.Scope.whole() : Classifier.Scope.tail();
        try (Bytes bytes = Bytes.of(data)) {
            Verdict v = new Classifier(compiled, warnings).classify(bytes, exit, scope, null);
            return finish(linesBefore == 0 ? v : shift(v, linesBefore));
        }
    }

    /**
     * Classifies a log arriving on a stream (stdin): keeps the last {@value #STREAM_KEEP_MIB} MiB in
     * memory, counting the lines it drops so that line numbers stay those of the whole stream.
     */
    public Verdict classifyStream(InputStream in, ExitInfo exit, boolean wholeFile) throws IOException {
        StreamTail tail = StreamTail.read(in, STREAM_KEEP_MIB << 20);
        return classifyBytes(tail.bytes(), tail.droppedLines(), exit, wholeFile);
    }

    static final int STREAM_KEEP_MIB = 64;

    /**
     * A verdict for something a monitor saw (a hang, a NaN loss), with the catalog's advice for
     * that category. Throws IllegalArgumentException for a category the catalog does not know.
     */
    public Verdict forCategory(String category, List<Evidence> evidence) {
        CategoryInfo cat = catalog.category(category).orElseThrow(() -> new IllegalArgumentException(
                "unknown category '" + category + "'; known: " + catalog.categories().keySet()));
        return finish(new Verdict(cat.name(), "monitor:" + cat.name(), cat.retryable(), cat.action(), cat.suggestion(),
                cat.link(), evidence == null ? List.of() : evidence));
    }

    private static Bytes kernel(String kernelLog) {
        return kernelLog == null || kernelLog.isEmpty() ? null : Bytes.of(kernelLog.getBytes(StandardCharsets.UTF_8));
    }

    private Verdict finish(Verdict v) {
        List<Evidence> redacted = new ArrayList<>(v.evidence().size());
        for (Evidence e : v.evidence()) {
            redacted.add(new Evidence(e.line(), redactor.redact(e.text())));
        }
        return new Verdict(v.category(), v.ruleId(), v.retryable(), v.action(), v.suggestion(), v.link(), redacted);
    }

    /** Without a readable log only the exit status can speak; the note says why. */
    private Verdict withoutLog(ExitInfo exit, String note) {
        Verdict v = classifyText("", exit);
        List<Evidence> ev = new ArrayList<>();
        for (Evidence e : v.evidence()) {
            if (!e.text().equals(Classifier.EMPTY_LOG)) {
                ev.add(e);
            }
        }
        ev.add(new Evidence(0, note));
        return new Verdict(v.category(), v.ruleId(), v.retryable(), v.action(), v.suggestion(), v.link(), ev);
    }

    private static Verdict shift(Verdict v, long lines) {
        List<Evidence> ev = new ArrayList<>();
        for (Evidence e : v.evidence()) {
            ev.add(e.line() == 0 ? e : new Evidence((int) Math.min(Integer.MAX_VALUE, e.line() + lines), e.text()));
        }
        return new Verdict(v.category(), v.ruleId(), v.retryable(), v.action(), v.suggestion(), v.link(), ev);
    }
}
