package dev.warden.supervise;

import java.util.Arrays;

/**
 * Turns each read of the log (a burst of lines; \n and \r end a line) into progress without running the patterns on
 * every line: a million progress lines cost a few regex matches per read. Of the whole lines of a read it parses, in
 * the order of the log:
 * <ul>
 * <li>the first candidate line (see {@link ProgressParser#interesting}): a burst from step 1 to 100 is a step change;
 * <li>found by walking back from the end, the last line that yields a step, the last that yields a total, the last
 * that yields a loss and the last that yields a non-finite one (a "loss" followed by nan or inf: never missed).
 * </ul>
 * So after each read step, total, loss and the non-finite flag and line are what parsing every line would give. The
 * walks for step and loss give up after {@value #PROBE_LIMIT} lines that looked promising but gave nothing (a flood
 * of validation bars or val_loss lines): then the value stands from the lines parsed before.
 * A line is read by its first 64 KiB. With the spec's own regexes every line is parsed: they may match anything.
 */
final class BurstParser {
    /** Lines parsed in vain, per search per read, before the search gives up: bounds the cost of look-alike floods. */
    static final int PROBE_LIMIT = 64;
    /** Lines looked at, past the last step, for a total. */
    static final int TOTAL_LOOK_LIMIT = 128;
    private static final int MAX = ProgressParser.MAX_LINE;

    private final ProgressParser parser;
    private final Progress progress;
    /** The unfinished last line of the reads so far, its first 64 KiB. */
    private final byte[] carry = new byte[MAX];
    private int carryLen;
    private long now;
    /** The lines found in a read, in the order of the log: the line's start in the read and its reading. */
    private final int[] foundAt = new int[4];
    private final LineReading[] found = new LineReading[4];
    private int foundCount;
    /** Starts of the lines of a read that mention a loss and then nan or inf. */
    private int[] suspects = new int[64];

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
            foundCount = 0;
            findLastStep(b, floor, last);
            findLastNonFinite(b, floor, findLastLoss(b, floor, last));
            for (int i = 0; i < foundCount; i++) {
                found[i].applyTo(progress, now);
            }
        }
        append(b, last + 1, n - last - 1);
    }

    /** The follower jumped ahead to a line start: the unfinished line it had is not continued there. */
    void dropPartialLine() {
        carryLen = 0;
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
        while ((a = LineScan.firstAnchor(b, p, last, LineScan.ANY)) >= 0) {
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

    /** Walking back: the last line that yields a step and, when that one gives no total, the last before it that does. */
    private void findLastStep(byte[] b, int floor, int last) {
        boolean needTotal = false;
        int probes = 0;
        int looked = 0;
        int top = last;
        int a;
        while ((a = LineScan.lastAnchor(b, floor, top, LineScan.PROGRESS)) >= 0) {
            int start = lineStart(b, floor, a);
            int whole = LineScan.nextTerminator(b, a, top + 1) - start;
            int len = Math.min(whole, MAX);
            top = start - 1;
            if (!seen(b, start, whole, LineScan.PROGRESS)) {
                continue;
            }
            if (needTotal) {
                if (++looked > TOTAL_LOOK_LIMIT) {
                    return;
                }
                if (!LineScan.mayHaveTotal(b, start, start + len)) {
                    continue;
                }
            }
            LineReading r = parser.read(b, start, len);
            if (!needTotal) {
                if (r.step() != null) {
                    keep(start, r);
                    if (r.total() != null) {
                        return;
                    }
                    needTotal = true;
                }
            } else if (r.total() != null) {
                keep(start, r);
                return;
            }
            if (++probes == PROBE_LIMIT) {
                return;
            }
        }
    }

    /**
     * Walking back: the last line that yields a loss. Returns where the walk stopped: every line mentioning a loss
     * from there on has been parsed (none of them after the find yields a loss, non-finite or not).
     */
    private int findLastLoss(byte[] b, int floor, int last) {
        int probes = 0;
        int top = last;
        int h;
        while ((h = LineScan.lastAnchor(b, floor, top, LineScan.LOSS)) >= 0) {
            int start = lineStart(b, floor, h);
            int whole = LineScan.nextTerminator(b, h, top + 1) - start;
            int len = Math.min(whole, MAX);
            top = start - 1;
            if (!seen(b, start, whole, LineScan.LOSS)) {
                continue;
            }
            LineReading r = foundAt(start);
            if (r == null) {
                r = parser.read(b, start, len);
            }
            if (r.loss() != null) {
                keep(start, r);
                return start;
            }
            if (++probes == PROBE_LIMIT) {
                return start;
            }
        }
        return floor;
    }

    /** True when the line's first 64 KiB, what the parser reads, hold an anchor of the kind (the line has one). */
    private static boolean seen(byte[] b, int start, int length, int kind) {
        return length <= MAX || (LineScan.anchorKinds(b, start, start + MAX) & kind) != 0;
    }

    private LineReading foundAt(int start) {
        for (int i = 0; i < foundCount; i++) {
            if (foundAt[i] == start) {
                return found[i];
            }
        }
        return null;
    }

    /** Adds a find, keeping them in the order of the log. */
    private void keep(int start, LineReading r) {
        if (foundAt(start) != null) {
            return;
        }
        int i = foundCount++;
        for (; i > 0 && foundAt[i - 1] > start; i--) {
            foundAt[i] = foundAt[i - 1];
            found[i] = found[i - 1];
        }
        foundAt[i] = start;
        found[i] = r;
    }

    /**
     * The last line in b[floor..to) that yields a non-finite loss. The flag it sets stays set, and it is the line
     * shown, so the ones before it in the read need no parsing. A candidate mentions a loss and then nan or inf.
     */
    private void findLastNonFinite(byte[] b, int floor, int to) {
        int count = 0;
        int p = floor;
        int h;
        while ((h = LineScan.firstAnchor(b, p, to, LineScan.LOSS)) >= 0) {
            int k = LineScan.endOrNonFinite(b, h + 4, to); // to is a line start: the line ends before it
            if (b[k] != '\n' && b[k] != '\r') {
                if (count == suspects.length) {
                    suspects = Arrays.copyOf(suspects, count * 2);
                }
                suspects[count++] = lineStart(b, p, h);
                k = LineScan.nextTerminator(b, k, to);
            }
            p = k + 1; // the first "loss" of a line is enough: nan or inf is looked for up to the line's end
        }
        while (--count >= 0) {
            int start = suspects[count];
            LineReading r = parser.read(b, start, Math.min(LineScan.nextTerminator(b, start, to) - start, MAX));
            if (r.loss() != null && !Double.isFinite(r.loss())) {
                keep(start, r);
                return;
            }
        }
    }

    /** Start of the line holding b[at], where from is a line start at or before it. */
    private static int lineStart(byte[] b, int from, int at) {
        return Math.max(from, LineScan.lastTerminator(b, from, at) + 1);
    }
}
