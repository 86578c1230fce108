package dev.warden.data;

import dev.warden.data.Finding.Status;
import dev.warden.spec.Sizes;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/** Turns what was read (a {@link Tally}) into findings with figures, line numbers and fixes. */
final class ReportBuilder {
    private final Path file;
    private final String f;
    private final DataCheckOptions opts;
    private final long fileBytes;

    ReportBuilder(Path file, DataCheckOptions opts, long fileBytes) {
        this.file = file;
        this.f = Shell.quote(file.toString());
        this.opts = opts;
        this.fileBytes = fileBytes;
    }

    /** A report with one failing file finding: the file is empty, binary, or not JSON Lines at all. */
    DataReport notJsonl(Container.Other why, long bytesRead) {
        Finding fail = new Finding("file", Status.FAIL, why.what(), Map.of("bytes_on_disk", fileBytes),
                List.of(), List.of(), why.fix());
        return new DataReport(file, DataFormat.UNKNOWN.id(), "not read", "not measured", opts.maxTokens(),
                0, 0, bytesRead, false, List.of(fail));
    }

    /** What the run ended with, besides the tally. */
    record Read(DataFormat format, FormatDetector.Detected detected, TokenCounter counter, boolean gzip,
                long textBytes, String streamProblem, boolean sampled) {}

    DataReport build(Tally t, Read r) {
        List<Finding> out = new ArrayList<>();
        out.add(fileFinding(t, r));
        if (t.records == 0 && t.count(LineIssue.MALFORMED) == 0 && t.count(LineIssue.FIELDS) == 0
                && t.count(LineIssue.OVERSIZE) == 0 && r.streamProblem() == null) {
            out.set(0, new Finding("file", Status.FAIL, "no records: " + count(t.lines) + " blank line" + s(t.lines),
                    Map.of("lines", t.lines), List.of(), List.of(), "regenerate the file; the step that wrote it wrote nothing"));
            return report(t, r, out);
        }
        out.add(encoding(t));
        out.add(malformed(t));
        out.add(fields(t, r));
        out.add(empty(t));
        if (t.count(LineIssue.OVERSIZE) > 0) {
            out.add(oversize(t));
        }
        out.add(length(t, r));
        out.add(duplicates(t));
        out.add(diversity(t));
        out.add(contradictions(t, r.format()));
        return report(t, r, out);
    }

    private DataReport report(Tally t, Read r, List<Finding> findings) {
        String source = opts.format() != null ? "given"
                : r.detected().format() == DataFormat.UNKNOWN ? "not detected"
                : "detected from the first " + r.detected().looked() + " record" + s(r.detected().looked());
        return new DataReport(file, r.format().id(), source, r.counter().describe(), opts.maxTokens(),
                t.lines, t.records, r.textBytes(), r.sampled(), findings);
    }

    private Finding fileFinding(Tally t, Read r) {
        Map<String, Object> n = numbers("bytes_on_disk", fileBytes, "bytes_of_text", r.textBytes(), "gzip", r.gzip());
        if (r.streamProblem() != null) {
            return new Finding("file", Status.FAIL, "the gzip stream breaks off after " + Sizes.format(r.textBytes())
                    + " of text (line " + count(t.lines) + "): " + r.streamProblem(), n, List.of(t.lines), List.of(),
                    "the file is cut off or corrupt (gzip -t " + f + " tests it): copy or export it again");
        }
        String what = r.gzip() ? "gzip'd JSON Lines: " + Sizes.format(fileBytes) + " on disk, " + Sizes.format(r.textBytes()) + " of text"
                : "JSON Lines, " + Sizes.format(fileBytes);
        if (r.sampled()) {
            what += "; only the first " + count(t.lines) + " lines were read (--sample)";
        }
        return Finding.pass("file", what, n);
    }

