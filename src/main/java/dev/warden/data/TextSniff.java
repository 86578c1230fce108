package dev.warden.data;

/**
 * A look at the first 64 KiB of text before reading lines: binary data, a JSON array, or pretty-printed
 * JSON would otherwise come out as thousands of "malformed lines" instead of one clear finding.
 */
final class TextSniff {
    private static final int WINDOW = 64 * 1024;

    private TextSniff() {}

    /** Why the text is not JSON Lines at all, with the fix; null when it looks like JSON Lines. */
    static Container.Other check(byte[] b, int len, String file) {
        int n = Math.min(len, WINDOW);
        int odd = 0;
        for (int i = 0; i < n; i++) {
            int c = b[i] & 0xFF;
            if (c == 0) {
                return new Container.Other("not text: a NUL byte at offset " + i + " (a binary file?)",
                        "point the check at the JSONL file itself; `file " + file + "` tells what this one is");
            }
            if ((c < 0x20 && c != '\t' && c != '\n' && c != '\r') || c == 0x7F) {
                odd++;
            }
        }
        int invalid = invalidUtf8(b, n);
        if (n > 0 && (odd + invalid) * 20L > n) {
            return new Container.Other("not text: " + (odd + invalid) + " of the first " + n
                    + " bytes are control codes or invalid UTF-8 (a binary file?)",
                    "point the check at the JSONL file itself; `file " + file + "` tells what this one is");
        }
        int i = Bytes.startsWithBom(b, 0, n) ? 3 : 0;
        while (i < n && Bytes.isJsonSpace(b[i])) {
            i++;
        }
        if (i < n && b[i] == '[') {
            return new Container.Other("a JSON array, not JSON Lines (one object per line)",
                    "convert it: jq -c '.[]' " + file + " > " + file + "l");
        }
        if (i < n && b[i] == '{') {
            int j = i + 1;
            while (j < n && (b[j] == ' ' || b[j] == '\t' || b[j] == '\r')) {
                j++;
            }
            if (j < n && b[j] == '\n') {
                return new Container.Other("pretty-printed JSON: the first object spans several lines",
                        "write one object per line: jq -c . " + file + " > " + file + ".jsonl");
            }
        }
        return null;
    }

    /** Bytes that cannot start or continue a UTF-8 sequence where they stand (a rough count, for the sniff). */
    private static int invalidUtf8(byte[] b, int n) {
        int bad = 0;
        int i = 0;
        while (i < n) {
            int c = b[i] & 0xFF;
            int extra = c < 0x80 ? 0 : c >= 0xC2 && c < 0xE0 ? 1 : c >= 0xE0 && c < 0xF0 ? 2 : c >= 0xF0 && c < 0xF5 ? 3 : -1;
            if (extra < 0) {
                bad++;
                i++;
                continue;
            }
            int j = 1;
            while (j <= extra && i + j < n && (b[i + j] & 0xC0) == 0x80) {
                j++;
            }
            if (j <= extra && i + j < n) {
                bad++;
                i++;
            } else {
                i += j;
            }
        }
        return bad;
    }
}
