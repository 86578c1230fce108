package dev.warden.data;

import dev.warden.UserError;

import java.util.Locale;

/** The record layouts Warden knows. {@link #UNKNOWN} is only ever detected, never asked for. */
public enum DataFormat {
    /** {"messages": [{"role": ..., "content": ...}, ...]} */
    CHAT("chat", "messages [{role, content}]"),
    /** {"prompt": ..., "completion": ...}: each a string, or a list of chat messages */
    PROMPT_COMPLETION("prompt_completion", "prompt and completion"),
    /** {"text": ...} */
    TEXT("text", "text"),
    UNKNOWN("unknown", "no known fields");

    private final String id;
    private final String fields;

    DataFormat(String id, String fields) {
        this.id = id;
        this.fields = fields;
    }

    /** The name used on the command line, in warden.yaml and in JSON output. */
    public String id() {
        return id;
    }

    /** The fields this format needs, in words. */
    public String fields() {
        return fields;
    }

    /** Parses "chat", "prompt_completion" (or "prompt-completion") and "text". */
    public static DataFormat parse(String text) {
        String s = text.trim().toLowerCase(Locale.ROOT).replace('-', '_');
        for (DataFormat f : values()) {
            if (f != UNKNOWN && f.id.equals(s)) {
                return f;
            }
        }
        throw new UserError("unknown data format `" + text + "`; use chat, prompt_completion or text");
    }
}
