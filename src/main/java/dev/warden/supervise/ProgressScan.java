package dev.warden.supervise;

import java.nio.charset.StandardCharsets;

/**
 * Hand-written scanners for the built-in progress formats, on raw bytes. A regex per line cost ten times the
 * budget of following a log at disk speed; these touch each byte of a candidate line a few times at most.
 */
final class ProgressScan {
    private ProgressScan() {}

    /** tqdm: "51%|#####     | 2616/5088 [" (also "2.62k/5.09k"). Returns {step, total} or null. */
    static long[] tqdm(byte[] b, int off, int end) {
        for (int i = off; i < end - 1; i++) {
            if (b[i] == '%' && b[i + 1] == '|') {
                int bar = indexOf(b, i + 2, end, (byte) '|');
                if (bar < 0) {
                    return null;
                }
                int p = skipSpaces(b, bar + 1, end);
                int[] pos = {p};
                double step = count(b, pos, end);
                if (Double.isNaN(step) || pos[0] >= end || b[pos[0]] != '/') {
                    continue;
                }
                pos[0]++;
                double total = count(b, pos, end);
                int q = skipSpaces(b, pos[0], end);
                if (Double.isNaN(total) || q >= end || b[q] != '[') {
                    continue;
                }
                return new long[] {(long) step, (long) total};
            }
        }
        return null;
    }

    /** tqdm with no total: "2616it [00:01, ...]". */
    static long tqdmNoTotal(byte[] b, int off, int end) {
        for (int i = off + 1; i < end - 3; i++) {
            if (b[i] == 'i' && b[i + 1] == 't' && b[i + 2] == ' ' && b[i + 3] == '[' && isDigit(b[i - 1])) {
                int s = i - 1;
                while (s > off && isDigit(b[s - 1])) {
                    s--;
                }
                if (s == off || b[s - 1] == ' ' || b[s - 1] == '\t' || b[s - 1] == '|') {
                    return parseLong(b, s, i);
                }
            }
        }
        return -1;
    }

    /** "step 12", "Step: 12/100", "global_step=12". Returns {step, total or -1} or null. */
    static long[] step(byte[] b, int off, int end) {
        for (int i = off; i <= end - 4; i++) {
            if (lower(b[i]) == 's' && lower(b[i + 1]) == 't' && lower(b[i + 2]) == 'e' && lower(b[i + 3]) == 'p'
                    && (i == off || !isWordChar(b[i - 1]) || (b[i - 1] == '_' && endsWith(b, off, i - 1, "global")))
                    && (i + 4 == end || !isWordChar(b[i + 4]))) {
                int p = i + 4;
                while (p < end && (b[p] == ' ' || b[p] == '=' || b[p] == ':' || b[p] == '#' || b[p] == '\t')) {
                    p++;
                }
                int d = p;
                while (p < end && isDigit(b[p])) {
                    p++;
                }
                if (p == d) {
                    continue;
                }
                long step = parseLong(b, d, p);
                int q = skipSpaces(b, p, end);
                long total = -1;
                if (q < end && b[q] == '/') {
                    int t = skipSpaces(b, q + 1, end);
                    int te = t;
                    while (te < end && isDigit(b[te])) {
                        te++;
                    }
                    if (te > t) {
                        total = parseLong(b, t, te);
                    }
                }
                return new long[] {step, total};
            }
        }
        return null;
    }

    /**
     * The training loss: HF "'loss': 0.52", "loss=0.52" (Lightning), "loss: 0.52", "train_loss 0.5", "loss nan".
     * Not eval_loss, val_loss or "lossless". Returns null when there is none.
     */
    static Double loss(byte[] b, int off, int end) {
        for (int i = off; i <= end - 4; i++) {
            if (lower(b[i]) != 'l' || lower(b[i + 1]) != 'o' || lower(b[i + 2]) != 's' || lower(b[i + 3]) != 's') {
                continue;
            }
            boolean boundaryBefore = i == off || !isWordChar(b[i - 1]) || b[i - 1] == '\''
                    || (b[i - 1] == '_' && endsWith(b, off, i - 1, "train"));
            if (!boundaryBefore || (i + 4 < end && isWordChar(b[i + 4]))) {
                continue;
            }
            int p = i + 4;
            if (p < end && (b[p] == '\'' || b[p] == '"')) {
                p++;
            }
            int sep = p;
            while (p < end && (b[p] == ' ' || b[p] == '=' || b[p] == ':' || b[p] == '\t')) {
                p++;
            }
            if (p == sep) {
                continue;
            }
            Double v = number(b, p, end);
            if (v != null) {
                return v;
            }
        }
        return null;
    }

