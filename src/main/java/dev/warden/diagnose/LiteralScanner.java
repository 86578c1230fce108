package dev.warden.diagnose;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Finds every occurrence of a set of byte strings in a buffer, skipping most bytes: a Wu-Manber
 * multi-pattern search. A window of {@code m} bytes (the shortest literal, at most 16) slides
 * over the text; the last {@code B} bytes of the window are hashed, and a table says how far the
 * window may jump without skipping a possible match. Only when the table says 0 are the literals
 * ending with that block compared. On log text with a few hundred literals of 8+ bytes it looks
 * at roughly one position in six, which is what makes scanning a whole log cheap.
 */
final class LiteralScanner {
    /** Receives a hit: the literal's index and the buffer offset where it starts. */
    interface Sink {
        void hit(int literal, int offset);
    }

    private static final int MAX_WINDOW = 16;
    private static final int TABLE_BITS = 16;

    private final byte[][] literals;
    private final int m;
    private final int block;
    private final byte[] shift;
    private final int[][] buckets;
    private final int maxLength;

    LiteralScanner(List<byte[]> literals) {
        if (literals.isEmpty()) {
            throw new IllegalArgumentException("no literals");
        }
        this.literals = literals.toArray(new byte[0][]);
        int min = Integer.MAX_VALUE;
        int max = 0;
        for (byte[] l : this.literals) {
            min = Math.min(min, l.length);
            max = Math.max(max, l.length);
        }
        if (min < 1) {
            throw new IllegalArgumentException("empty literal");
        }
        this.maxLength = max;
        this.m = Math.min(min, MAX_WINDOW);
        this.block = m >= 6 ? 3 : (m >= 2 ? 2 : 1);
        int size = block == 1 ? 256 : 1 << TABLE_BITS;
        this.shift = new byte[size];
        Arrays.fill(shift, (byte) (m - block + 1));
        List<List<Integer>> lists = new ArrayList<>(size);
        for (int i = 0; i < size; i++) {
            lists.add(null);
        }
        for (int i = 0; i < this.literals.length; i++) {
            byte[] l = this.literals[i];
            for (int q = block - 1; q < m; q++) {
                int h = hash(l, q);
                int s = m - 1 - q;
                if (s < shift[h]) {
                    shift[h] = (byte) s;
                }
                if (s == 0) {
                    if (lists.get(h) == null) {
                        lists.set(h, new ArrayList<>(2));
                    }
                    lists.get(h).add(i);
                }
            }
        }
        this.buckets = new int[size][];
        for (int i = 0; i < size; i++) {
            List<Integer> l = lists.get(i);
            if (l != null) {
                buckets[i] = l.stream().mapToInt(Integer::intValue).toArray();
            }
        }
    }

    int maxLength() {
        return maxLength;
    }

    /** Hash of the block ending at {@code end} (inclusive). */
    private int hash(byte[] b, int end) {
        switch (block) {
            case 1:
                return b[end] & 0xff;
            case 2:
                return ((b[end - 1] & 0xff) << 8) | (b[end] & 0xff);
            default:
                int x = ((b[end - 2] & 0xff) << 16) | ((b[end - 1] & 0xff) << 8) | (b[end] & 0xff);
                return (x * 0x9E3779B1) >>> (32 - TABLE_BITS);
        }
    }

    /**
     * Reports literals that start in [from, limit) of {@code buf}; bytes up to {@code end} may be
     * read to complete a literal that starts before {@code limit}.
     */
    void scan(byte[] buf, int from, int limit, int end, Sink sink) {
        if (block == 3) {
            scan3(buf, from, limit, end, sink);
            return;
        }
        int pos = from + m - 1;
        int last = Math.min(limit + m - 1, end);
        while (pos < last) {
            int h = hash(buf, pos);
            int s = shift[h];
            if (s != 0) {
                pos += s;
                continue;
            }
            verify(buf, pos, h, end, sink);
            pos++;
        }
    }

    /** The hot loop for the usual case (window of 6+ bytes, 3-byte blocks), with the hash inlined. */
    private void scan3(byte[] buf, int from, int limit, int end, Sink sink) {
        final byte[] sh = shift;
        int pos = from + m - 1;
        final int last = Math.min(limit + m - 1, end);
        while (pos < last) {
            int h = ((((buf[pos - 2] & 0xff) << 16) | ((buf[pos - 1] & 0xff) << 8) | (buf[pos] & 0xff)) * 0x9E3779B1) >>> (32 - TABLE_BITS);
            int s = sh[h];
            if (s != 0) {
                pos += s;
            } else {
                verify(buf, pos, h, end, sink);
                pos++;
            }
        }
    }

    private void verify(byte[] buf, int pos, int h, int end, Sink sink) {
        int start = pos - m + 1;
        for (int idx : buckets[h]) {
            byte[] lit = literals[idx];
            if (start + lit.length <= end && matchesAt(buf, start, lit)) {
                sink.hit(idx, start);
            }
        }
    }

    private static boolean matchesAt(byte[] buf, int at, byte[] lit) {
        for (int i = 0; i < lit.length; i++) {
            if (buf[at + i] != lit[i]) {
                return false;
            }
        }
        return true;
    }
}
