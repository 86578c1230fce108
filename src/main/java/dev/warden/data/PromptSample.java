package dev.warden.data;

/**
 * Prompt hash to the first answer hash seen for it, to find the same prompt with different answers.
 * 20 bytes a slot, at most {@code maxSlots} slots; past that a distinct sample on the prompt hash, as in
 * {@link DistinctSample}, and counts become estimates.
 */
final class PromptSample {
    private static final double LOAD = 0.75;

    private final int maxSlots;
    private long[] keys;
    private long[] answers;
    /** First line of the prompt; negative once the prompt has been seen with a second answer. */
    private int[] lines;
    private int size;
    private int contradicted;
    private int level;

    PromptSample(int maxSlots) {
        this.maxSlots = Math.max(maxSlots, 16);
        allocate(Math.min(this.maxSlots, 1 << 12));
    }

    /**
     * Adds (prompt, answer) seen on {@code line}. Returns the first line of that prompt when this answer
     * differs from the first one seen for it, else 0 (new prompt, same answer, or outside the sample).
     */
    long add(long prompt, long answer, long line) {
        long h = prompt == 0 ? 1 : prompt;
        if (!inSample(h)) {
            return 0;
        }
        int i = slot(h);
        while (keys[i] != 0) {
            if (keys[i] == h) {
                if (answers[i] == answer) {
                    return 0;
                }
                if (lines[i] > 0) {
                    lines[i] = -lines[i];
                    contradicted++;
                }
                return -lines[i];
            }
            i = i + 1 == keys.length ? 0 : i + 1;
        }
        keys[i] = h;
        answers[i] = answer;
        lines[i] = (int) Math.min(line, Integer.MAX_VALUE);
        if (++size > keys.length * LOAD) {
            grow();
        }
        return 0;
    }

    boolean exact() {
        return level == 0;
    }

    /** Prompts seen with more than one answer: exact while {@link #exact()}, else estimated. */
    long contradicted() {
        return (long) contradicted << level;
    }

    /** Distinct prompts seen. */
    long prompts() {
        return (long) size << level;
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
            long[] oldAnswers = answers;
            int[] oldLines = lines;
            allocate((int) Math.min((long) keys.length * 2, maxSlots));
            for (int i = 0; i < oldKeys.length; i++) {
                if (oldKeys[i] != 0) {
                    place(oldKeys[i], oldAnswers[i], oldLines[i]);
                }
            }
            return;
        }
        while (size > keys.length * LOAD / 2) {
            level++;
            for (int i = 0; i < keys.length; i++) {
                if (keys[i] != 0 && !inSample(keys[i])) {
                    if (lines[i] < 0) {
                        contradicted--;
                    }
                    keys[i] = 0;
                    size--;
                }
            }
            int start = 0;
            while (keys[start] != 0) {
                start++;
            }
            for (int k = 1; k <= keys.length; k++) {
                int i = (start + k) % keys.length;
                long key = keys[i];
                if (key != 0) {
                    keys[i] = 0;
                    place(key, answers[i], lines[i]);
                }
            }
        }
    }

    private void place(long h, long answer, int line) {
        int i = slot(h);
        while (keys[i] != 0) {
            i = i + 1 == keys.length ? 0 : i + 1;
        }
        keys[i] = h;
        answers[i] = answer;
        lines[i] = line;
    }

    private void allocate(int slots) {
        keys = new long[slots];
        answers = new long[slots];
        lines = new int[slots];
    }
}
