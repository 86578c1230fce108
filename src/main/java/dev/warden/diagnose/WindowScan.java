package dev.warden.diagnose;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.function.Consumer;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Scans one byte range of a log: finds the catalog's literals, runs the owning patterns on those
 * lines only, and records rule matches and traceback markers with exact 1-based line numbers.
 * Memory stays bounded: the range is read in 8 MiB chunks, a line fed to a regex is at most 8 KiB
 * around the hit, and each rule keeps its first {@value #KEEP_PER_RULE} matches.
 */
final class WindowScan {
    static final int CHUNK = 8 << 20;
    static final int CONTEXT = 4096;
    static final int KEEP_PER_RULE = 20;
    private static final int DISPLAY = 400;
    private static final int SLOW_STRIKES = 3;
    private static final Pattern ANSI = Pattern.compile("\u001B\\[[0-9;?]*[ -/]*[@-~]|\u001B[()][0-9A-Za-z]");

    /** A rule that matched a line. {@code line} is 1-based; {@code text} is what a person should read. */
    record Match(int rule, long lineStart, long line, String text, String gpu) {}

    /** A traceback header or chain marker ("During handling of the above exception...") line. */
    record Marker(int kind, long lineStart, long line) {}

    record Result(List<Match> matches, List<Marker> markers, long newlines) {}

    private final Compiled c;
    private final Consumer<String> warnings;
    private final int chunk;
    private final int[] strikes;
    private final boolean[] disabled;
    private final int[] kept;
    private final long[] lastLineMatched;
    private final List<Match> matches = new ArrayList<>();
    private final List<Marker> markers = new ArrayList<>();
    private final Set<Long> benignLines = new HashSet<>();
    private long lastMarkerLine = -1;

    WindowScan(Compiled c, Consumer<String> warnings) {
        this(c, warnings, CHUNK);
    }

    /** With a smaller chunk size, for tests of lines and literals that straddle chunk boundaries. */
    WindowScan(Compiled c, Consumer<String> warnings, int chunk) {
        if (chunk <= CONTEXT) {
            throw new IllegalArgumentException("chunk must be larger than " + CONTEXT);
        }
        this.c = c;
        this.warnings = warnings;
        this.chunk = chunk;
        int n = c.rules.size();
        this.strikes = new int[n];
        this.disabled = new boolean[n];
        this.kept = new int[n];
        this.lastLineMatched = new long[n];
    }

    /** Scans [from, to); {@code newlinesBefore} is the count of '\n' before {@code from}. */
    Result run(Bytes src, long from, long to, long newlinesBefore) {
        Arrays.fill(lastLineMatched, -1);
        int ahead = Math.max(CONTEXT, c.maxLiteralBytes);
        byte[] buf = new byte[(int) Math.min(chunk, Math.max(0, to - from)) + CONTEXT + ahead];
        long newlines = newlinesBefore;
        long[] hits = new long[1024];
        for (long chunkStart = from; chunkStart < to; chunkStart += chunk) {
            long chunkEnd = Math.min(to, chunkStart + chunk);
            long readStart = Math.max(0, chunkStart - CONTEXT);
            long readEnd = Math.min(src.size(), chunkEnd + ahead);
            int n = readFully(src, readStart, buf, (int) (readEnd - readStart));
            int lo = (int) (chunkStart - readStart);
            int hi = (int) Math.min(n, chunkEnd - readStart);
            if (hi <= lo) {
                break;
            }
            HitList list = new HitList(hits);
            if (c.longScanner != null) {
                c.longScanner.scan(buf, lo, hi, n, (lit, off) -> list.add(off, c.longIds[lit]));
            }
            if (c.shortScanner != null) {
                c.shortScanner.scan(buf, lo, hi, n, (lit, off) -> list.add(off, c.shortIds[lit]));
            }
            hits = list.array;
            long atLo = newlines;
            newlines = processHits(buf, n, lo, hi, readStart, list, newlines);
            if (c.everyLine.length > 0) {
                everyLine(buf, n, lo, hi, readStart, atLo);
            }
        }
        if (!benignLines.isEmpty()) {
            matches.removeIf(m -> c.verdictRule[m.rule()] && benignLines.contains(m.line()));
        }
        matches.sort(Comparator.comparingLong(Match::line));
        return new Result(matches, markers, newlines - newlinesBefore);
    }

    /** Growable array of (offset << 20 | literal), sorted before use. */
    private static final class HitList {
        long[] array;
        int size;

        HitList(long[] reuse) {
            array = reuse;
        }

        void add(int offset, int literal) {
            if (size == array.length) {
                array = Arrays.copyOf(array, size * 2);
            }
            array[size++] = ((long) offset << 20) | literal;
        }
    }

    private long processHits(byte[] buf, int n, int lo, int hi, long readStart, HitList list, long newlinesAtLo) {
        long[] h = list.array;
        int size = list.size;
        Arrays.sort(h, 0, size);
        long newlines = newlinesAtLo;
        int countedTo = lo;
        int i = 0;
        while (i < size) {
            int off = (int) (h[i] >>> 20);
            int lineStart = lineStart(buf, off);
            int lineEnd = lineEnd(buf, off, n);
            if (lineStart > countedTo) {
                newlines += Bytes.newlines(buf, countedTo, lineStart);
                countedTo = lineStart;
            }
            long lineNo = newlines + 1;
            int j = i;
            while (j < size && (int) (h[j] >>> 20) < lineEnd) {
                j++;
            }
            evaluateLine(buf, lineStart, lineEnd, off, h, i, j, readStart, lineNo);
            i = j;
        }
        if (hi > countedTo) {
            newlines += Bytes.newlines(buf, countedTo, hi);
        }
        return newlines;
    }

    private void evaluateLine(byte[] buf, int lineStart, int lineEnd, int firstHit, long[] h, int from, int to,
                              long readStart, long lineNo) {
        long absLineStart = readStart + lineStart;
        String clean = null;
        boolean code = isTracebackSource(buf, lineStart);
        for (int k = from; k < to; k++) {
            int lit = (int) (h[k] & 0xFFFFF);
            for (int owner : c.owners[lit]) {
                if (owner < 0) {
                    if (lineNo != lastMarkerLine) {
                        markers.add(new Marker(owner, absLineStart, lineNo));
                        lastMarkerLine = lineNo;
                    }
                    continue;
                }
                int r = Compiled.ruleIndex(owner);
                if (code || disabled[r] || lastLineMatched[r] == lineNo) {
                    continue;
                }
                if (clean == null) {
                    clean = decode(buf, lineStart, lineEnd, firstHit);
                }
                tryRule(r, Compiled.patternIndex(owner), clean, absLineStart, lineNo);
            }
        }
    }

    private void everyLine(byte[] buf, int n, int lo, int hi, long readStart, long newlinesAtLo) {
        int start = lo;
        long lineNo = newlinesAtLo + 1;
        if (lo > 0 && buf[lo - 1] != '\n') {
            // this line began in the previous chunk, which already tried it
            int nl = indexOf(buf, (byte) '\n', lo, n);
            if (nl < 0) {
                return;
            }
            start = nl + 1;
            lineNo++;
        }
        while (start < hi) {
            int nl = indexOf(buf, (byte) '\n', start, n);
            String clean = decode(buf, start, nl < 0 ? n : nl, start);
            for (int owner : c.everyLine) {
                int r = Compiled.ruleIndex(owner);
                if (!disabled[r] && lastLineMatched[r] != lineNo) {
                    tryRule(r, Compiled.patternIndex(owner), clean, readStart + start, lineNo);
                }
            }
            if (nl < 0) {
                break;
            }
            start = nl + 1;
            lineNo++;
        }
    }

    private void tryRule(int r, int p, String clean, long absLineStart, long lineNo) {
        Rule rule = c.rules.get(r);
        RulePattern pattern = rule.patterns().get(p);
        int at;
        String gpu = null;
        try {
            if (pattern.literal()) {
                at = clean.indexOf(pattern.source());
                if (at < 0) {
                    return;
                }
            } else {
                Matcher m = GuardedText.matcher(pattern.regex(), clean);
                if (!m.find()) {
                    return;
                }
                at = m.start();
                if (pattern.source().contains("(?<gpu>")) {
                    gpu = m.group("gpu");
                }
            }
            for (RulePattern u : rule.unless()) {
                if (u.literal() ? clean.contains(u.source()) : GuardedText.find(u.regex(), clean)) {
                    return;
                }
            }
        } catch (GuardedText.TooSlow e) {
            if (++strikes[r] >= SLOW_STRIKES) {
                disabled[r] = true;
                warnings.accept("rule '" + rule.id() + "' (" + rule.origin() + "): its regex gave up on " + SLOW_STRIKES
                        + " lines (last: line " + lineNo + ") because it backtracks too much; rule switched off for this log; simplify the regex");
            }
            return;
        }
        lastLineMatched[r] = lineNo;
        if (!c.verdictRule[r]) {
            benignLines.add(lineNo);
        }
        if (kept[r] < KEEP_PER_RULE) {
            kept[r]++;
            matches.add(new Match(r, absLineStart, lineNo, display(clean, at), gpu));
        }
    }

    private static final byte[] FILE_QUOTE = "File \"".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] RANK_END = "]:".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] LINE_MARK = "\", line ".getBytes(StandardCharsets.US_ASCII);

    /**
     * Whether the line is a source line printed under a traceback frame ({@code File "x.py", line N}):
     * code such as {@code raise RuntimeError('Error(s) in loading state_dict ...')} quotes the
     * message without the error having happened there.
     */
    static boolean isTracebackSource(byte[] buf, int lineStart) {
        if (lineStart < 2 || buf[lineStart - 1] != '\n') {
            return false;
        }
        int i = lineStart;
        if (buf[i] == '[') {
            // torchrun's "[rank0]:" prefix
            int close = indexOf(buf, RANK_END, i, Math.min(buf.length, i + 16));
            if (close < 0) {
                return false;
            }
            i = close + RANK_END.length;
        }
        // source lines are indented under the frame; the exception line itself is not
        if (i + 1 >= buf.length || buf[i] != ' ' || buf[i + 1] != ' ') {
            return false;
        }
        int prevStart = lineStart(buf, lineStart - 1);
        int prevEnd = lineStart - 1;
        return indexOf(buf, FILE_QUOTE, prevStart, prevEnd) >= 0 && indexOf(buf, LINE_MARK, prevStart, prevEnd) >= 0;
    }

    private static int indexOf(byte[] buf, byte[] needle, int from, int to) {
        outer:
        for (int i = from; i + needle.length <= to; i++) {
            for (int j = 0; j < needle.length; j++) {
                if (buf[i + j] != needle[j]) {
                    continue outer;
                }
            }
            return i;
        }
        return -1;
    }

    static int lineStart(byte[] buf, int off) {
        int min = Math.max(0, off - CONTEXT);
        for (int i = off - 1; i >= min; i--) {
            if (buf[i] == '\n') {
                return i + 1;
            }
        }
        return min;
    }

    static int lineEnd(byte[] buf, int off, int n) {
        int max = Math.min(n, off + CONTEXT);
        int nl = indexOf(buf, (byte) '\n', off, max);
        return nl < 0 ? max : nl;
    }

    private static int indexOf(byte[] buf, byte b, int from, int to) {
        for (int i = from; i < to; i++) {
            if (buf[i] == b) {
                return i;
            }
        }
        return -1;
    }

    /** The line as text: invalid UTF-8 replaced, terminal escapes removed, at most 8 KiB around the hit. */
    static String decode(byte[] buf, int start, int end, int hit) {
        int s = Math.max(start, hit - CONTEXT);
        int e = Math.min(end, hit + CONTEXT);
        if (e > s && buf[e - 1] == '\r') {
            e--;
        }
        String text = new String(buf, s, Math.max(0, e - s), StandardCharsets.UTF_8);
        return text.indexOf('\u001B') >= 0 ? ANSI.matcher(text).replaceAll("") : text;
    }

    /** The part a terminal would show: the \r-separated segment around the match, trimmed and shortened. */
    static String display(String clean, int at) {
        int segStart = Math.min(clean.length(), clean.lastIndexOf('\r', Math.max(0, at)) + 1);
        int segEnd = clean.indexOf('\r', segStart); // from the segment's start: `at` may sit on a \r itself
        String seg = clean.substring(segStart, segEnd < 0 ? clean.length() : segEnd);
        int rel = Math.max(0, at - segStart);
        seg = seg.replace('\t', ' ').replace('\u0000', ' ').strip();
        if (seg.length() <= DISPLAY) {
            return seg;
        }
        int from = Math.max(0, Math.min(rel - DISPLAY / 2, seg.length() - DISPLAY));
        String cut = seg.substring(from, Math.min(seg.length(), from + DISPLAY));
        return (from > 0 ? "…" : "") + cut + (from + DISPLAY < seg.length() ? "…" : "");
    }

    private static int readFully(Bytes src, long pos, byte[] buf, int len) {
        int n = 0;
        while (n < len) {
            int r = src.read(pos + n, buf, n, len - n);
            if (r <= 0) {
                break;
            }
            n += r;
        }
        return n;
    }
}
