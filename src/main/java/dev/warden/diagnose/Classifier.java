package dev.warden.diagnose;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.function.Consumer;
import java.util.regex.Pattern;

/**
 * Decides a verdict from a log (and, when given, a kernel log) plus the exit status.
 *
 * <p>It reads the tail of the log (256 KiB unless told otherwise), and a wider tail (8 MiB, then
 * 64 MiB) only when nothing matched. When several rules match, the root cause wins: the highest
 * priority (a CUDA OOM inside an NCCL error is an OOM; another rank's host OOM or segfault beats
 * the survivor's "connection closed by peer"); among equals, the earliest line. An error raised
 * "during handling of the above exception" is a consequence of the one above it and cannot win
 * while that one matched a rule.
 */
final class Classifier {
    static final long DEFAULT_TAIL = 256 * 1024;
    static final String EMPTY_LOG = "the log is empty";
    private static final long[] WIDER = {8L << 20, 64L << 20};
    private static final int CHAIN_REACH = 300;
    private static final int TRACEBACK_REACH = 500;
    private static final int CONTEXT_BYTES = 256 * 1024;
    private static final int MORE_LINES_OF_WINNER = 2;
    private static final Pattern FRAME = Pattern.compile("^(?:\\[rank\\d+\\]:)?\\s+File \"[^\"]*\", line \\d+");
    private static final Pattern EXCEPTION_LINE = Pattern.compile("^(?:\\[rank\\d+\\]:\\s?)?[A-Za-z_][\\w.]*(?:Error|Exception|Interrupt|Exit)\\b.*");

    /** Which part of the log to read: the tail (widened when nothing matched) or all of it. */
    record Scope(long tailBytes, boolean wholeFile) {
        static Scope tail() {
            return new Scope(DEFAULT_TAIL, false);
        }

        static Scope whole() {
            return new Scope(Long.MAX_VALUE, true);
        }
    }

    private record Candidate(Rule rule, WindowScan.Match match, boolean kernel, long order) {}

    private final Compiled c;
    private final Consumer<String> warnings;
    private final long minPart;
    private final int threads;

    Classifier(Compiled c, Consumer<String> warnings) {
        this(c, warnings, Parallel.MIN_PART, Parallel.THREADS);
    }

    /** With smaller parts or more threads than the machine would get, for tests of the parallel scan. */
    Classifier(Compiled c, Consumer<String> warnings, long minPart, int threads) {
        this.c = c;
        this.warnings = warnings;
        this.minPart = minPart;
        this.threads = threads;
    }

    Verdict classify(Bytes log, ExitInfo exit, Scope scope, Bytes kernel) {
        ExitInfo ex = exit == null ? ExitInfo.unknown() : exit;
        long size = log.size();
        long from = scope.wholeFile() ? 0 : startOfTail(log, size, scope.tailBytes());
        long before = from > 0 ? Parallel.countNewlines(log, 0, from) : 0;
        WindowScan.Result result = scan(log, from, size, before);
        int step = 0;
        while (!scope.wholeFile() && from > 0 && !anyVerdictMatch(result.matches(), ex) && step < WIDER.length) {
            long wider = startOfTail(log, size, Math.max(WIDER[step++], scope.tailBytes()));
            if (wider >= from) {
                continue;
            }
            before -= Parallel.countNewlines(log, wider, from);
            from = wider;
            result = scan(log, from, size, before);
        }
        long totalNewlines = before + result.newlines();
        List<WindowScan.Match> kernelMatches = List.of();
        if (kernel != null && kernel.size() > 0) {
            long k = Math.max(0, kernel.size() - (4L << 20));
            kernelMatches = new WindowScan(c, warnings).run(kernel, k, kernel.size(), 0).matches();
        }
        Candidate winner = pick(result, kernelMatches, ex);
        if (winner == null) {
            return unknown(log, result, ex, totalNewlines);
        }
        return verdict(winner, log, result, ex, totalNewlines);
    }

