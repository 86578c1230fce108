package dev.warden.data;

/** Counts the tokens of a record's text: for real with a tokenizer, or estimated from its size. */
interface TokenCounter extends AutoCloseable {

    /** True when {@link #count} needs the text itself; false when the UTF-8 size is enough. */
    boolean needsText();

    /** Tokens in this text (without special tokens). Only called when {@link #needsText()}. */
    int count(String text);

    /** Tokens for this many UTF-8 bytes of text. Only called when not {@link #needsText()}. */
    int estimate(long utf8Bytes);

    /** How the counts are made, for the report: "estimated: ..." or "tokenizer ...". */
    String describe();

    boolean estimated();

    @Override
    void close();

    /** The rule of thumb from OpenAI's tokenizer docs: about 4 bytes of English per token. */
    TokenCounter ESTIMATE = new TokenCounter() {
        @Override public boolean needsText() { return false; }
        @Override public int count(String text) { throw new UnsupportedOperationException(); }
        @Override public int estimate(long utf8Bytes) { return (int) Math.min(Integer.MAX_VALUE, (utf8Bytes + 3) / 4); }
        @Override public String describe() { return "estimated as UTF-8 bytes / 4 (pass --tokenizer for real counts)"; }
        @Override public boolean estimated() { return true; }
        @Override public void close() {}
    };
}