    private Finding encoding(Tally t) {
        long bom = t.count(LineIssue.BOM);
        long blank = t.count(LineIssue.BLANK);
        long crlf = t.count(LineIssue.CRLF);
        Map<String, Object> n = numbers("bom_lines", bom, "blank_lines", blank, "crlf_lines", crlf);
        String crlfNote = crlf == 0 ? "" : "; CRLF line endings on " + count(crlf) + " line" + s(crlf) + " (harmless for JSON)";
        if (bom == 0 && blank == 0) {
            return Finding.pass("encoding", "UTF-8 text" + (crlf == 0 ? ", LF line endings" : crlfNote), n);
        }
        List<String> what = new ArrayList<>();
        List<String> fixes = new ArrayList<>();
        List<Long> lines = new ArrayList<>();
        List<String> examples = new ArrayList<>();
        if (bom > 0) {
            List<Long> at = t.log(LineIssue.BOM).lines();
            boolean onlyFirst = bom == 1 && at.get(0) == 1;
            what.add(onlyFirst ? "a UTF-8 byte-order mark starts line 1"
                    : "a UTF-8 byte-order mark starts " + count(bom) + " line" + s(bom) + " (first: " + join(at) + "; files joined with cat?)");
            fixes.add("strip it: sed -i '" + (onlyFirst ? "1" : "") + "s/^\\xEF\\xBB\\xBF//' " + f);
            lines.addAll(at);
            at.forEach(l -> examples.add("line " + l + ": byte-order mark"));
        }
        if (blank > 0) {
            List<Long> at = t.log(LineIssue.BLANK).lines();
            what.add(count(blank) + " blank line" + s(blank) + " (first: " + join(at) + ")");
            fixes.add("drop blank lines: sed -i '/^[[:space:]]*$/d' " + f);
            lines.addAll(at);
            at.forEach(l -> examples.add("line " + l + ": blank"));
        }
        return new Finding("encoding", Status.WARN, String.join("; ", what) + " (json.loads on each line, read as text, fails on "
                + (bom > 0 && blank > 0 ? "both" : "it") + ")" + crlfNote, n, lines, examples,
                String.join("; ", fixes));
    }

    private Finding malformed(Tally t) {
        long bad = t.count(LineIssue.MALFORMED);
        IssueLog log = t.log(LineIssue.MALFORMED);
        Map<String, Object> n = numbers("malformed_lines", bad, "lines", t.lines);
        if (bad == 0) {
            return Finding.pass("malformed", "every line is one JSON object", n);
        }
        boolean cutOff = t.lastLineProblem != null && t.lastLineProblem.startsWith("the line ends");
        String msg = count(bad) + " of " + count(t.lines) + " lines " + (bad == 1 ? "is" : "are") + " not a valid JSON object; "
                + log.examples().get(0) + (cutOff ? "; the last line is cut off" : "");
        String fix = (cutOff ? "the last line ends early, so the file was not fully written or copied: make it again; " : "")
                + "fix or drop the bad lines (sed -n " + log.lines().get(0) + "p " + f + " shows the first); "
                + "a trainer's JSON loader stops at the first one";
        return new Finding("malformed", Status.FAIL, msg, n, log.lines(), log.examples(), fix);
    }

    private Finding fields(Tally t, Read r) {
        DataFormat fmt = r.format();
        if (fmt == DataFormat.UNKNOWN) {
            FormatDetector.Detected d = r.detected();
            String msg = d.looked() == 0 ? "no record layout: none of the first lines is a JSON object"
                    : "no known record layout: the first record has keys " + d.firstKeys()
                    + (d.hint().isEmpty() ? "" : "; " + d.hint());
            return new Finding("fields", Status.FAIL, msg, numbers("records", t.records), List.of(), List.of(),
                    "Warden knows chat (messages [{role, content}]), prompt_completion (prompt, completion) and text (text): "
                            + "convert the records, or pass --format if the detection is wrong");
        }
        long bad = t.count(LineIssue.FIELDS);
        IssueLog log = t.log(LineIssue.FIELDS);
        Map<String, Object> n = numbers("bad_records", bad, "records", t.records);
        String as = fmt.id() + (opts.format() == null ? ", detected" : "");
        if (bad == 0) {
            return Finding.pass("fields", "every record has " + fmt.fields() + " (" + as + ")", n);
        }
        return new Finding("fields", Status.FAIL, count(bad) + " record" + s(bad) + " lack or mistype " + fmt.fields()
                + " (" + as + "); " + log.examples().get(0), n, log.lines(), log.examples(),
                "give every record " + shape(fmt) + ", or pass --format if the file is another layout");
    }