    /**
     * Scans [from, to): in one piece, or for a big range in parts on several threads, each part
     * starting at a line start, then joined with the line numbers shifted by the parts before.
     */
    private WindowScan.Result scan(Bytes log, long from, long to, long before) {
        List<Long> bounds = Parallel.split(log, from, to, minPart, threads);
        if (bounds.size() <= 2) {
            return new WindowScan(c, warnings).run(log, from, to, before);
        }
        Consumer<String> safe = msg -> {
            synchronized (warnings) {
                warnings.accept(msg);
            }
        };
        List<WindowScan.Result> parts = Parallel.map(bounds.size() - 1,
                i -> new WindowScan(c, safe).run(log, bounds.get(i), bounds.get(i + 1), 0));
        List<WindowScan.Match> matches = new ArrayList<>();
        List<WindowScan.Marker> markers = new ArrayList<>();
        int[] kept = new int[c.rules.size()];
        Set<Long> seen = new HashSet<>();
        long offset = before;
        for (WindowScan.Result part : parts) {
            for (WindowScan.Match m : part.matches()) {
                long line = m.line() + offset;
                if (kept[m.rule()] < WindowScan.KEEP_PER_RULE && seen.add(line * 100_003 + m.rule())) {
                    kept[m.rule()]++;
                    matches.add(new WindowScan.Match(m.rule(), m.lineStart(), line, m.text(), m.gpu()));
                }
            }
            for (WindowScan.Marker mk : part.markers()) {
                markers.add(new WindowScan.Marker(mk.kind(), mk.lineStart(), mk.line() + offset));
            }
            offset += part.newlines();
        }
        return new WindowScan.Result(matches, markers, offset - before);
    }

    /** Start of the last {@code tail} bytes, moved to the next line start (unless the line is huge). */
    static long startOfTail(Bytes log, long size, long tail) {
        if (size <= tail) {
            return 0;
        }
        long from = size - tail;
        byte[] probe = log.slice(from - 1, 64 * 1024);
        for (int i = 0; i < probe.length; i++) {
            if (probe[i] == '\n') {
                return from + i;
            }
        }
        return from;
    }

    private boolean anyVerdictMatch(List<WindowScan.Match> matches, ExitInfo exit) {
        for (WindowScan.Match m : matches) {
            Rule r = c.rules.get(m.rule());
            if (c.verdictRule[m.rule()] && r.exitMatches(exit)) {
                return true;
            }
        }
        return false;
    }

    private Candidate pick(WindowScan.Result result, List<WindowScan.Match> kernelMatches, ExitInfo exit) {
        Set<WindowScan.Match> consequences = consequences(result);
        List<Candidate> candidates = new ArrayList<>();
        for (WindowScan.Match m : result.matches()) {
            Rule r = c.rules.get(m.rule());
            if (c.verdictRule[m.rule()] && !consequences.contains(m) && r.exitMatches(exit)) {
                candidates.add(new Candidate(r, m, false, m.line()));
            }
        }
        for (WindowScan.Match m : kernelMatches) {
            Rule r = c.rules.get(m.rule());
            if (c.verdictRule[m.rule()] && r.exitMatches(exit)) {
                candidates.add(new Candidate(r, m, true, Long.MAX_VALUE - 1));
            }
        }
        if (exit.isKnown()) {
            for (int i = 0; i < c.rules.size(); i++) {
                Rule r = c.rules.get(i);
                if (r.patterns().isEmpty() && c.verdictRule[i] && r.exitMatches(exit)) {
                    candidates.add(new Candidate(r, null, false, Long.MAX_VALUE));
                }
            }
        }
        return candidates.stream()
                .max(Comparator.comparingInt((Candidate k) -> k.rule().priority())
                        .thenComparing(Comparator.comparingLong(Candidate::order).reversed()))
                .orElse(null);
    }

