package dev.warden.data;

/**
 * The set of record hashes seen so far, with the line where each was first seen and how many copies
 * followed, in at most {@code maxSlots} slots (16 bytes each).
 *
 * <p>Exact until it fills. Past that it becomes a distinct sample (Gibbons 2001): at level L it keeps only
 * hashes whose top L bits are zero, i.e. one in 2^L distinct records, chosen by content so every copy of a
 * record is either in or out. Samples are nested (top L bits zero implies top L-1 bits zero), so a record
 * followed now was followed since its first copy: its count of copies is exact, and duplicates are estimated
 * as the sample's duplicates times 2^L (zero when there are none, with no noise), which the report calls "about".
 */
final class DistinctSample {
    private static final double LOAD = 0.75;

    private final int maxSlots;
    private long[] keys;
    private int[] lines;
    private int[] copies;
    private long duplicates;
    private int size;
    private int level;

    DistinctSample(int maxSlots) {
        this.maxSlots = Math.max(maxSlots, 16);
        allocate(Math.min(this.maxSlots, 1 << 12));
    }

    /**
     * Adds a record hash seen on {@code line}. Returns the line of an equal record seen before (at least 1),
     * 0 when it is new, or -1 when it falls outside the sample and nothing can be said.
     */
    long add(long hash, long line) {
        long h = hash == 0 ? 1 : hash;
        if (!inSample(h)) {
            return -1;
        }
        int i = slot(h);
        while (keys[i] != 0) {
            if (keys[i] == h) {
                copies[i]++;
                duplicates++;
                return lines[i];
            }
            i = i + 1 == keys.length ? 0 : i + 1;
        }
        keys[i] = h;
        lines[i] = (int) Math.min(line, Integer.MAX_VALUE);
        copies[i] = 0;
        if (++size > keys.length * LOAD) {
            grow();
        }
        return 0;
    }

    boolean exact() {
        return level == 0;
    }

    /** Records that repeat an earlier one: exact while {@link #exact()}, else the sample's estimate. */
    long duplicates() {
        return duplicates << level;
    }

    int level() {
        return level;
    }

    /** Slot from the low 32 bits (the sample filter looks at the top ones), for any table size. */
    private int slot(long h) {
        return (int) (((h & 0xFFFFFFFFL) * keys.length) >>> 32);
    }

    private boolean inSample(long h) {
        return level == 0 || (h >>> (64 - level)) == 0;
    }

    private void grow() {
        if (keys.length < maxSlots) {
            long[] oldKeys = keys;
            int[] oldLines = lines;
            int[] oldCopies = copies;
            allocate((int) Math.min((long) keys.length * 2, maxSlots));
            for (int i = 0; i < oldKeys.length; i++) {
                if (oldKeys[i] != 0) {
                    place(oldKeys[i], oldLines[i], oldCopies[i]);
                }
            }
            return;
        }
        while (size > keys.length * LOAD / 2) {
            level++;
            for (int i = 0; i < keys.length; i++) {
                if (keys[i] != 0 && !inSample(keys[i])) {
                    keys[i] = 0;
                    duplicates -= copies[i];
                    size--;
                }
            }
            rehashInPlace();
        }
    }

    /** After removals, re-places every key so probing finds it; starting after an empty slot keeps runs whole. */
    private void rehashInPlace() {
        int start = 0;
        while (keys[start] != 0) {
            start++;
        }
        for (int k = 1; k <= keys.length; k++) {
            int i = (start + k) % keys.length;
            long key = keys[i];
            if (key != 0) {
                keys[i] = 0;
                place(key, lines[i], copies[i]);
            }
        }
    }

    private void place(long h, int line, int copiesAfterFirst) {
        int i = slot(h);
        while (keys[i] != 0) {
            i = i + 1 == keys.length ? 0 : i + 1;
        }
        keys[i] = h;
        lines[i] = line;
        copies[i] = copiesAfterFirst;
    }

    private void allocate(int slots) {
        keys = new long[slots];
        lines = new int[slots];
        copies = new int[slots];
    }
}
