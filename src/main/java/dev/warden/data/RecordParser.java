package dev.warden.data;

import com.dynatrace.hash4j.hashing.HashStream64;
import com.dynatrace.hash4j.hashing.Hashing;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

import static dev.warden.data.JsonScanner.END_ARRAY;
import static dev.warden.data.JsonScanner.END_OBJECT;
import static dev.warden.data.JsonScanner.FIELD_NAME;
import static dev.warden.data.JsonScanner.NULL;
import static dev.warden.data.JsonScanner.START_ARRAY;
import static dev.warden.data.JsonScanner.START_OBJECT;
import static dev.warden.data.JsonScanner.STRING;

/**
 * Reads one JSONL line: checks it is one valid JSON object with the format's fields, and reduces it to
 * hashes (whole record; prompt and answer, for contradictions) and a token count. Only the text fields are
 * decoded; everything else is validated and skipped. One instance per thread.
 *
 * <p>The normalised record that duplicates are judged on: the format's text fields only (roles and contents
 * for chat), each with escapes resolved and trimmed of surrounding whitespace. Key order, JSON spacing,
 * escape spelling and other fields (ids, metadata) do not count. For an unknown format: the whole line, trimmed.
 */
final class RecordParser {
    static final int RECORD = 0;
    static final int MALFORMED = 1;
    static final int FIELDS = 2;

    /** Template tokens a chat message adds around its content (role header, separators). */
    static final int PER_MESSAGE_ALLOWANCE = 4;
    /** Special tokens (BOS/EOS) around a plain-text or prompt/completion record. */
    static final int PER_RECORD_ALLOWANCE = 2;

    private static final long EMPTY_TEXT = 0x5bd1e9955bd1e995L;
    private static final int MAX_KEYS_NOTED = 6;

    private static final byte[] MESSAGES = ascii("messages");
    private static final byte[] PROMPT = ascii("prompt");
    private static final byte[] COMPLETION = ascii("completion");
    private static final byte[] TEXT = ascii("text");
    private static final byte[] ROLE = ascii("role");
    private static final byte[] CONTENT = ascii("content");
    private static final byte[] TOOL_CALLS = ascii("tool_calls");
    private static final byte[] FUNCTION_CALL = ascii("function_call");
    private static final byte[] FROM = ascii("from");
    private static final byte[] VALUE = ascii("value");
    private static final byte[] USER_ROLE = ascii("user");
    private static final byte[] ASSISTANT_ROLE = ascii("assistant");
    private static final byte[] MODEL_ROLE = ascii("model");

    private final DataFormat format;
    private final TokenCounter counter;
    private final JsonScanner sc = new JsonScanner();
    private final HashStream64 hs = Hashing.xxh3_64().hashStream();
    private final List<String> texts = new ArrayList<>();
    private final int[] keyStarts = new int[MAX_KEYS_NOTED];
    private final int[] keyEnds = new int[MAX_KEYS_NOTED];
    private byte[] line;

    // results of the last parse
    long recordHash;
    long promptHash;
    long answerHash;
    int tokens;
    String problem;
    String emptyNote;

    // per-record scratch
    private long textBytes;
    private int messages;
    private int keyCount;
    // results of the last conversation read
    private long convHash;
    private long convPrefix;
    private long convLastContent;
    private boolean convEndsWithAssistant;
    private boolean convHasAssistant;
    private int convMessages;

    RecordParser(DataFormat format, TokenCounter counter) {
        this.format = format;
        this.counter = counter;
    }

    /** Parses b[off, off+len): one line without its line ending. Returns RECORD, MALFORMED or FIELDS. */
    int parse(byte[] b, int off, int len) {
        recordHash = promptHash = answerHash = 0;
        tokens = 0;
        problem = emptyNote = null;
        textBytes = 0;
        messages = 0;
        keyCount = 0;
        texts.clear();
        line = b;
        sc.reset(b, off, len);
        try {
            int t = sc.next();
            if (t != START_OBJECT) {
                problem = "not a JSON object: the line holds " + kind(t);
                return MALFORMED;
            }
            switch (format) {
                case CHAT -> chat();
                case PROMPT_COMPLETION -> promptCompletion();
                case TEXT -> text();
                case UNKNOWN -> sc.skip(t);
            }
            sc.next(); // END, or a Malformed for anything after the object
        } catch (JsonScanner.Malformed e) {
            problem = e.getMessage();
            return MALFORMED;
        }
        if (problem != null) {
            return FIELDS;
        }
        if (format == DataFormat.UNKNOWN) {
            recordHash = hashTrimmed(b, off, len);
            tokens = TokenCounter.ESTIMATE.estimate(len);
            return RECORD;
        }
        tokens = countTokens();
        return RECORD;
    }

