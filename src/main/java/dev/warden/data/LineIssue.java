package dev.warden.data;

/** Things found on single lines, counted with the first few line numbers. */
enum LineIssue {
    /** Not one valid JSON object: a parse error, invalid UTF-8, a bare value, two values. */
    MALFORMED,
    /** Valid JSON, but the format's fields are missing or of the wrong type. */
    FIELDS,
    /** A prompt, answer or text that is empty after trimming, or a conversation with no assistant turn. */
    EMPTY,
    BOM,
    BLANK,
    CRLF,
    /** Longer than Warden reads into memory; skipped unparsed. */
    OVERSIZE
}