    /**
     * Matches inside the exception that Python raised while handling an earlier one ("During
     * handling of the above exception..." / "The above exception was the direct cause..."), when
     * the earlier one itself matched a rule: they are echoes of the first error, not its cause.
     */
    private Set<WindowScan.Match> consequences(WindowScan.Result result) {
        List<Long> tracebacks = new ArrayList<>();
        List<Long> chains = new ArrayList<>();
        for (WindowScan.Marker mk : result.markers()) {
            (mk.kind() == Compiled.MARK_TRACEBACK ? tracebacks : chains).add(mk.line());
        }
        Set<WindowScan.Match> out = new HashSet<>();
        for (long chain : chains) {
            long causeStart = chain - TRACEBACK_REACH;
            for (long tb : tracebacks) {
                if (tb < chain) {
                    causeStart = Math.max(causeStart, tb);
                }
            }
            boolean causeMatched = false;
            for (WindowScan.Match m : result.matches()) {
                if (c.verdictRule[m.rule()] && m.line() >= causeStart && m.line() < chain) {
                    causeMatched = true;
                    break;
                }
            }
            if (!causeMatched) {
                continue;
            }
            long end = chain + CHAIN_REACH;
            int seen = 0;
            for (long tb : tracebacks) {
                if (tb > chain && ++seen == 2) {
                    end = Math.min(end, tb);
                    break;
                }
            }
            for (WindowScan.Match m : result.matches()) {
                if (m.line() > chain && m.line() < end) {
                    out.add(m);
                }
            }
        }
        return out;
    }

    private Verdict verdict(Candidate winner, Bytes log, WindowScan.Result result, ExitInfo exit, long totalNewlines) {
        Rule rule = winner.rule();
        List<Evidence> evidence = new ArrayList<>();
        Action action = rule.action();
        if (winner.match() == null) {
            evidence.add(new Evidence(0, exit.describe()));
            evidence.addAll(lastLines(log, totalNewlines, 2));
        } else if (winner.kernel()) {
            evidence.add(new Evidence(0, "kernel: " + winner.match().text()));
            if (action instanceof Action.ExcludeGpu && winner.match().gpu() != null) {
                action = new Action.ExcludeGpu(winner.match().gpu());
            }
        } else {
            WindowScan.Match primary = winner.match();
            evidence.add(new Evidence(toInt(primary.line()), primary.text()));
            if (action instanceof Action.ExcludeGpu && primary.gpu() != null) {
                action = new Action.ExcludeGpu(primary.gpu());
            }
            List<Evidence> context = new ArrayList<>(tracebackHead(log, result, primary));
            int more = 0;
            for (WindowScan.Match m : result.matches()) {
                if (m.rule() == primary.rule() && m.line() != primary.line() && more < MORE_LINES_OF_WINNER
                        && context.stream().noneMatch(e -> e.line() == m.line())) {
                    context.add(new Evidence(toInt(m.line()), m.text()));
                    more++;
                }
            }
            context.sort(Comparator.comparingInt(Evidence::line));
            evidence.addAll(context);
        }
        return new Verdict(rule.category(), rule.id(), rule.retryable(), action, rule.suggestion(), rule.link(), evidence);
    }

    /**
     * The "Traceback (most recent call last):" line above the error and the innermost frame. The
     * error is the first line of the winning rule that has a traceback above it (a CUDA assert
     * prints its kernel lines first and the Python traceback after them).
     */
    private List<Evidence> tracebackHead(Bytes log, WindowScan.Result result, WindowScan.Match primary) {
        for (WindowScan.Match m : result.matches()) {
            if (m.rule() != primary.rule() || m.line() < primary.line()) {
                continue;
            }
            WindowScan.Marker header = null;
            for (WindowScan.Marker mk : result.markers()) {
                if (mk.kind() == Compiled.MARK_TRACEBACK && mk.line() < m.line() && m.line() - mk.line() <= TRACEBACK_REACH) {
                    header = mk;
                }
            }
            if (header != null && m.lineStart() - header.lineStart() <= CONTEXT_BYTES) {
                return tracebackHead(log, header, m);
            }
        }
        return List.of();
    }