    private static String shape(DataFormat fmt) {
        return switch (fmt) {
            case CHAT -> "{\"messages\": [{\"role\": \"user\", \"content\": \"...\"}, {\"role\": \"assistant\", \"content\": \"...\"}]}";
            case PROMPT_COMPLETION -> "{\"prompt\": \"...\", \"completion\": \"...\"}";
            default -> "{\"text\": \"...\"}";
        };
    }

    private Finding empty(Tally t) {
        long bad = t.count(LineIssue.EMPTY);
        IssueLog log = t.log(LineIssue.EMPTY);
        Map<String, Object> n = numbers("empty_records", bad, "records", t.records);
        if (bad == 0) {
            return Finding.pass("empty", "no empty prompts, answers or texts", n);
        }
        return new Finding("empty", Status.WARN, count(bad) + " record" + s(bad) + " with empty text; " + log.examples().get(0),
                n, log.lines(), log.examples(), "drop or fill them: an empty answer teaches the model to say nothing");
    }

    private Finding oversize(Tally t) {
        long n = t.count(LineIssue.OVERSIZE);
        IssueLog log = t.log(LineIssue.OVERSIZE);
        return new Finding("long_lines", Status.WARN, count(n) + " line" + s(n) + " too long to read were skipped unparsed; "
                + log.examples().get(0), numbers("skipped_lines", n), log.lines(), log.examples(),
                "split or drop them: a line of megabytes is almost always an export bug (a whole file on one line?)");
    }

    private Finding length(Tally t, Read r) {
        LengthStats l = t.lengths;
        boolean est = r.counter().estimated();
        double share = l.count() == 0 ? 0 : (double) l.over() / l.count();
        Map<String, Object> n = numbers("max_tokens", opts.maxTokens(), "measured", l.count(), "over", l.over(),
                "over_share", round(share), "median", l.quantile(0.5), "p95", l.quantile(0.95), "max", l.max(),
                "max_line", l.maxLine(), "estimated", est, "method", r.counter().describe());
        if (l.count() == 0) {
            return Finding.pass("length", "no records to measure", n);
        }
        String dist = "median " + count(l.quantile(0.5)) + ", p95 " + count(l.quantile(0.95)) + ", max "
                + count(l.max()) + " (line " + l.maxLine() + ")" + (est ? ", estimated" : "");
        if (l.over() == 0) {
            return Finding.pass("length", "all " + count(l.count()) + " records fit in " + count(opts.maxTokens())
                    + " tokens: " + dist, n);
        }
        boolean fail = share > opts.maxOverShare();
        String msg = count(l.over()) + " of " + count(l.count()) + " records (" + pct(share) + ") exceed "
                + count(opts.maxTokens()) + " tokens" + (est ? " (estimated)" : "")
                + (fail ? ", above the " + pct(opts.maxOverShare()) + " limit" : " and will be truncated") + "; " + dist;
        long needed = l.quantile(1 - opts.maxOverShare());
        String fix = (fail ? "raise max_tokens to at least " + count(needed) + " (keeps under " + pct(opts.maxOverShare())
                + " truncated), or drop or split the long records" : "check the truncated ones are fine to cut")
                + (est ? "; pass --tokenizer tokenizer.json for real counts" : "");
        return new Finding("length", fail ? Status.FAIL : Status.WARN, msg, n, l.overLog().lines(), l.overLog().examples(), fix);
    }

