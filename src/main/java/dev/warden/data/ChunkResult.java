package dev.warden.data;

import java.util.Arrays;

/**
 * What a worker found in one chunk of whole lines. Line numbers here count from 1 at the chunk's first
 * line; the merger adds the lines of the chunks before it. Records are kept as parallel arrays of hashes
 * and token counts so that a chunk costs a few bytes per record, never the text.
 */
final class ChunkResult {
    final byte[] buffer;
    final IssueLog[] issues = new IssueLog[LineIssue.values().length];
    int lines;
    /** Why the chunk's last line is malformed, or null. */
    String lastLineProblem;
    /** Bytes of a line too long to read (only for an oversize piece). */
    long oversizeBytes = -1;

    int records;
    int[] line = new int[64];
    long[] hash = new long[64];
    long[] prompt = new long[64];
    long[] answer = new long[64];
    int[] tokens = new int[64];

    ChunkResult(byte[] buffer) {
        this.buffer = buffer;
        for (int i = 0; i < issues.length; i++) {
            issues[i] = new IssueLog();
        }
    }

    static ChunkResult oversize(long bytes) {
        ChunkResult r = new ChunkResult(null);
        r.lines = 1;
        r.oversizeBytes = bytes;
        return r;
    }

    void issue(LineIssue kind, int lineInChunk, String reason) {
        issues[kind.ordinal()].add(lineInChunk, reason);
    }

    void record(int lineInChunk, long h, long p, long a, int t) {
        if (records == line.length) {
            int n = records * 2;
            line = Arrays.copyOf(line, n);
            hash = Arrays.copyOf(hash, n);
            prompt = Arrays.copyOf(prompt, n);
            answer = Arrays.copyOf(answer, n);
            tokens = Arrays.copyOf(tokens, n);
        }
        line[records] = lineInChunk;
        hash[records] = h;
        prompt[records] = p;
        answer[records] = a;
        tokens[records] = t;
        records++;
    }
}
