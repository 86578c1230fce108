package dev.warden.data;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;
import java.util.Arrays;

/**
 * A strict JSON pull scanner over one line of UTF-8 bytes: RFC 8259 grammar, UTF-8 validated, at most
 * {@link #MAX_DEPTH} levels. It validates everything it passes over but decodes only the strings asked for,
 * and scans string bodies eight bytes at a time. Every error says what was wrong and at which column.
 * Reused for every line of a chunk; one instance per thread.
 */
final class JsonScanner {
    static final int END = 0;
    static final int START_OBJECT = 1;
    static final int END_OBJECT = 2;
    static final int START_ARRAY = 3;
    static final int END_ARRAY = 4;
    static final int FIELD_NAME = 5;
    static final int STRING = 6;
    static final int NUMBER = 7;
    static final int TRUE = 8;
    static final int FALSE = 9;
    static final int NULL = 10;

    static final int MAX_DEPTH = 1000;

    /** A line that is not valid JSON; the message is the reason with its column. No stack trace: it is data. */
    static final class Malformed extends Exception {
        Malformed(String message) {
            super(message, null, false, false);
        }
    }

    private static final VarHandle LONGS = MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.LITTLE_ENDIAN);
    private static final long ONES = 0x0101010101010101L;
    private static final long HIGHS = 0x8080808080808080L;
    private static final long QUOTES = ONES * '"';
    private static final long BACKSLASHES = ONES * '\\';
    private static final long SPACES = ONES * 0x20;

    // what the scanner expects next
    private static final int VALUE = 0;
    private static final int FIRST_VALUE = 1;     // just after '[': a value or ']'
    private static final int FIRST_KEY = 2;       // just after '{': a key or '}'
    private static final int KEY = 3;             // after ',' in an object
    private static final int AFTER_VALUE = 4;
    private static final int DONE = 5;            // the root value is complete

    private byte[] b;
    private int lineStart;
    private int pos;
    private int end;
    private int state;
    private int depth;
    private final boolean[] inObject = new boolean[MAX_DEPTH + 1];

    // the last string or key
    private int textStart;
    private int textEnd;
    private boolean escaped;
    private byte[] scratch = new byte[256];
    private int decodedLen = -1;

    void reset(byte[] buf, int off, int len) {
        b = buf;
        lineStart = off;
        pos = off;
        end = off + len;
        state = VALUE;
        depth = 0;
        decodedLen = -1;
    }

    /** The next token, END after the root value and nothing but spaces. */
    int next() throws Malformed {
        while (true) {
            skipSpaces();
            if (pos >= end) {
                if (state == DONE) {
                    return END;
                }
                throw new Malformed(depth > 0 ? "the line ends before the " + (inObject[depth] ? "object" : "list")
                        + " is closed (cut off?) at column " + column(pos) : "the line ends before a value at column " + column(pos));
            }
            int c = b[pos] & 0xFF;
            switch (state) {
                case VALUE, FIRST_VALUE -> {
                    if (c == ']' && state == FIRST_VALUE) {
                        pos++;
                        return close(false);
                    }
                    return value(c);
                }
                case FIRST_KEY, KEY -> {
                    if (c == '}' && state == FIRST_KEY) {
                        pos++;
                        return close(true);
                    }
                    if (c != '"') {
                        throw unexpected(c, state == KEY ? "a double-quoted key after ','" : "a double-quoted key or '}'");
                    }
                    string();
                    skipSpaces();
                    if (pos >= end || b[pos] != ':') {
                        throw pos >= end ? new Malformed("the line ends after a key at column " + column(pos))
                                : unexpected(b[pos] & 0xFF, "':' after the key");
                    }
                    pos++;
                    state = VALUE;
                    return FIELD_NAME;
                }
                case AFTER_VALUE -> {
                    boolean obj = inObject[depth];
                    if (c == ',') {
                        pos++;
                        state = obj ? KEY : VALUE;
                        continue;
                    }
                    if (c == (obj ? '}' : ']')) {
                        pos++;
                        return close(obj);
                    }
                    throw unexpected(c, obj ? "',' or '}'" : "',' or ']'");
                }
                default -> throw new Malformed("a second JSON value follows the first at column " + column(pos));
            }
        }
    }

    /** Skips the value that {@code token} (just returned by next) starts. */
    void skip(int token) throws Malformed {
        if (token != START_OBJECT && token != START_ARRAY) {
            return;
        }
        int d = 1;
        while (d > 0) {
            int t = next();
            if (t == START_OBJECT || t == START_ARRAY) {
                d++;
            } else if (t == END_OBJECT || t == END_ARRAY) {
                d--;
            }
        }
    }

    // ---- the last string or key

    /** True when the last string or key equals {@code literal} (ASCII). */
    boolean textIs(byte[] literal) {
        if (!escaped) {
            return Arrays.equals(b, textStart, textEnd, literal, 0, literal.length);
        }
        decode();
        return Arrays.equals(scratch, 0, decodedLen, literal, 0, literal.length);
    }

    /** The buffer holding the last string's decoded UTF-8: the line itself when it had no escapes. */
    byte[] textBuffer() {
        if (!escaped) {
            return b;
        }
        decode();
        return scratch;
    }

    int textOffset() {
        return escaped ? 0 : textStart;
    }

    int textLength() {
        if (!escaped) {
            return textEnd - textStart;
        }
        decode();
        return decodedLen;
    }

    /** Where the last string or key starts in the line buffer, as written (escapes left in). */
    int rawStart() {
        return textStart;
    }

    int rawEnd() {
        return textEnd;
    }

    // ---- scanning

    private int value(int c) throws Malformed {
        state = AFTER_VALUE;
        switch (c) {
            case '{' -> {
                pos++;
                open(true);
                state = FIRST_KEY;
                return START_OBJECT;
            }
            case '[' -> {
                pos++;
                open(false);
                state = FIRST_VALUE;
                return START_ARRAY;
            }
            case '"' -> {
                string();
                afterValue();
                return STRING;
            }
            case 't' -> {
                literal("true");
                afterValue();
                return TRUE;
            }
            case 'f' -> {
                literal("false");
                afterValue();
                return FALSE;
            }
            case 'n' -> {
                literal("null");
                afterValue();
                return NULL;
            }
            default -> {
                if (c == '-' || (c >= '0' && c <= '9')) {
                    number();
                    afterValue();
                    return NUMBER;
                }
                throw unexpected(c, "a value");
            }
        }
    }

    private void open(boolean object) throws Malformed {
        if (depth == MAX_DEPTH) {
            throw new Malformed("nested deeper than " + MAX_DEPTH + " levels at column " + column(pos - 1));
        }
        inObject[++depth] = object;
    }

    private int close(boolean object) {
        depth--;
        afterValue();
        return object ? END_OBJECT : END_ARRAY;
    }

    private void afterValue() {
        state = depth == 0 ? DONE : AFTER_VALUE;
    }

    private void skipSpaces() {
        while (pos < end) {
            byte c = b[pos];
            if (c != ' ' && c != '\t' && c != '\r' && c != '\n') {
                return;
            }
            pos++;
        }
    }

    /** Scans a string from its opening quote at pos; leaves pos after the closing quote. */
    private void string() throws Malformed {
        int open = pos++;
        textStart = pos;
        escaped = false;
        decodedLen = -1;
        int i = pos;
        while (true) {
            // Eight bytes at a time until one is '"', '\\', a control code or non-ASCII (borrows only
            // run upwards, so the lowest flagged byte is a real one).
            while (i + 8 <= end) {
                long x = (long) LONGS.get(b, i);
                long q = x ^ QUOTES;
                long s = x ^ BACKSLASHES;
                long m = (((q - ONES) & ~q) | ((s - ONES) & ~s) | ((x - SPACES) & ~x) | x) & HIGHS;
                if (m != 0) {
                    i += Long.numberOfTrailingZeros(m) >>> 3;
                    break;
                }
                i += 8;
            }
            if (i >= end) {
                throw new Malformed("the line ends inside a string that starts at column " + column(open) + " (cut off?)");
            }
            int c = b[i] & 0xFF;
            if (c == '"') {
                textEnd = i;
                pos = i + 1;
                return;
            }
            if (c == '\\') {
                escaped = true;
                do {
                    i = escape(i); // runs of escapes (\u6570\u636e) are common: stay here for them
                } while (i < end && b[i] == '\\');
            } else if (c < 0x20) {
                throw new Malformed(String.format("a raw control character 0x%02x inside a string at column %d; it must be escaped",
                        c, column(i)));
            } else if (c >= 0x80) {
                i = utf8Run(i, c);
            } else {
                i++;
            }
        }
    }

    /** Checks the escape at i (a backslash); returns the index after it. */
    private int escape(int i) throws Malformed {
        if (i + 1 >= end) {
            throw new Malformed("the line ends inside an escape at column " + column(i));
        }
        switch (b[i + 1]) {
            case '"', '\\', '/', 'b', 'f', 'n', 'r', 't' -> {
                return i + 2;
            }
            case 'u' -> {
                if (i + 6 > end || (hex(b[i + 2]) | hex(b[i + 3]) | hex(b[i + 4]) | hex(b[i + 5])) < 0) {
                    throw new Malformed("a bad \\u escape at column " + column(i) + " (needs four hex digits)");
                }
                return i + 6;
            }
            default -> throw new Malformed(String.format("an unknown escape \\%c at column %d", (char) (b[i + 1] & 0xFF), column(i)));
        }
    }

    /** Checks consecutive UTF-8 sequences from i (lead byte c >= 0x80); returns the index of the next ASCII byte. */
    private int utf8Run(int i, int c) throws Malformed {
        while (true) {
            i = utf8(i, c);
            if (i >= end || (c = b[i] & 0xFF) < 0x80) {
                return i;
            }
        }
    }

    /** Checks the UTF-8 sequence starting at i with lead byte c (>= 0x80); returns the index after it. */
    private int utf8(int i, int c) throws Malformed {
        if (c >= 0xC2 && c < 0xE0 && i + 1 < end && (b[i + 1] & 0xC0) == 0x80) {
            return i + 2;
        }
        if (c >= 0xE1 && c < 0xF0 && c != 0xED && i + 2 < end && (b[i + 1] & 0xC0) == 0x80 && (b[i + 2] & 0xC0) == 0x80) {
            return i + 3;
        }
        return utf8Slow(i, c);
    }

    /** The whole rule (overlong forms, surrogates, the U+10FFFF limit), and which byte breaks it. */
    private int utf8Slow(int i, int c) throws Malformed {
        int n;
        int lo = 0x80;
        int hi = 0xBF;
        if (c >= 0xC2 && c <= 0xDF) {
            n = 1;
        } else if (c >= 0xE0 && c <= 0xEF) {
            n = 2;
            if (c == 0xE0) {
                lo = 0xA0;
            } else if (c == 0xED) {
                hi = 0x9F; // no UTF-16 surrogates in UTF-8
            }
        } else if (c >= 0xF0 && c <= 0xF4) {
            n = 3;
            if (c == 0xF0) {
                lo = 0x90;
            } else if (c == 0xF4) {
                hi = 0x8F;
            }
        } else {
            throw invalidUtf8(i, c);
        }
        if (i + n >= end) {
            throw new Malformed(String.format("invalid UTF-8: the sequence at column %d is cut off", column(i)));
        }
        int c1 = b[i + 1] & 0xFF;
        if (c1 < lo || c1 > hi) {
            throw invalidUtf8(i + 1, c1);
        }
        for (int k = 2; k <= n; k++) {
            int ck = b[i + k] & 0xFF;
            if ((ck & 0xC0) != 0x80) {
                throw invalidUtf8(i + k, ck);
            }
        }
        return i + n + 1;
    }

    private Malformed invalidUtf8(int i, int c) {
        return new Malformed(String.format("invalid UTF-8: byte 0x%02x at column %d", c, column(i)));
    }

    private void number() throws Malformed {
        int start = pos;
        if (b[pos] == '-') {
            pos++;
        }
        if (pos < end && b[pos] == '0') {
            pos++;
        } else if (!digits()) {
            throw badNumber(start);
        }
        if (pos < end && b[pos] == '.') {
            pos++;
            if (!digits()) {
                throw badNumber(start);
            }
        }
        if (pos < end && (b[pos] == 'e' || b[pos] == 'E')) {
            pos++;
            if (pos < end && (b[pos] == '+' || b[pos] == '-')) {
                pos++;
            }
            if (!digits()) {
                throw badNumber(start);
            }
        }
    }

    private boolean digits() {
        int start = pos;
        while (pos < end && b[pos] >= '0' && b[pos] <= '9') {
            pos++;
        }
        return pos > start;
    }

    private Malformed badNumber(int start) {
        return new Malformed("a malformed number at column " + column(start));
    }

    private void literal(String word) throws Malformed {
        int n = word.length();
        for (int k = 0; k < n; k++) {
            if (pos + k >= end || b[pos + k] != word.charAt(k)) {
                throw unexpected(b[pos] & 0xFF, "a value");
            }
        }
        pos += n;
    }

    private Malformed unexpected(int c, String expected) {
        String what = c == '\'' ? "a single quote (JSON strings take double quotes)"
                : c >= 0x21 && c < 0x7F ? "'" + (char) c + "'"
                : String.format("byte 0x%02x", c);
        return new Malformed("unexpected " + what + " at column " + column(pos) + ", expected " + expected);
    }

    private int column(int at) {
        return at - lineStart + 1;
    }

    private static final byte[] HEX = new byte[256];

    static {
        java.util.Arrays.fill(HEX, (byte) -1);
        for (int i = 0; i < 10; i++) {
            HEX['0' + i] = (byte) i;
        }
        for (int i = 0; i < 6; i++) {
            HEX['a' + i] = (byte) (10 + i);
            HEX['A' + i] = (byte) (10 + i);
        }
    }

    private static int hex(byte c) {
        return HEX[c & 0xFF];
    }

    /** Decodes the last string (escapes resolved) into scratch as UTF-8; a lone surrogate becomes 3 bytes. */
    private void decode() {
        if (decodedLen >= 0) {
            return;
        }
        if (scratch.length < textEnd - textStart) {
            scratch = new byte[Math.max(textEnd - textStart, scratch.length * 2)];
        }
        int o = 0;
        int i = textStart;
        while (i < textEnd) {
            if (b[i] != '\\') {
                int j = indexOfBackslash(i, textEnd);
                System.arraycopy(b, i, scratch, o, j - i);
                o += j - i;
                i = j;
                if (i >= textEnd) {
                    break;
                }
            }
            byte e = b[i + 1];
            i += 2;
            switch (e) {
                case 'b' -> scratch[o++] = '\b';
                case 'f' -> scratch[o++] = '\f';
                case 'n' -> scratch[o++] = '\n';
                case 'r' -> scratch[o++] = '\r';
                case 't' -> scratch[o++] = '\t';
                case 'u' -> {
                    int cp = (hex(b[i]) << 12) | (hex(b[i + 1]) << 8) | (hex(b[i + 2]) << 4) | hex(b[i + 3]);
                    i += 4;
                    if (cp >= 0xD800 && cp <= 0xDBFF && i + 6 <= textEnd && b[i] == '\\' && b[i + 1] == 'u') {
                        int lo = (hex(b[i + 2]) << 12) | (hex(b[i + 3]) << 8) | (hex(b[i + 4]) << 4) | hex(b[i + 5]);
                        if (lo >= 0xDC00 && lo <= 0xDFFF) {
                            cp = 0x10000 + ((cp - 0xD800) << 10) + (lo - 0xDC00);
                            i += 6;
                        }
                    }
                    o = putUtf8(cp, o);
                }
                default -> scratch[o++] = e; // '"', '\\', '/'
            }
        }
        decodedLen = o;
    }

    private int indexOfBackslash(int from, int to) {
        int i = from;
        for (; i + 8 <= to; i += 8) {
            long x = (long) LONGS.get(b, i) ^ BACKSLASHES;
            long found = (x - ONES) & ~x & HIGHS;
            if (found != 0) {
                return i + (Long.numberOfTrailingZeros(found) >>> 3);
            }
        }
        while (i < to && b[i] != '\\') {
            i++;
        }
        return i;
    }

    /** An escape (6 bytes, or 12 for a pair) never decodes to more bytes than it takes, so scratch is big enough. */
    private int putUtf8(int cp, int o) {
        if (cp < 0x80) {
            scratch[o++] = (byte) cp;
        } else if (cp < 0x800) {
            scratch[o++] = (byte) (0xC0 | (cp >> 6));
            scratch[o++] = (byte) (0x80 | (cp & 0x3F));
        } else if (cp < 0x10000) {
            scratch[o++] = (byte) (0xE0 | (cp >> 12));
            scratch[o++] = (byte) (0x80 | ((cp >> 6) & 0x3F));
            scratch[o++] = (byte) (0x80 | (cp & 0x3F));
        } else {
            scratch[o++] = (byte) (0xF0 | (cp >> 18));
            scratch[o++] = (byte) (0x80 | ((cp >> 12) & 0x3F));
            scratch[o++] = (byte) (0x80 | ((cp >> 6) & 0x3F));
            scratch[o++] = (byte) (0x80 | (cp & 0x3F));
        }
        return o;
    }
}