    private Finding duplicates(Tally t) {
        boolean exact = t.distinct.exact();
        long dups = Math.min(t.records, t.distinct.duplicates());
        double share = t.records == 0 ? 0 : (double) dups / t.records;
        Map<String, Object> n = numbers("duplicates", dups, "records", t.records, "share", round(share), "exact", exact,
                "compared", "the format's text fields, trimmed; other fields ignored");
        String sampleNote = exact ? "" : " (estimated: the exact set outgrew its memory budget, so 1 in "
                + (1L << t.distinct.level()) + " distinct records was followed)";
        if (dups == 0) {
            return Finding.pass("duplicates", "no exact duplicates among " + count(t.records) + " records" + sampleNote, n);
        }
        IssueLog log = t.duplicates;
        return new Finding("duplicates", Status.WARN, (exact ? "" : "about ") + count(dups) + " record" + s(dups) + " ("
                + pct(share) + ") repeat an earlier one" + sampleNote + "; " + first(log),
                n, log.lines(), log.examples(), "deduplicate, keeping the first of each: a repeated example weighs double");
    }

    private Finding diversity(Tally t) {
        long distinct = Math.max(0, t.records - t.distinct.duplicates());
        double unique = t.records == 0 ? 1 : (double) distinct / t.records;
        Map<String, Object> n = numbers("distinct", distinct, "records", t.records, "unique_share", round(unique),
                "min_unique_share", opts.minUniqueShare(), "exact", t.distinct.exact());
        if (unique >= opts.minUniqueShare()) {
            return Finding.pass("diversity", pct(unique) + " of records are unique (FAIL below " + pct(opts.minUniqueShare()) + ")", n);
        }
        return new Finding("diversity", Status.FAIL, "only " + pct(unique) + " of records are unique (" + count(distinct)
                + " distinct of " + count(t.records) + "), below " + pct(opts.minUniqueShare()), n, List.of(), List.of(),
                "the data repeats a few examples over and over: check the step that generated or exported it");
    }

    private Finding contradictions(Tally t, DataFormat fmt) {
        if (fmt == DataFormat.TEXT || fmt == DataFormat.UNKNOWN) {
            return Finding.pass("contradictions", "not applicable: " + fmt.id() + " records have no prompt and answer",
                    numbers("prompts", 0));
        }
        boolean exact = t.prompts.exact();
        long c = t.prompts.contradicted();
        Map<String, Object> n = numbers("contradicted_prompts", c, "prompts", t.prompts.prompts(),
                "records_with_answers", t.promptsChecked, "exact", exact);
        if (exact) {
            n.put("disagreeing_records", t.disagreeing);
        }
        if (t.promptsChecked == 0) {
            return Finding.pass("contradictions", "no record ends with an answer to compare", n);
        }
        String sampleNote = exact ? "" : " (estimated from a sample of prompts: the exact table outgrew its memory budget)";
        if (c == 0) {
            return Finding.pass("contradictions", "no prompt has two different answers" + sampleNote, n);
        }
        IssueLog log = t.contradictions;
        return new Finding("contradictions", Status.WARN, (exact ? "" : "about ") + count(c) + " prompt" + s(c)
                + " appear with different answers" + sampleNote + "; " + first(log), n, log.lines(), log.examples(),
                "keep one answer per prompt, unless several answers are intended (sampled completions)");
    }

    // ---- formatting

    private static String first(IssueLog log) {
        return log.examples().isEmpty() ? "" : log.examples().get(0);
    }

    private static Map<String, Object> numbers(Object... kv) {
        Map<String, Object> m = new LinkedHashMap<>();
        for (int i = 0; i < kv.length; i += 2) {
            m.put((String) kv[i], kv[i + 1]);
        }
        return m;
    }

    static String count(long n) {
        return String.format(Locale.ROOT, "%,d", n);
    }

    static String pct(double share) {
        double p = share * 100;
        if (p > 0 && p < 0.1) {
            return "<0.1%";
        }
        return (p == Math.rint(p) ? String.format(Locale.ROOT, "%.0f", p) : String.format(Locale.ROOT, "%.1f", p)) + "%";
    }

    private static double round(double share) {
        return Math.round(share * 1e6) / 1e6;
    }

    private static String s(long n) {
        return n == 1 ? "" : "s";
    }

    private static String join(List<Long> lines) {
        StringBuilder b = new StringBuilder();
        for (Long l : lines) {
            b.append(b.length() == 0 ? "" : ", ").append(l);
        }
        return b.toString();
    }
}
