package dev.warden.supervise;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;

/**
 * Byte searches for the log follower, eight bytes at a time where a whole read goes through them: line ends, the
 * anchors of {@link ProgressParser#interesting} (the word "loss" among them), "nan" and "inf". Ranges are [from, to); a
 * match lies wholly inside.
 * The word tests flag bytes with the usual has-zero-byte trick, which may also flag a byte just above a true match,
 * so every flagged position is checked exactly before it counts.
 */
final class LineScan {
    private static final VarHandle LONGS = MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.LITTLE_ENDIAN);
    private static final long ONES = 0x0101010101010101L;
    private static final long HIGHS = 0x8080808080808080L;
    private static final long LOWER = 0x2020202020202020L; // ASCII letters to lower case (and some other bytes moved: fine before an exact check)
    private static final long NL = 0x0a0a0a0a0a0a0a0aL;
    private static final long CR = 0x0d0d0d0d0d0d0d0dL;
    private static final long L = 'l' * ONES;
    private static final long S = 's' * ONES;
    private static final long P = 'p' * ONES;
    private static final long I = 'i' * ONES;
    private static final long R = 'r' * ONES;
    private static final long N = 'n' * ONES;
    private static final long F = 'f' * ONES;
    private static final long BRACKET = ('[' | 0x20) * ONES;
    private static final long PERCENT = '%' * ONES;

    /** The word "loss": what a loss can come from. */
    static final int LOSS = 1;
    /** A tqdm bar ("%|", "% ", "it [") or the word step or iter: what a step can come from. */
    static final int PROGRESS = 2;
    static final int ANY = LOSS | PROGRESS;

    private LineScan() {
    }

    private static long word(byte[] b, int i) {
        return (long) LONGS.get(b, i);
    }

    /** High bit set in each zero byte of x (and maybe in a 0x01 byte just above one). */
    private static long zeros(long x) {
        return (x - ONES) & ~x & HIGHS;
    }

    /** Index of the first \n or \r; -1 when there is none. */
    static int nextTerminator(byte[] b, int from, int to) {
        int i = from;
        for (; i + 8 <= to; i += 8) {
            long w = word(b, i);
            long hit = zeros(w ^ NL) | zeros(w ^ CR);
            if (hit != 0) {
                return i + (Long.numberOfTrailingZeros(hit) >>> 3); // the lowest flagged byte is always a real match
            }
        }
        for (; i < to; i++) {
            if (b[i] == '\n' || b[i] == '\r') {
                return i;
            }
        }
        return -1;
    }

    /** Index of the last \n or \r; -1 when there is none. */
    static int lastTerminator(byte[] b, int from, int to) {
        int i = to - 8;
        for (; i >= from; i -= 8) {
            long w = word(b, i);
            if ((zeros(w ^ NL) | zeros(w ^ CR)) != 0) {
                for (int j = i + 7; ; j--) { // a flag means at least one real match in the word
                    if (b[j] == '\n' || b[j] == '\r') {
                        return j;
                    }
                }
            }
        }
        for (int j = i + 7; j >= from; j--) {
            if (b[j] == '\n' || b[j] == '\r') {
                return j;
            }
        }
        return -1;
    }

    /** Start of the first anchor of the given kinds (see {@link #kindAt}); -1 when there is none. */
    static int firstAnchor(byte[] b, int from, int to, int kinds) {
        int j = from;
        boolean loss = (kinds & LOSS) != 0;
        boolean progress = (kinds & PROGRESS) != 0;
        for (; j + 11 <= to; j += 8) { // words at j and j + 3: a window's first and last byte
            // flags the starts that may begin an anchor, judged by their first and fourth byte (or '%'); written out
            // here, not called: C1 would not inline it
            long w = word(b, j);
            long first = w | LOWER;
            long fourth = word(b, j + 3) | LOWER;
            long m = loss ? zeros(first ^ L) & zeros(fourth ^ S) : 0;
            if (progress) {
                m |= zeros(first ^ S) & zeros(fourth ^ P) | zeros(first ^ I) & (zeros(fourth ^ R) | zeros(fourth ^ BRACKET)) | zeros(w ^ PERCENT);
            }
            while (m != 0) {
                int k = j + (Long.numberOfTrailingZeros(m) >>> 3);
                if ((kindAt(b, k, to) & kinds) != 0) {
                    return k;
                }
                m &= m - 1;
            }
        }
        for (; j < to; j++) {
            if ((kindAt(b, j, to) & kinds) != 0) {
                return j;
            }
        }
        return -1;
    }

    /** Start of the last anchor of the given kinds; -1 when there is none. */
    static int lastAnchor(byte[] b, int from, int to, int kinds) {
        int j = to - 1;
        for (; j > to - 4 && j >= from; j--) { // too near the end for the second word
            if ((kindAt(b, j, to) & kinds) != 0) {
                return j;
            }
        }
        boolean loss = (kinds & LOSS) != 0;
        boolean progress = (kinds & PROGRESS) != 0;
        for (; j - 7 >= from; j -= 8) { // the word of starts j-7 .. j
            int base = j - 7;
            long w = word(b, base);
            long first = w | LOWER;
            long fourth = word(b, base + 3) | LOWER;
            long m = loss ? zeros(first ^ L) & zeros(fourth ^ S) : 0;
            if (progress) {
                m |= zeros(first ^ S) & zeros(fourth ^ P) | zeros(first ^ I) & (zeros(fourth ^ R) | zeros(fourth ^ BRACKET)) | zeros(w ^ PERCENT);
            }
            while (m != 0) {
                int bit = 63 - Long.numberOfLeadingZeros(m);
                int k = base + (bit >>> 3);
                if ((kindAt(b, k, to) & kinds) != 0) {
                    return k;
                }
                m &= ~(1L << bit);
            }
        }
        for (; j >= from; j--) {
            if ((kindAt(b, j, to) & kinds) != 0) {
                return j;
            }
        }
        return -1;
    }

    /**
     * The kind of the anchor of {@link ProgressParser#interesting} that starts at j and ends before to; 0 when none
     * does. LOSS: "loss"; PROGRESS: "step", "iter" (letters in any case), "it [", or '%' followed by '|' or a blank.
     */
    static int kindAt(byte[] b, int j, int to) {
        int c = b[j];
        if (c == '%') {
            if (j + 1 < to) {
                int next = b[j + 1];
                if (next == '|' || next == ' ' || next == '\t' || next == 0x0B || next == '\f') {
                    return PROGRESS;
                }
            }
            return 0;
        }
        if (j + 3 >= to) {
            return 0;
        }
        int c0 = c | 0x20;
        int c1 = b[j + 1] | 0x20;
        int c2 = b[j + 2] | 0x20;
        int c3 = b[j + 3] | 0x20;
        if (c0 == 'l') {
            return c1 == 'o' && c2 == 's' && c3 == 's' ? LOSS : 0;
        }
        if (c0 == 's') {
            return c1 == 't' && c2 == 'e' && c3 == 'p' ? PROGRESS : 0;
        }
        if (c0 == 'i' && c1 == 't') {
            return c2 == 'e' && c3 == 'r' || b[j + 2] == ' ' && b[j + 3] == '[' ? PROGRESS : 0;
        }
        return 0;
    }

    /** The kinds of anchor in b[from..to), LOSS | PROGRESS; 0 when the line is no candidate. */
    static int anchorKinds(byte[] b, int from, int to) {
        int kinds = 0;
        for (int j = from; j < to && kinds != ANY; j++) {
            kinds |= kindAt(b, j, to);
        }
        return kinds;
    }

    /** Index of the first line end (\n or \r), "nan" or "inf" (any case); -1 when there is none. */
    static int endOrNonFinite(byte[] b, int from, int to) {
        int j = from;
        for (; j + 10 <= to; j += 8) { // words at j and j + 2: the first and last letter of "nan" and "inf"
            long w = word(b, j);
            long first = w | LOWER;
            long third = word(b, j + 2) | LOWER;
            long m = zeros(w ^ NL) | zeros(w ^ CR) | zeros(first ^ N) & zeros(third ^ N) | zeros(first ^ I) & zeros(third ^ F);
            while (m != 0) {
                int k = j + (Long.numberOfTrailingZeros(m) >>> 3);
                if (endOrNonFiniteAt(b, k, to)) {
                    return k;
                }
                m &= m - 1;
            }
        }
        for (; j < to; j++) {
            if (endOrNonFiniteAt(b, j, to)) {
                return j;
            }
        }
        return -1;
    }

    private static boolean endOrNonFiniteAt(byte[] b, int k, int to) {
        int c = b[k];
        if (c == '\n' || c == '\r') {
            return true;
        }
        if (k + 2 >= to) {
            return false;
        }
        int c0 = c | 0x20;
        int c1 = b[k + 1] | 0x20;
        int c2 = b[k + 2] | 0x20;
        return c0 == 'n' && c1 == 'a' && c2 == 'n' || c0 == 'i' && c1 == 'n' && c2 == 'f';
    }

    /**
     * False when no built-in pattern can read a total here: a total needs a '/' with a number before it (maybe
     * unit-scaled, "2.62k/5.09k") and a digit after it, blanks allowed around the slash.
     */
    static boolean mayHaveTotal(byte[] b, int from, int to) {
        for (int j = from; j < to; j++) {
            if (b[j] != '/') {
                continue;
            }
            int before = j - 1;
            while (before >= from && blank(b[before])) {
                before--;
            }
            int after = j + 1;
            while (after < to && blank(b[after])) {
                after++;
            }
            if (before >= from && after < to && digit(b[after]) && (digit(b[before]) || "kMGTP".indexOf(b[before]) >= 0)) {
                return true;
            }
        }
        return false;
    }

    private static boolean blank(byte c) {
        return c == ' ' || c == '\t' || c == 0x0B || c == '\f';
    }

    private static boolean digit(byte c) {
        return c >= '0' && c <= '9';
    }
}
