package dev.warden.supervise;

/**
 * Turns each read of the log (a burst of lines; \n and \r end a line) into progress without running the patterns on
 * every line: a million progress lines cost a few regex matches per read. Of the whole lines of a read it parses, in
 * the order of the log:
 * <ul>
 * <li>the first candidate line (see {@link ProgressParser#interesting}): a burst from step 1 to 100 is a step change;
 * <li>every line whose loss may be non-finite, a "loss" followed by nan or inf: such a loss is never missed;
 * <li>found by walking back from the end, the last line that yields a step, the last that yields a total and the last
 * that yields a loss.
 * </ul>
 * So after each read step, total and loss are what parsing every line would give, unless the last
 * {@value #WALK_LIMIT} candidate lines of a read hold none of them (then they stand from the earlier lines parsed).
 * A line is read by its first 64 KiB. With the spec's own regexes every line is parsed: they may match anything.
 */
final class BurstParser {
    static final int WALK_LIMIT = 128;
    private static final int MAX = ProgressParser.MAX_LINE;

    private final ProgressParser parser;
    private final Progress progress;
    /** The unfinished last line of the reads so far, its first 64 KiB. */
    private final byte[] carry = new byte[MAX];
    private int carryLen;
    private long now;
    /** What the walk back found, last line first: the line's start in the read and its reading. */
    private final int[] foundAt = new int[3];
    private final LineReading[] found = new LineReading[3];
    private int foundCount;

    BurstParser(ProgressParser parser, Progress progress) {
        this.parser = parser;
        this.progress = progress;
    }

    /** The next n bytes of the log, in b. */
    void read(byte[] b, int n, long now) {
        this.now = now;
        if (parser.hasCustom()) {
            everyLine(b, n);
            return;
        }
        int last = LineScan.lastTerminator(b, 0, n);
        if (last < 0) {
            append(b, 0, n);
            return;
        }
        int floor = 0; // whole lines of this read from here to last; the first candidate is below
        boolean firstDone = false;
        if (carryLen > 0) {
            int end = LineScan.nextTerminator(b, 0, n);
            append(b, 0, end);
            floor = end + 1;
            if (ProgressParser.interesting(carry, 0, carryLen)) {
                parser.read(carry, 0, carryLen).applyTo(progress, now);
                firstDone = true;
            }
            carryLen = 0;
        }
        if (!firstDone) {
            floor = parseFirstCandidate(b, floor, last);
        }
        if (floor >= 0) {
            walkBack(b, floor, last);
            parseInOrder(b, floor, last);
        }
        append(b, last + 1, n - last - 1);
    }

    /** The log ended: its unfinished last line counts as a line. */
    void end() {
        if (carryLen > 0 && (parser.hasCustom() || ProgressParser.interesting(carry, 0, carryLen))) {
            parser.line(carry, 0, carryLen, progress, now);
        }
        carryLen = 0;
    }

    private void everyLine(byte[] b, int n) {
        int start = 0;
        int i;
        while ((i = LineScan.nextTerminator(b, start, n)) >= 0) {
            if (carryLen == 0) {
                parser.line(b, start, i - start, progress, now);
            } else {
                append(b, start, i - start);
                parser.line(carry, 0, carryLen, progress, now);
                carryLen = 0;
            }
            start = i + 1;
        }
        append(b, start, n - start);
    }

    private void append(byte[] b, int off, int len) {
        int take = Math.min(carry.length - carryLen, len);
        System.arraycopy(b, off, carry, carryLen, take);
        carryLen += take;
    }

    /** Parses the first candidate line in b[from..last]; returns where the next line starts, -1 when there is none. */
    private int parseFirstCandidate(byte[] b, int from, int last) {
        int p = from;
        int a;
        while ((a = LineScan.firstAnchor(b, p, last)) >= 0) {
            int start = lineStart(b, p, a);
            int end = LineScan.nextTerminator(b, a, last + 1);
            int len = Math.min(end - start, MAX);
            if (ProgressParser.interesting(b, start, len)) {
                parser.read(b, start, len).applyTo(progress, now);
                return end + 1;
            }
            p = end + 1; // its anchor lies past the first 64 KiB
        }
        return -1;
    }

    /** Finds the last lines in b[floor..last] that yield a step, a total and a loss. */
    private void walkBack(byte[] b, int floor, int last) {
        foundCount = 0;
        boolean needStep = true;
        boolean needTotal = false; // only when the last step came without one
        boolean needLoss = true;
        int top = last;
        for (int visited = 0; visited < WALK_LIMIT && (needStep || needTotal || needLoss); visited++) {
            int a = LineScan.lastAnchor(b, floor, top);
            if (a < 0) {
                return;
            }
            int start = lineStart(b, floor, a);
            int end = LineScan.nextTerminator(b, a, top + 1);
            int len = Math.min(end - start, MAX);
            int kinds = LineScan.anchorKinds(b, start, start + len);
            boolean wanted = needLoss && (kinds & LineScan.LOSS) != 0
                    || (kinds & LineScan.PROGRESS) != 0 && (needStep || needTotal && LineScan.mayHaveTotal(b, start, start + len));
            if (wanted) {
                LineReading r = parser.read(b, start, len);
                boolean keep = false;
                if (r.step() != null && needStep) {
                    needStep = false;
                    needTotal = r.total() == null;
                    keep = true;
                } else if (r.total() != null && needTotal) {
                    needTotal = false;
                    keep = true;
                }
                if (r.loss() != null && needLoss) {
                    needLoss = false;
                    keep = true;
                }
                if (keep) {
                    foundAt[foundCount] = start;
                    found[foundCount++] = r;
                }
            }
            top = start - 1;
        }
    }

    /** Parses the lines with a possibly non-finite loss and the walk's finds, in the order of the log. */
    private void parseInOrder(byte[] b, int floor, int last) {
        int next = foundCount - 1;
        int p = floor;
        int h;
        while ((h = LineScan.nextLoss(b, p, last)) >= 0) {
            int end = LineScan.nextTerminator(b, h + 4, last + 1);
            int bad = LineScan.nonFinite(b, h + 4, end);
            if (bad >= 0) {
                int start = lineStart(b, p, h);
                if (bad + 3 <= start + MAX) { // the parser sees it
                    while (next >= 0 && foundAt[next] < start) {
                        found[next--].applyTo(progress, now);
                    }
                    if (next >= 0 && foundAt[next] == start) {
                        found[next--].applyTo(progress, now);
                    } else {
                        parser.read(b, start, Math.min(end - start, MAX)).applyTo(progress, now);
                    }
                }
            }
            p = end + 1; // the first "loss" of a line is enough: nan or inf is looked for up to the line's end
        }
        while (next >= 0) {
            found[next--].applyTo(progress, now);
        }
    }

    /** Start of the line holding b[at], where from is a line start at or before it. */
    private static int lineStart(byte[] b, int from, int at) {
        return Math.max(from, LineScan.lastTerminator(b, from, at) + 1);
    }
}
