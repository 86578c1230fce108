package dev.warden.data;

/** Token counts per record in a fixed-size histogram: exact below 65,536 tokens, by powers of two above. */
final class LengthStats {
    private static final int EXACT = 1 << 16;

    private final int maxTokens;
    private final long[] exact = new long[EXACT];
    private final long[] log2 = new long[64];
    private final IssueLog over = new IssueLog();
    private long count;
    private long sum;
    private long max = -1;
    private long maxLine;

    LengthStats(int maxTokens) {
        this.maxTokens = maxTokens;
    }

    void add(long tokens, long line) {
        count++;
        sum += tokens;
        if (tokens < EXACT) {
            exact[(int) tokens]++;
        } else {
            log2[63 - Long.numberOfLeadingZeros(tokens)]++;
        }
        if (tokens > max) {
            max = tokens;
            maxLine = line;
        }
        if (tokens > maxTokens) {
            over.add(line, tokens + " tokens");
        }
    }

    long count() {
        return count;
    }

    long over() {
        return over.count();
    }

    IssueLog overLog() {
        return over;
    }

    long max() {
        return Math.max(max, 0);
    }

    long maxLine() {
        return maxLine;
    }

    long mean() {
        return count == 0 ? 0 : Math.round((double) sum / count);
    }

    /** The q-quantile (0..1): exact below 65,536 tokens, the lower bound of its power-of-two bucket above. */
    long quantile(double q) {
        if (count == 0) {
            return 0;
        }
        long rank = Math.max(1, (long) Math.ceil(q * count));
        long seen = 0;
        for (int i = 0; i < EXACT; i++) {
            seen += exact[i];
            if (seen >= rank) {
                return i;
            }
        }
        for (int b = 16; b < 64; b++) {
            seen += log2[b];
            if (seen >= rank) {
                return 1L << b;
            }
        }
        return max();
    }
}