    private int countTokens() {
        long allowance = messages > 0 ? (long) messages * PER_MESSAGE_ALLOWANCE : PER_RECORD_ALLOWANCE;
        long n;
        if (counter.needsText()) {
            n = 0;
            for (String s : texts) {
                n += counter.count(s);
            }
        } else {
            n = counter.estimate(textBytes);
        }
        return (int) Math.min(Integer.MAX_VALUE, n + allowance);
    }

    // ---- formats

    private void chat() throws JsonScanner.Malformed {
        boolean seen = false;
        while (sc.next() == FIELD_NAME) {
            noteKey();
            boolean isMessages = sc.textIs(MESSAGES);
            int t = sc.next();
            if (isMessages) {
                seen = true;
                if (conversation(t, "messages")) {
                    recordHash = convHash;
                    if (convEndsWithAssistant && convMessages > 1) {
                        promptHash = convPrefix;
                        answerHash = convLastContent;
                    }
                }
            } else {
                sc.skip(t);
            }
        }
        if (!seen) {
            fieldProblem("no \"messages\"" + keysNote());
        } else if (problem == null && !convHasAssistant) {
            emptyNote("no assistant message, nothing to learn from");
        }
    }

    private void promptCompletion() throws JsonScanner.Malformed {
        boolean sawPrompt = false;
        boolean sawCompletion = false;
        while (sc.next() == FIELD_NAME) {
            noteKey();
            boolean isPrompt = sc.textIs(PROMPT);
            boolean isCompletion = !isPrompt && sc.textIs(COMPLETION);
            int t = sc.next();
            if (isPrompt) {
                sawPrompt = true;
                promptHash = textOrConversation(t, "prompt");
            } else if (isCompletion) {
                sawCompletion = true;
                answerHash = textOrConversation(t, "completion");
            } else {
                sc.skip(t);
            }
        }
        if (!sawPrompt || !sawCompletion) {
            fieldProblem("no \"" + (sawPrompt ? "completion" : "prompt") + "\"" + keysNote());
        }
        recordHash = mix(mix(0x243F6A8885A308D3L, promptHash), answerHash);
    }

    private void text() throws JsonScanner.Malformed {
        boolean seen = false;
        while (sc.next() == FIELD_NAME) {
            noteKey();
            boolean isText = sc.textIs(TEXT);
            int t = sc.next();
            if (isText) {
                seen = true;
                if (t == STRING) {
                    recordHash = string();
                    if (recordHash == EMPTY_TEXT) {
                        emptyNote("\"text\" is empty");
                    }
                } else {
                    fieldProblem("\"text\" is " + kind(t) + ", expected a string");
                    sc.skip(t);
                }
            } else {
                sc.skip(t);
            }
        }
        if (!seen) {
            fieldProblem("no \"text\"" + keysNote());
        }
    }

    /** A prompt or completion: a string, or a list of chat messages. Returns its hash. */
    private long textOrConversation(int t, String field) throws JsonScanner.Malformed {
        if (t == STRING) {
            long h = string();
            if (h == EMPTY_TEXT) {
                emptyNote("\"" + field + "\" is empty");
            }
            return h;
        }
        if (t == START_ARRAY) {
            return conversation(t, field) ? convHash : 0;
        }
        fieldProblem("\"" + field + "\" is " + kind(t) + ", expected a string or a list of messages");
        sc.skip(t);
        return 0;
    }

