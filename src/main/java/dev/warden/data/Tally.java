package dev.warden.data;

/** Everything known about the file so far: chunk results merged in file order, on one thread. */
final class Tally {
    final IssueLog[] issues = new IssueLog[LineIssue.values().length];
    final IssueLog duplicates = new IssueLog();
    final IssueLog contradictions = new IssueLog();
    final DistinctSample distinct;
    final PromptSample prompts;
    final LengthStats lengths;
    long lines;
    long records;
    /** Records whose answer differs from the first answer to their prompt (exact while the prompt table is). */
    long disagreeing;
    long promptsChecked;
    /** Why the file's last line (so far) is malformed, or null: a cut-off file shows there. */
    String lastLineProblem;

    Tally(int maxTokens, long tableBytes) {
        for (int i = 0; i < issues.length; i++) {
            issues[i] = new IssueLog();
        }
        // Slots: 16 bytes in the distinct set, 20 in the prompt table; 70/30 of the budget.
        this.distinct = new DistinctSample((int) Math.min(1 << 30, tableBytes * 7 / 10 / 16));
        this.prompts = new PromptSample((int) Math.min(1 << 30, tableBytes * 3 / 10 / 20));
        this.lengths = new LengthStats(maxTokens);
    }

    void merge(ChunkResult r) {
        long base = lines;
        if (r.oversizeBytes >= 0) {
            long line = base + 1;
            issues[LineIssue.OVERSIZE.ordinal()].add(line, r.oversizeBytes + " bytes");
            lengths.add(TokenCounter.ESTIMATE.estimate(r.oversizeBytes), line);
            lastLineProblem = null;
            lines = line;
            return;
        }
        for (int i = 0; i < r.records; i++) {
            long line = base + r.line[i];
            records++;
            lengths.add(r.tokens[i], line);
            long first = distinct.add(r.hash[i], line);
            if (first > 0) {
                duplicates.add(line, "same as line " + first);
            }
            if (r.prompt[i] != 0) {
                promptsChecked++;
                long firstPrompt = prompts.add(r.prompt[i], r.answer[i], line);
                if (firstPrompt > 0) {
                    disagreeing++;
                    contradictions.add(line, "same prompt as line " + firstPrompt + ", different answer");
                }
            }
        }
        for (int k = 0; k < issues.length; k++) {
            issues[k].addAll(r.issues[k], base);
        }
        lastLineProblem = r.lastLineProblem;
        lines += r.lines;
    }

    long count(LineIssue k) {
        return issues[k.ordinal()].count();
    }

    IssueLog log(LineIssue k) {
        return issues[k.ordinal()];
    }
}