    /** A float, nan, inf or -inf at b[p..]; null when there is none. */
    static Double number(byte[] b, int p, int end) {
        int s = p;
        if (p < end && (b[p] == '-' || b[p] == '+')) {
            p++;
        }
        if (p + 3 <= end) {
            String word = new String(b, p, 3, StandardCharsets.ISO_8859_1).toLowerCase();
            if (word.equals("nan") && (p + 3 == end || !isWordChar(b[p + 3]))) {
                return Double.NaN;
            }
            if (word.equals("inf")) {
                return b[s] == '-' ? Double.NEGATIVE_INFINITY : Double.POSITIVE_INFINITY;
            }
        }
        int digits = p;
        while (p < end && (isDigit(b[p]) || b[p] == '.' || b[p] == 'e' || b[p] == 'E'
                || ((b[p] == '-' || b[p] == '+') && p > digits && (b[p - 1] == 'e' || b[p - 1] == 'E')))) {
            p++;
        }
        if (p == digits || !hasDigit(b, digits, p)) {
            return null;
        }
        try {
            return Double.parseDouble(new String(b, s, p - s, StandardCharsets.ISO_8859_1));
        } catch (NumberFormatException e) {
            return null;
        }
    }

    private static double count(byte[] b, int[] pos, int end) {
        int p = pos[0];
        int s = p;
        while (p < end && (isDigit(b[p]) || b[p] == '.')) {
            p++;
        }
        if (p == s) {
            return Double.NaN;
        }
        double v;
        try {
            v = Double.parseDouble(new String(b, s, p - s, StandardCharsets.ISO_8859_1));
        } catch (NumberFormatException e) {
            return Double.NaN;
        }
        if (p < end) {
            double scale = switch (b[p]) {
                case 'k' -> 1e3;
                case 'M' -> 1e6;
                case 'G' -> 1e9;
                case 'T' -> 1e12;
                default -> 1;
            };
            if (scale != 1) {
                p++;
                v *= scale;
            }
        }
        pos[0] = p;
        return v;
    }

    private static boolean hasDigit(byte[] b, int s, int e) {
        for (int i = s; i < e; i++) {
            if (isDigit(b[i])) {
                return true;
            }
        }
        return false;
    }

    private static boolean endsWith(byte[] b, int off, int endExclusive, String word) {
        int n = word.length();
        if (endExclusive - off < n) {
            return false;
        }
        for (int k = 0; k < n; k++) {
            if (lower(b[endExclusive - n + k]) != word.charAt(k)) {
                return false;
            }
        }
        return endExclusive - n == off || !isWordChar(b[endExclusive - n - 1]);
    }

    static int indexOf(byte[] b, int from, int end, byte c) {
        for (int i = from; i < end; i++) {
            if (b[i] == c) {
                return i;
            }
        }
        return -1;
    }

    private static int skipSpaces(byte[] b, int p, int end) {
        while (p < end && b[p] == ' ') {
            p++;
        }
        return p;
    }

    private static long parseLong(byte[] b, int s, int e) {
        long v = 0;
        for (int i = s; i < e && i - s < 18; i++) {
            v = v * 10 + (b[i] - '0');
        }
        return v;
    }

    static boolean isDigit(byte c) {
        return c >= '0' && c <= '9';
    }

    static boolean isWordChar(byte c) {
        return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || isDigit(c) || c == '_';
    }

    static int lower(byte c) {
        return c >= 'A' && c <= 'Z' ? c + 32 : c;
    }
}
