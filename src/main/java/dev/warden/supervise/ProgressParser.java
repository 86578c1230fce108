package dev.warden.supervise;

import dev.warden.spec.JobSpec;

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
    private static final Pattern TQDM = Pattern.compile("(\\d+)%\\|[^|]*\\|\\s*(\\d+(?:\\.\\d+)?[kMGT]?)/(\\d+(?:\\.\\d+)?[kMGT]?)\\s*\\[");
    private static final Pattern TQDM_NO_TOTAL = Pattern.compile("(?:^|\\s)(\\d+)it \\[");
    private static final Pattern DICT_LOSS = Pattern.compile("'loss': (-?[0-9.eE+-]+|nan|-?inf)");
    private static final Pattern STEP = Pattern.compile("(?i)\\b(?:global_)?step\\b[\\s=:#]*(\\d+)(?:\\s*/\\s*(\\d+))?");
    private static final Pattern LOSS = Pattern.compile("(?i)(?:^|[^a-z_])(?:train_)?loss\\b['\"]?[\\s=:]+(-?(?:\\d+\\.?\\d*(?:e[-+]?\\d+)?|\\.\\d+)|nan|-?inf(?:inity)?)");
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
        if (!custom && !interesting(buf, off, len)) {
            return;
        }
        String line = new String(buf, off, Math.min(len, MAX_LINE), StandardCharsets.ISO_8859_1);
        if (custom) {
            customLine(line, into, now);
        }
        Matcher m = TQDM.matcher(line);
        if (m.find()) {
            into.step(count(m.group(2)), count(m.group(3)), now);
        } else if ((m = TQDM_NO_TOTAL.matcher(line)).find()) {
            into.step(Long.parseLong(m.group(1)), null, now);
        } else if (customStep == null && (m = STEP.matcher(line)).find()) {
            into.step(Long.parseLong(m.group(1)), m.group(2) == null ? null : Long.parseLong(m.group(2)), now);
        }
        if (customLoss == null) {
            Matcher d = DICT_LOSS.matcher(line);
            if (d.find() || (d = LOSS.matcher(line)).find()) {
                Double v = number(d.group(1));
                if (v != null) {
                    into.loss(v, line);
                }
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

    /** True when the line may hold progress: "%|", "it [", "{'", "loss" or "step", in any case. */
    static boolean interesting(byte[] b, int off, int len) {
        int end = off + len - 3;
        for (int i = off; i < end; i++) {
            int c = b[i] | 0x20; // ASCII lower case; other bytes never match below
            if (c == 'o') {
                if ((b[i + 1] | 0x20) == 's' && (b[i + 2] | 0x20) == 's' && i > off && (b[i - 1] | 0x20) == 'l') {
                    return true;
                }
            } else if (c == 't') {
                if ((b[i + 1] | 0x20) == 'e' && (b[i + 2] | 0x20) == 'p' && i > off && (b[i - 1] | 0x20) == 's') {
                    return true;
                }
                if (b[i + 1] == ' ' && b[i + 2] == '[' && i > off && b[i - 1] == 'i') {
                    return true;
                }
            } else if (b[i] == '%') {
                if (b[i + 1] == '|') {
                    return true;
                }
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