    private List<Evidence> tracebackHead(Bytes log, WindowScan.Marker header, WindowScan.Match error) {
        byte[] bytes = log.slice(header.lineStart(), (int) (error.lineStart() - header.lineStart()));
        String[] lines = new String(bytes, StandardCharsets.UTF_8).split("\n", -1);
        List<Evidence> out = new ArrayList<>();
        out.add(new Evidence(toInt(header.line()), WindowScan.display(lines[0], lines[0].indexOf("Traceback"))));
        for (int i = lines.length - 1; i > 0; i--) {
            if (FRAME.matcher(lines[i]).find()) {
                out.add(new Evidence(toInt(header.line() + i), WindowScan.display(lines[i], 0)));
                break;
            }
        }
        return out;
    }

    private Verdict unknown(Bytes log, WindowScan.Result result, ExitInfo exit, long totalNewlines) {
        CategoryInfo cat = c.categories.get(Verdict.UNKNOWN);
        List<Evidence> evidence = new ArrayList<>();
        if (exit.isKnown()) {
            evidence.add(new Evidence(0, exit.describe()));
        }
        WindowScan.Marker last = null;
        for (WindowScan.Marker mk : result.markers()) {
            if (mk.kind() == Compiled.MARK_TRACEBACK) {
                last = mk;
            }
        }
        if (last != null) {
            byte[] bytes = log.slice(last.lineStart(), 64 * 1024);
            String[] lines = new String(bytes, StandardCharsets.UTF_8).split("\n", -1);
            evidence.add(new Evidence(toInt(last.line()), WindowScan.display(lines[0], 0)));
            for (int i = 1; i < lines.length - 1 && i < 400; i++) {
                String l = lines[i].strip();
                if (EXCEPTION_LINE.matcher(l).matches()) {
                    evidence.add(new Evidence(toInt(last.line() + i), WindowScan.display(l, 0)));
                    break;
                }
            }
        }
        for (Evidence e : lastLines(log, totalNewlines, 3)) {
            if (evidence.stream().noneMatch(x -> x.line() == e.line())) {
                evidence.add(e);
            }
        }
        if (log.size() == 0) {
            evidence.add(new Evidence(0, EMPTY_LOG));
        }
        return new Verdict(Verdict.UNKNOWN, Verdict.UNKNOWN, cat.retryable(), cat.action(), cat.suggestion(), cat.link(), evidence);
    }

    /** The last {@code count} non-blank lines of the log (as a terminal shows them), with line numbers. */
    static List<Evidence> lastLines(Bytes log, long totalNewlines, int count) {
        long size = log.size();
        if (size == 0) {
            return List.of();
        }
        int len = (int) Math.min(16 * 1024, size);
        byte[] bytes = log.slice(size - len, len);
        String text = new String(bytes, StandardCharsets.UTF_8);
        String[] lines = text.split("\n", -1);
        // the line number of the last element: a text ending in '\n' ends with an empty element
        long lineOfLast = totalNewlines + 1;
        List<Evidence> out = new ArrayList<>();
        int first = len < size ? 1 : 0; // the first element may be a partial line
        for (int i = lines.length - 1; i >= first && out.size() < count; i--) {
            String shown = WindowScan.display(lines[i].replaceAll("\u001B\\[[0-9;?]*[ -/]*[@-~]", ""),
                    Math.max(0, lines[i].lastIndexOf('\r') + 1));
            if (!shown.isBlank()) {
                out.add(0, new Evidence(toInt(lineOfLast - (lines.length - 1 - i)), shown));
            }
        }
        return out;
    }

    private static int toInt(long line) {
        return (int) Math.min(Integer.MAX_VALUE, Math.max(0, line));
    }
}
