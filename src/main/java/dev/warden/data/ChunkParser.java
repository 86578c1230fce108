package dev.warden.data;

/** A worker's job: split a chunk of whole lines and read each one. */
final class ChunkParser {
    private ChunkParser() {}

    static ChunkResult parse(byte[] buf, int len, RecordParser parser) {
        ChunkResult r = new ChunkResult(buf);
        int pos = 0;
        int line = 1;
        while (pos < len) {
            int nl = Bytes.indexOfNewline(buf, pos, len);
            int end = nl < 0 ? len : nl;
            r.lastLineProblem = null;
            line(buf, pos, end, line, parser, r);
            line++;
            pos = end + 1;
        }
        r.lines = line - 1;
        return r;
    }

    private static void line(byte[] b, int start, int end, int line, RecordParser parser, ChunkResult r) {
        if (end > start && b[end - 1] == '\r') {
            end--;
            r.issue(LineIssue.CRLF, line, null);
        }
        if (Bytes.startsWithBom(b, start, end)) {
            start += 3;
            r.issue(LineIssue.BOM, line, null);
        }
        int q = start;
        while (q < end && Bytes.isJsonSpace(b[q])) {
            q++;
        }
        if (q == end) {
            r.issue(LineIssue.BLANK, line, null);
            return;
        }
        switch (parser.parse(b, start, end - start)) {
            case RecordParser.RECORD -> {
                r.record(line, parser.recordHash, parser.promptHash, parser.answerHash, parser.tokens);
                if (parser.emptyNote != null) {
                    r.issue(LineIssue.EMPTY, line, parser.emptyNote);
                }
            }
            case RecordParser.MALFORMED -> {
                r.issue(LineIssue.MALFORMED, line, parser.problem);
                r.lastLineProblem = parser.problem;
            }
            default -> r.issue(LineIssue.FIELDS, line, parser.problem);
        }
    }
}
