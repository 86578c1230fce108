package dev.warden.spec;

import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;

import java.io.IOException;
import java.util.ArrayDeque;
import java.util.Deque;

/**
 * Finds the line:column of a key path in YAML text, for error messages. Paths are written the way
 * {@link SpecLoader} names keys: `budget.max_wall`, `command[1]`, `checks[0].name`.
 */
final class SpecLocator {
    private static final YAMLFactory YAML = new YAMLFactory();

    private SpecLocator() {}

    /** Where the key is written (for a list item, the item); null when the path is not in the text. */
    static String key(String yaml, String path) {
        return find(yaml, path, false);
    }

    /** Where the key's value starts; falls back to the key when the value is empty; null when absent. */
    static String value(String yaml, String path) {
        String v = find(yaml, path, true);
        return v != null ? v : find(yaml, path, false);
    }

    /** One open mapping (its current key) or list (its current index). */
    private static final class Frame {
        final String path;
        final boolean list;
        String key;
        int index = -1;

        Frame(String path, boolean list) {
            this.path = path;
            this.list = list;
        }

        String child() {
            if (list) {
                return path + "[" + index + "]";
            }
            return path.isEmpty() ? key : path + "." + key;
        }
    }

    private static String find(String yaml, String target, boolean wantValue) {
        try (JsonParser p = YAML.createParser(yaml)) {
            Deque<Frame> stack = new ArrayDeque<>();
            JsonToken t;
            while ((t = p.nextToken()) != null) {
                Frame top = stack.peek();
                if (t == JsonToken.FIELD_NAME) {
                    top.key = p.currentName();
                    if (!wantValue && top.child().equals(target)) {
                        return where(p.currentTokenLocation());
                    }
                    continue;
                }
                if (t == JsonToken.END_OBJECT || t == JsonToken.END_ARRAY) {
                    stack.pop();
                    continue;
                }
                String path = "";
                if (top != null) {
                    if (top.list) {
                        top.index++;
                    }
                    path = top.child();
                }
                if ((wantValue || top != null && top.list) && path.equals(target)) {
                    return where(p.currentTokenLocation());
                }
                if (t == JsonToken.START_OBJECT || t == JsonToken.START_ARRAY) {
                    stack.push(new Frame(path, t == JsonToken.START_ARRAY));
                }
            }
        } catch (IOException | RuntimeException e) {
            // a location is a courtesy; the message still names the key
        }
        return null;
    }

    private static String where(JsonLocation l) {
        return l.getLineNr() + ":" + l.getColumnNr();
    }
}
