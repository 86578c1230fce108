package dev.warden.data;

import com.dynatrace.hash4j.hashing.HashStream64;
import com.dynatrace.hash4j.hashing.Hashing;
import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;

/**
 * Reads one JSONL line with Jackson's streaming parser: checks it is one JSON object with the format's
 * fields, and reduces it to hashes (whole record; prompt and answer, for contradictions) and a token count.
 * Only the text fields are decoded; everything else is validated and skipped. One instance per thread.
 *
 * <p>The normalised record that duplicates are judged on: the format's text fields only (roles and contents
 * for chat), each trimmed of surrounding whitespace. Key order, JSON spacing, escapes and other fields
 * (ids, metadata) do not count. For an unknown format it is the whole line, trimmed.
 */
final class RecordParser {
    static final int RECORD = 0;
    static final int MALFORMED = 1;
    static final int FIELDS = 2;

    /** Template tokens a chat message adds around its content (role header, separators). */
    static final int PER_MESSAGE_ALLOWANCE = 4;
    /** Special tokens (BOS/EOS) around a plain-text or prompt/completion record. */
    static final int PER_RECORD_ALLOWANCE = 2;

    private static final JsonFactory JSON = JsonFactory.builder().disable(JsonFactory.Feature.INTERN_FIELD_NAMES).build();
    private static final long EMPTY_TEXT = 0x5bd1e9955bd1e995L;
    private static final int MAX_KEYS_NOTED = 6;