    /** A list of {role, content} messages; sets the conv* fields. Returns false when it is not one. */
    private boolean conversation(int t, String field) throws JsonScanner.Malformed {
        if (t != START_ARRAY) {
            fieldProblem("\"" + field + "\" is " + kind(t) + ", expected a list of {role, content}");
            sc.skip(t);
            return false;
        }
        long acc = 0x13198A2E03707344L;
        long before = acc;
        long lastContent = 0;
        boolean lastIsAssistant = false;
        boolean anyAssistant = false;
        int i = 0;
        int m;
        while ((m = sc.next()) != END_ARRAY) {
            int at = i++;
            if (m != START_OBJECT) {
                fieldProblem(at(field, at) + " is " + kind(m) + ", expected {role, content}");
                sc.skip(m);
                continue;
            }
            long roleHash = 0;
            int role = Roles.NONE;
            long content = EMPTY_TEXT;
            boolean sawContent = false;
            boolean nullContent = false;
            boolean toolCalls = false;
            boolean shareGpt = false;
            while (sc.next() == FIELD_NAME) {
                int key = sc.textIs(ROLE) ? 1 : sc.textIs(CONTENT) ? 2
                        : sc.textIs(TOOL_CALLS) || sc.textIs(FUNCTION_CALL) ? 3
                        : sc.textIs(FROM) || sc.textIs(VALUE) ? 4 : 0;
                int v = sc.next();
                switch (key) {
                    case 1 -> {
                        if (v == STRING) {
                            role = Roles.of(sc);
                            roleHash = hs.reset().putBytes(sc.textBuffer(), sc.textOffset(), sc.textLength()).getAsLong();
                        } else {
                            fieldProblem(at(field, at) + ".role is " + kind(v) + ", expected a string");
                            sc.skip(v);
                            role = Roles.OTHER;
                        }
                    }
                    case 2 -> {
                        sawContent = true;
                        if (v == STRING) {
                            content = string();
                        } else if (v == START_ARRAY) {
                            content = parts(field, at);
                        } else if (v == NULL) {
                            nullContent = true;
                        } else {
                            fieldProblem(at(field, at) + ".content is " + kind(v) + ", expected a string");
                            sc.skip(v);
                        }
                    }
                    case 3 -> {
                        toolCalls = v != NULL;
                        sc.skip(v);
                    }
                    case 4 -> {
                        shareGpt = true;
                        sc.skip(v);
                    }
                    default -> sc.skip(v);
                }
            }
            if (role == Roles.NONE) {
                fieldProblem(at(field, at) + (shareGpt
                        ? " has \"from\"/\"value\" (ShareGPT style), expected \"role\"/\"content\"" : " has no \"role\""));
            } else if (!sawContent && !toolCalls) {
                fieldProblem(at(field, at) + " has no \"content\"");
            } else if (nullContent && !toolCalls) {
                fieldProblem(at(field, at) + ".content is null");
            } else if (content == EMPTY_TEXT && !toolCalls && (role == Roles.USER || role == Roles.ASSISTANT)) {
                emptyNote(at(field, at) + " (" + (role == Roles.USER ? "user" : "assistant") + ") has empty content");
            }
            messages++;
            before = acc;
            acc = mix(acc, mix(roleHash, content));
            lastContent = content;
            lastIsAssistant = role == Roles.ASSISTANT;
            anyAssistant |= lastIsAssistant;
        }
        if (i == 0) {
            fieldProblem("\"" + field + "\" is an empty list");
        }
        convHash = acc;
        convPrefix = before;
        convLastContent = lastContent;
        convEndsWithAssistant = lastIsAssistant;
        convHasAssistant = anyAssistant;
        convMessages = i;
        return true;
    }

    /** Multimodal content: [{"type": "text", "text": ...}, {"type": "image", ...}]; only text parts count. */
    private long parts(String field, int at) throws JsonScanner.Malformed {
        hs.reset();
        boolean any = false;
        int i = 0;
        int t;
        while ((t = sc.next()) != END_ARRAY) {
            if (t != START_OBJECT) {
                fieldProblem(at(field, at) + ".content[" + i + "] is " + kind(t) + ", expected {type, text}");
                sc.skip(t);
            } else {
                while (sc.next() == FIELD_NAME) {
                    boolean isText = sc.textIs(TEXT);
                    int v = sc.next();
                    if (isText && v == STRING) {
                        any |= putTrimmed();
                        hs.putByte((byte) 0);
                    } else {
                        sc.skip(v);
                    }
                }
            }
            i++;
        }
        return any ? hs.getAsLong() : EMPTY_TEXT;
    }

