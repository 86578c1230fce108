package dev.warden.supervise;

import dev.warden.spec.JobSpec;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Reads step, total and loss from trainer output with no change to the trainer: tqdm bars
 * ("51%|#####     | 2616/5088 [..]"), Hugging Face Trainer dicts ({'loss': 0.0162, ..., 'epoch': 0.51}),
 * Lightning bars (tqdm with "loss=0.123" in the postfix), generic "step 12/100 ... loss 0.5" lines, and the spec's
 * own regexes. A cheap byte scan decides whether a line is worth a regex at all.
 */
public final class ProgressParser {
    static final int MAX_LINE = 64 * 1024;

    private final Pattern customStep;
    private final Pattern customTotal;
    private final Pattern customLoss;

    public ProgressParser(JobSpec.Progress custom) {
        customStep = custom == null || custom.step() == null ? null : Pattern.compile(custom.step());
        customTotal = custom == null || custom.total() == null ? null : Pattern.compile(custom.total());
        customLoss = custom == null || custom.loss() == null ? null : Pattern.compile(custom.loss());
    }

    /** One line of output (without its terminator). */
    public void line(byte[] buf, int off, int len, Progress into, long now) {
        boolean custom = customStep != null || customLoss != null || customTotal != null;
        if (custom) {
            customLine(new String(buf, off, Math.min(len, MAX_LINE), StandardCharsets.ISO_8859_1), into, now);
        }
        if (!interesting(buf, off, len)) {
            return;
        }
        int end = off + Math.min(len, MAX_LINE);
        if (customStep == null) {
            long[] t = ProgressScan.tqdm(buf, off, end);
            if (t != null) {
                into.step(t[0], t[1], now);
            } else {
                long n = ProgressScan.tqdmNoTotal(buf, off, end);
                if (n >= 0) {
                    into.step(n, null, now);
                } else {
                    long[] s = ProgressScan.step(buf, off, end);
                    if (s != null) {
                        into.step(s[0], s[1] < 0 ? null : s[1], now);
                    }
                }
            }
        }
        if (customLoss == null) {
            Double v = ProgressScan.loss(buf, off, end);
            if (v != null) {
                into.loss(v, new String(buf, off, end - off, StandardCharsets.UTF_8));
            }
        }
    }

    private void customLine(String line, Progress into, long now) {
        Long total = null;
        if (customTotal != null) {
            Matcher t = customTotal.matcher(line);
            if (t.find()) {
                total = parseLongOrNull(t.group(1));
            }
        }
        if (customStep != null) {
            Matcher s = customStep.matcher(line);
            if (s.find() && parseLongOrNull(s.group(1)) != null) {
                into.step(parseLongOrNull(s.group(1)), total, now);
            }
        }
        if (customLoss != null) {
            Matcher l = customLoss.matcher(line);
            Double v = l.find() ? number(l.group(1)) : null;
            if (v != null) {
                into.loss(v, line);
            }
        }
    }

    private static final VarHandle LONGS = MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.LITTLE_ENDIAN);
    private static final long ONES = 0x0101010101010101L;
    private static final long HIGHS = 0x8080808080808080L;
    private static final long CASE = 0x2020202020202020L;
    private static final long S = 0x7373737373737373L;
    private static final long PERCENT = 0x2525252525252525L;

    /**
     * True when the line may hold progress: "%|", "loss", "step", or tqdm's "it/s" / "s/it", in any case. Eight bytes
     * at a time: OR-ing 0x20 folds case, and a word has an 's' or a '%' when (w ^ c) has a zero byte.
     */
    static boolean interesting(byte[] b, int off, int len) {
        int end = off + len;
        int i = off;
        for (; i + 8 <= end; i += 8) {
            long w = (long) LONGS.get(b, i) | CASE;
            long x = w ^ S;
            long y = w ^ PERCENT;
            if (((((x - ONES) & ~x) | ((y - ONES) & ~y)) & HIGHS) != 0 && anyAt(b, off, end, i, i + 8)) {
                return true;
            }
        }
        return anyAt(b, off, end, i, end);
    }

    private static boolean anyAt(byte[] b, int off, int end, int from, int to) {
        for (int j = from; j < to; j++) {
            int c = b[j] | 0x20;
            if (c == 's') {
                if (j - 2 >= off && j + 1 < end && (b[j - 2] | 0x20) == 'l' && (b[j - 1] | 0x20) == 'o' && (b[j + 1] | 0x20) == 's') {
                    return true;
                }
                if (j + 3 < end && (b[j + 1] | 0x20) == 't' && (b[j + 2] | 0x20) == 'e' && (b[j + 3] | 0x20) == 'p') {
                    return true;
                }
                if (j - 3 >= off && b[j - 3] == 'i' && b[j - 2] == 't' && b[j - 1] == '/') {
                    return true;
                }
                if (j + 3 < end && b[j + 1] == '/' && b[j + 2] == 'i' && b[j + 3] == 't') {
                    return true;
                }
            } else if (b[j] == '%' && j + 1 < end && b[j + 1] == '|') {
                return true;
            }
        }
        return false;
    }

    static long count(String s) {
        char unit = s.charAt(s.length() - 1);
        if (Character.isDigit(unit)) {
            return (long) Double.parseDouble(s);
        }
        double v = Double.parseDouble(s.substring(0, s.length() - 1));
        return (long) (v * switch (unit) {
            case 'k' -> 1e3;
            case 'M' -> 1e6;
            case 'G' -> 1e9;
            default -> 1e12;
        });
    }

    /** null when it is not a number at all (never mistaken for NaN). */
    static Double number(String s) {
        String t = s.toLowerCase();
        if (t.equals("nan")) {
            return Double.NaN;
        }
        if (t.startsWith("-inf")) {
            return Double.NEGATIVE_INFINITY;
        }
        if (t.startsWith("inf")) {
            return Double.POSITIVE_INFINITY;
        }
        try {
            return Double.parseDouble(s);
        } catch (NumberFormatException e) {
            return null;
        }
    }

    private static Long parseLongOrNull(String s) {
        try {
            return s == null ? null : (long) Double.parseDouble(s);
        } catch (NumberFormatException e) {
            return null;
        }
    }
}