    private final DataFormat format;
    private final TokenCounter counter;
    private final HashStream64 hs = Hashing.xxh3_64().hashStream();
    private final List<String> texts = new ArrayList<>();
    private final String[] keys = new String[MAX_KEYS_NOTED];

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
        try (JsonParser p = JSON.createParser(b, off, len)) {
            JsonToken t = p.nextToken();
            if (t != JsonToken.START_OBJECT) {
                p.skipChildren();
                return malformed("not a JSON object: the line holds " + kind(t));
            }
            switch (format) {
                case CHAT -> chat(p);
                case PROMPT_COMPLETION -> promptCompletion(p);
                case TEXT -> text(p);
                case UNKNOWN -> p.skipChildren();
            }
            if (p.nextToken() != null) {
                return malformed("a second JSON value follows the object at column " + column(p));
            }
        } catch (JsonProcessingException e) {
            return malformed(reason(e));
        } catch (IOException e) {
            return malformed("unreadable: " + e.getMessage());
        }
        if (problem != null) {
            return FIELDS;
        }
        if (format == DataFormat.UNKNOWN) {
            recordHash = hashTrimmedBytes(b, off, len);
            tokens = TokenCounter.ESTIMATE.estimate(len);
            return RECORD;
        }
        tokens = countTokens();
        return RECORD;
    }

    private int malformed(String why) {
        problem = why;
        return MALFORMED;
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

    private void chat(JsonParser p) throws IOException {
        boolean seen = false;
        while (p.nextToken() == JsonToken.FIELD_NAME) {
            String name = noteKey(p.currentName());
            JsonToken t = p.nextToken();
            if (name.equals("messages")) {
                seen = true;
                if (conversation(p, t, "messages")) {
                    recordHash = convHash;
                    if (convEndsWithAssistant && convMessages > 1) {
                        promptHash = convPrefix;
                        answerHash = convLastContent;
                    }
                }
            } else {
                p.skipChildren();
            }
        }
        if (!seen) {
            fieldProblem("no \"messages\"" + keysNote());
        } else if (problem == null && !convHasAssistant) {
            emptyNote("no assistant message, nothing to learn from");
        }
    }

    private void promptCompletion(JsonParser p) throws IOException {
        boolean sawPrompt = false;
        boolean sawCompletion = false;
        while (p.nextToken() == JsonToken.FIELD_NAME) {
            String name = noteKey(p.currentName());
            JsonToken t = p.nextToken();
            if (name.equals("prompt")) {
                sawPrompt = true;
                promptHash = textOrConversation(p, t, "prompt");
            } else if (name.equals("completion")) {
                sawCompletion = true;
                answerHash = textOrConversation(p, t, "completion");
            } else {
                p.skipChildren();
            }
        }
        if (!sawPrompt || !sawCompletion) {
            fieldProblem("no \"" + (sawPrompt ? "completion" : "prompt") + "\"" + keysNote());
        }
        recordHash = mix(mix(0x243F6A8885A308D3L, promptHash), answerHash);
    }

    private void text(JsonParser p) throws IOException {
        boolean seen = false;
        while (p.nextToken() == JsonToken.FIELD_NAME) {
            String name = noteKey(p.currentName());
            JsonToken t = p.nextToken();
            if (name.equals("text")) {
                seen = true;
                if (t == JsonToken.VALUE_STRING) {
                    recordHash = string(p);
                    if (recordHash == EMPTY_TEXT) {
                        emptyNote("\"text\" is empty");
                    }
                } else {
                    fieldProblem("\"text\" is " + kind(t) + ", expected a string");
                    p.skipChildren();
                }
            } else {
                p.skipChildren();
            }
        }
        if (!seen) {
            fieldProblem("no \"text\"" + keysNote());
        }
    }

    /** A prompt or completion: a string, or a list of chat messages. Returns its hash. */
    private long textOrConversation(JsonParser p, JsonToken t, String field) throws IOException {
        if (t == JsonToken.VALUE_STRING) {
            long h = string(p);
            if (h == EMPTY_TEXT) {
                emptyNote("\"" + field + "\" is empty");
            }
            return h;
        }
        if (t == JsonToken.START_ARRAY) {
            return conversation(p, t, field) ? convHash : 0;
        }
        fieldProblem("\"" + field + "\" is " + kind(t) + ", expected a string or a list of messages");
        p.skipChildren();
        return 0;
    }

    /** A list of {role, content} messages; sets the conv* fields. Returns false when it is not one. */
    private boolean conversation(JsonParser p, JsonToken t, String field) throws IOException {
        if (t != JsonToken.START_ARRAY) {
            fieldProblem("\"" + field + "\" is " + kind(t) + ", expected a list of {role, content}");
            p.skipChildren();
            return false;
        }
        long acc = 0x13198A2E03707344L;
        long before = acc;
        long lastContent = 0;
        boolean lastIsAssistant = false;
        boolean anyAssistant = false;
        int i = 0;
        JsonToken m;
        while ((m = p.nextToken()) != JsonToken.END_ARRAY) {
            int at = i++;
            if (m != JsonToken.START_OBJECT) {
                fieldProblem(at(field, at) + " is " + kind(m) + ", expected {role, content}");
                p.skipChildren();
                continue;
            }
            long roleHash = 0;
            int role = Roles.NONE;
            long content = EMPTY_TEXT;
            boolean sawContent = false;
            boolean nullContent = false;
            boolean toolCalls = false;
            boolean shareGpt = false;
            while (p.nextToken() == JsonToken.FIELD_NAME) {
                String name = p.currentName();
                JsonToken v = p.nextToken();
                switch (name) {
                    case "role" -> {
                        if (v == JsonToken.VALUE_STRING) {
                            role = Roles.of(p.getTextCharacters(), p.getTextOffset(), p.getTextLength());
                            roleHash = hashChars(p.getTextCharacters(), p.getTextOffset(), p.getTextLength());
                        } else {
                            fieldProblem(at(field, at) + ".role is " + kind(v) + ", expected a string");
                            p.skipChildren();
                            role = Roles.OTHER;
                        }
                    }
                    case "content" -> {
                        sawContent = true;
                        if (v == JsonToken.VALUE_STRING) {
                            content = string(p);
                        } else if (v == JsonToken.START_ARRAY) {
                            content = parts(p, field, at);
                        } else if (v == JsonToken.VALUE_NULL) {
                            nullContent = true;
                        } else {
                            fieldProblem(at(field, at) + ".content is " + kind(v) + ", expected a string");
                            p.skipChildren();
                        }
                    }
                    case "tool_calls", "function_call" -> {
                        toolCalls = v != JsonToken.VALUE_NULL;
                        p.skipChildren();
                    }
                    case "from", "value" -> {
                        shareGpt = true;
                        p.skipChildren();
                    }
                    default -> p.skipChildren();
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
    private long parts(JsonParser p, String field, int at) throws IOException {
        hs.reset();
        boolean any = false;
        int i = 0;
        JsonToken t;
        while ((t = p.nextToken()) != JsonToken.END_ARRAY) {
            if (t != JsonToken.START_OBJECT) {
                fieldProblem(at(field, at) + ".content[" + i + "] is " + kind(t) + ", expected {type, text}");
                p.skipChildren();
            } else {
                while (p.nextToken() == JsonToken.FIELD_NAME) {
                    String name = p.currentName();
                    JsonToken v = p.nextToken();
                    if (name.equals("text") && v == JsonToken.VALUE_STRING) {
                        any |= putTrimmed(p, hs);
                        hs.putChar('\u0000');
                    } else {
                        p.skipChildren();
                    }
                }
            }
            i++;
        }
        return any ? hs.getAsLong() : EMPTY_TEXT;
    }

    // ---- text values

    /** Hash of the current string value, trimmed; also counts its UTF-8 size and keeps it for the tokenizer. */
    private long string(JsonParser p) throws IOException {
        hs.reset();
        return putTrimmed(p, hs) ? hs.getAsLong() : EMPTY_TEXT;
    }

    /** Puts the trimmed current string into the stream; false when it is blank. */
    private boolean putTrimmed(JsonParser p, HashStream64 into) throws IOException {
        char[] c = p.getTextCharacters();
        int off = p.getTextOffset();
        int end = off + p.getTextLength();
        if (counter.needsText()) {
            texts.add(new String(c, off, end - off));
        } else {
            textBytes += utf8Length(c, off, end);
        }
        while (off < end && c[off] <= ' ') {
            off++;
        }
        while (end > off && c[end - 1] <= ' ') {
            end--;
        }
        if (off == end) {
            return false;
        }
        into.putChars(c, off, end - off);
        return true;
    }

    private long hashChars(char[] c, int off, int len) {
        return hs.reset().putChars(c, off, len).getAsLong();
    }

    private long hashTrimmedBytes(byte[] b, int off, int len) {
        int end = off + len;
        while (off < end && Bytes.isJsonSpace(b[off])) {
            off++;
        }
        while (end > off && Bytes.isJsonSpace(b[end - 1])) {
            end--;
        }
        return hs.reset().putBytes(b, off, end - off).getAsLong();
    }

    /**
     * UTF-8 size of UTF-16 text: 1, 2 or 3 bytes a char by its value. A surrogate pair counts 6 instead of 4;
     * fine for an estimate, and the branch-free form runs about twice as fast as an exact one.
     */
    static long utf8Length(char[] c, int from, int to) {
        int extra = 0;
        for (int i = from; i < to; i++) {
            int ch = c[i];
            extra += ((ch + 0xFF80) >>> 16) + ((ch + 0xF800) >>> 16);
        }
        return (to - from) + (long) extra;
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

    private String noteKey(String name) {
        if (keyCount < MAX_KEYS_NOTED) {
            keys[keyCount++] = name;
        }
        return name;
    }

    private String keysNote() {
        if (keyCount == 0) {
            return " (the object is empty)";
        }
        StringBuilder s = new StringBuilder(" (keys: ");
        for (int i = 0; i < keyCount; i++) {
            s.append(i > 0 ? ", " : "").append(keys[i]);
        }
        return s.append(keyCount == MAX_KEYS_NOTED ? ", ...)" : ")").toString();
    }

    static String kind(JsonToken t) {
        if (t == null) {
            return "nothing";
        }
        return switch (t) {
            case START_OBJECT -> "an object";
            case START_ARRAY -> "a list";
            case VALUE_STRING -> "a string";
            case VALUE_NUMBER_INT, VALUE_NUMBER_FLOAT -> "a number";
            case VALUE_TRUE, VALUE_FALSE -> "a boolean";
            case VALUE_NULL -> "null";
            default -> t.asString() == null ? t.name().toLowerCase(java.util.Locale.ROOT) : t.asString();
        };
    }

    /**
     * Jackson's first message line, without its source dump, plus the column (bytes from the line start,
     * 1-based; Jackson counts byte offsets from the start of the range it was given).
     */
    static String reason(JsonProcessingException e) {
        String m = e.getOriginalMessage();
        int cut = m.indexOf(" (start marker at");
        if (cut > 0) {
            m = m.substring(0, cut);
        }
        cut = m.indexOf('\n');
        if (cut > 0) {
            m = m.substring(0, cut);
        }
        if (m.startsWith("Invalid UTF-8")) {
            m = "invalid UTF-8: " + m;
        }
        long col = e.getLocation() == null ? -1 : e.getLocation().getByteOffset();
        return col >= 0 ? m + " at column " + (col + 1) : m;
    }

    private static long column(JsonParser p) {
        return p.currentTokenLocation().getByteOffset() + 1;
    }

    static long mix(long acc, long h) {
        long x = acc * 0x9E3779B97F4A7C15L + h;
        x ^= x >>> 33;
        x *= 0xff51afd7ed558ccdL;
        x ^= x >>> 33;
        x *= 0xc4ceb9fe1a85ec53L;
        return x ^ (x >>> 33);
    }

    /** Role names: only user and assistant matter to the checks; "model" is Gemma's word for assistant. */
    static final class Roles {
        static final int NONE = 0;
        static final int USER = 1;
        static final int ASSISTANT = 2;
        static final int OTHER = 3;

        private Roles() {}

        static int of(char[] c, int off, int len) {
            if (is(c, off, len, "assistant") || is(c, off, len, "model")) {
                return ASSISTANT;
            }
            return is(c, off, len, "user") ? USER : OTHER;
        }

        private static boolean is(char[] c, int off, int len, String s) {
            if (len != s.length()) {
                return false;
            }
            for (int i = 0; i < len; i++) {
                if (c[off + i] != s.charAt(i)) {
                    return false;
                }
            }
            return true;
        }
    }
}