    // ---- text values

    /** Hash of the current string value, trimmed; also counts its UTF-8 size and keeps it for the tokenizer. */
    private long string() {
        hs.reset();
        return putTrimmed() ? hs.getAsLong() : EMPTY_TEXT;
    }

    /** Puts the current string, decoded and trimmed, into the hash; false when it is blank. */
    private boolean putTrimmed() {
        byte[] c = sc.textBuffer();
        int off = sc.textOffset();
        int end = off + sc.textLength();
        if (counter.needsText()) {
            texts.add(new String(c, off, end - off, StandardCharsets.UTF_8));
        } else {
            textBytes += end - off;
        }
        while (off < end && (c[off] & 0xFF) <= ' ') {
            off++;
        }
        while (end > off && (c[end - 1] & 0xFF) <= ' ') {
            end--;
        }
        if (off == end) {
            return false;
        }
        hs.putBytes(c, off, end - off);
        return true;
    }

    private long hashTrimmed(byte[] b, int off, int len) {
        int end = off + len;
        while (off < end && Bytes.isJsonSpace(b[off])) {
            off++;
        }
        while (end > off && Bytes.isJsonSpace(b[end - 1])) {
            end--;
        }
        return hs.reset().putBytes(b, off, end - off).getAsLong();
    }

    // ---- problems

    private static String at(String field, int index) {
        return field + "[" + index + "]";
    }

    private void fieldProblem(String why) {
        if (problem == null) {
            problem = why;
        }
    }

    private void emptyNote(String why) {
        if (emptyNote == null) {
            emptyNote = why;
        }
    }

    /** Remembers where the top-level key just read is; only turned into text when a record lacks its fields. */
    private void noteKey() {
        if (keyCount < MAX_KEYS_NOTED) {
            keyStarts[keyCount] = sc.rawStart();
            keyEnds[keyCount] = sc.rawEnd();
            keyCount++;
        }
    }

    private String keysNote() {
        if (keyCount == 0) {
            return " (the object is empty)";
        }
        StringBuilder s = new StringBuilder(" (keys: ");
        for (int i = 0; i < keyCount; i++) {
            s.append(i > 0 ? ", " : "").append(new String(line, keyStarts[i], keyEnds[i] - keyStarts[i], StandardCharsets.UTF_8));
        }
        return s.append(keyCount == MAX_KEYS_NOTED ? ", ...)" : ")").toString();
    }

    static String kind(int t) {
        return switch (t) {
            case START_OBJECT -> "an object";
            case START_ARRAY -> "a list";
            case STRING -> "a string";
            case JsonScanner.NUMBER -> "a number";
            case JsonScanner.TRUE, JsonScanner.FALSE -> "a boolean";
            case NULL -> "null";
            default -> "nothing";
        };
    }

    static long mix(long acc, long h) {
        long x = acc * 0x9E3779B97F4A7C15L + h;
        x ^= x >>> 33;
        x *= 0xff51afd7ed558ccdL;
        x ^= x >>> 33;
        x *= 0xc4ceb9fe1a85ec53L;
        return x ^ (x >>> 33);
    }

    private static byte[] ascii(String s) {
        return s.getBytes(StandardCharsets.US_ASCII);
    }

    /** Role names: only user and assistant matter to the checks; "model" is Gemma's word for assistant. */
    static final class Roles {
        static final int NONE = 0;
        static final int USER = 1;
        static final int ASSISTANT = 2;
        static final int OTHER = 3;

        private Roles() {}

        static int of(JsonScanner sc) {
            if (sc.textIs(ASSISTANT_ROLE) || sc.textIs(MODEL_ROLE)) {
                return ASSISTANT;
            }
            return sc.textIs(USER_ROLE) ? USER : OTHER;
        }
    }
}
