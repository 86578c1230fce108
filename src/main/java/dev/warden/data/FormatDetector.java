package dev.warden.data;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;

/** Guesses the record layout from the keys of the first 100 records. */
final class FormatDetector {
    static final int LOOK_AT = 100;
    private static final JsonFactory JSON = new JsonFactory();

    /** The guess, how many records it was based on, and for an unknown layout the first record's keys and a hint. */
    record Detected(DataFormat format, int looked, List<String> firstKeys, String hint) {}

    private int chat;
    private int pc;
    private int text;
    private int looked;
    private List<String> firstKeys;

    /** True until enough records were seen to decide. */
    boolean wantsMore() {
        return looked < LOOK_AT;
    }

    /** Looks at the records in b[0, len): whole lines, the next piece of the file. */
    void feed(byte[] b, int len) {
        int pos = 0;
        while (pos < len && looked < LOOK_AT) {
            int nl = Bytes.indexOfNewline(b, pos, len);
            int end = nl < 0 ? len : nl;
            int start = Bytes.startsWithBom(b, pos, end) ? pos + 3 : pos;
            List<String> keys = topLevelKeys(b, start, end);
            pos = end + 1;
            if (keys == null) {
                continue;
            }
            looked++;
            if (firstKeys == null) {
                firstKeys = keys;
            }
            if (keys.contains("messages")) {
                chat++;
            } else if (keys.contains("prompt") && keys.contains("completion")) {
                pc++;
            } else if (keys.contains("text")) {
                text++;
            }
        }
    }

    Detected result() {
        if (chat + pc + text == 0) {
            List<String> k = firstKeys == null ? List.of() : firstKeys;
            return new Detected(DataFormat.UNKNOWN, looked, k, hint(k));
        }
        DataFormat f = chat >= pc && chat >= text ? DataFormat.CHAT : pc >= text ? DataFormat.PROMPT_COMPLETION : DataFormat.TEXT;
        return new Detected(f, looked, firstKeys, "");
    }

    /** The keys of a one-line JSON object, or null when the line is not one. */
    private static List<String> topLevelKeys(byte[] b, int start, int end) {
        try (JsonParser p = JSON.createParser(b, start, end - start)) {
            if (p.nextToken() != JsonToken.START_OBJECT) {
                return null;
            }
            List<String> keys = new ArrayList<>();
            while (p.nextToken() == JsonToken.FIELD_NAME) {
                keys.add(p.currentName());
                p.nextToken();
                p.skipChildren();
            }
            return keys;
        } catch (IOException e) {
            return null;
        }
    }

    /** Known layouts that are not one of the three, with what to do about them. */
    static String hint(List<String> keys) {
        if (keys.contains("conversations")) {
            return "\"conversations\" looks like ShareGPT (from/value): convert it to messages [{role, content}]";
        }
        if (keys.contains("instruction") && keys.contains("output")) {
            return "instruction/input/output looks like Alpaca: map it to prompt/completion";
        }
        if (keys.contains("chosen") && keys.contains("rejected")) {
            return "chosen/rejected is preference (DPO) data, which this check does not read";
        }
        if (keys.contains("question") && keys.contains("answer")) {
            return "question/answer: map it to prompt/completion";
        }
        return "";
    }
}
