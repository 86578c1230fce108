package dev.warden.supervise;

import dev.warden.spec.JobSpec;

import java.nio.charset.StandardCharsets;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Reads step, total and loss from trainer output with no change to the trainer: tqdm bars
 * ("51%|#####     | 2616/5088 [..]", also unit-scaled "2.62k/5.09k", without a total "2616it [..]", and the
 * bar-less "97% 1651/1702 [..]" of notebooks), Hugging Face Trainer dicts ({'loss': 0.0162, ..., 'epoch': 0.51}),
 * Lightning bars (tqdm with "loss=0.123" or "train_loss_step=0.6" in the postfix), generic "step 12/100 ... loss 0.5"
 * and "iter 3010: loss nan" lines, and the spec's own regexes. Evaluation output (eval_loss, "val loss", a
 * "Validation DataLoader" bar) is not training progress and is skipped. A cheap byte scan, {@link #interesting},
 * decides whether a line is worth a regex at all. One parser per attempt (it remembers a total seen on its own).
 */
public final class ProgressParser {
    private static final String N = "(\\d+(?:\\.\\d+)?[kMGTP]?)";
    /** "51%|####  | 2616/5088 [" and, from notebooks that drop the bar, "97% 1651/1702 [". */
    private static final Pattern TQDM = Pattern.compile("(\\d+)%(?:\\|[^|]*\\||\\s)\\s*" + N + "/" + N + "\\s*\\[");
    private static final Pattern TQDM_NO_TOTAL = Pattern.compile("(?:^|\\s)" + N + "it \\[");
    /**
     * A bar whose description says it is not training: Lightning's validation/test bars, "Evaluating", and the
     * set-up bars of model and dataset loading ("Loading checkpoint shards", "Map", "Fetching 11 files").
     */
    private static final Pattern NOT_TRAINING_BAR = Pattern.compile(
            "(?i)valid|sanity|test|predict|eval|calculating|fetching|download|loading|shards|tokeniz|\\bmap\\b|filter|generat|extract");
    private static final Pattern DICT_LOSS = Pattern.compile("(?i)['\"]loss['\"]: ['\"]?(-?[0-9.e+-]+|nan|-?inf)");
    private static final Pattern STEP = Pattern.compile("(?i)\\b(?:global_)?(?:step|iter|iteration)\\b['\"]?[\\s=:#\\[]*(\\d+)(?:\\s*/\\s*(\\d+))?");
    private static final String NUMBER = "(-?(?:\\d+\\.?\\d*(?:e[-+]?\\d+)?|\\.\\d+)|nan|-?inf(?:inity)?)";
    /** loss, train_loss, "Train loss", train_loss_step; never val_loss, eval_loss, "Val loss", closs, lossless. */
    private static final Pattern LOSS = Pattern.compile("(?i)(?<![a-z_])(?<!(?:val|valid|validation|eval|test|dev)[ _-])"
            + "(?:train(?:ing)?[_ ])?loss(?:_step)?\\b['\"]?[\\s=:]+['\"]?" + NUMBER);
    static final int MAX_LINE = 64 * 1024;

    private final Pattern customStep;
    private final Pattern customTotal;
    private final Pattern customLoss;
    /** A total printed on a line of its own ("Training for 5000 steps"), for the steps that follow. */
    private Long knownTotal;

    public ProgressParser(JobSpec.Progress custom) {
        customStep = custom == null || custom.step() == null ? null : Pattern.compile(custom.step());
        customTotal = custom == null || custom.total() == null ? null : Pattern.compile(custom.total());
        customLoss = custom == null || custom.loss() == null ? null : Pattern.compile(custom.loss());
    }

    /** True when spec regexes are set: then every line is parsed (they may match anything). */
    public boolean hasCustom() {
        return customStep != null || customLoss != null || customTotal != null;
    }

    /** One line of output (without its terminator). */
    public void line(byte[] buf, int off, int len, Progress into, long now) {
        boolean custom = customStep != null || customLoss != null || customTotal != null;
        boolean builtin = interesting(buf, off, len);
        if (!custom && !builtin) {
            return;
        }
        String line = new String(buf, off, Math.min(len, MAX_LINE), StandardCharsets.ISO_8859_1);
        if (customTotal != null) {
            Long t = firstNumber(customTotal, line);
            knownTotal = t != null ? t : knownTotal;
        }
        if (customStep != null) {
            Long s = firstNumber(customStep, line);
            if (s != null) {
                into.step(s, knownTotal, now);
            }
        } else if (builtin) {
            LineReading s = builtinStep(line);
            if (s != null) {
                into.step(s.step(), s.total(), now);
            }
        }
        if (customLoss != null) {
            Matcher l = customLoss.matcher(line);
            Double v = l.find() && l.group(1) != null ? number(l.group(1)) : null;
            if (v != null) {
                into.loss(v, line);
            }
        } else if (builtin) {
            Double v = builtinLoss(line, 0);
            if (v != null) {
                into.loss(v, line);
            }
        }
    }

    /**
     * The built-in patterns on one line (its first {@value #MAX_LINE} bytes). Only the patterns the line has anchors
     * for run, and the loss patterns from just before the first "loss": under C1 the loss pattern's look-behinds cost
     * about 20 us on a tqdm line when tried at every position.
     */
    LineReading read(byte[] buf, int off, int len) {
        int n = Math.min(len, MAX_LINE);
        String line = new String(buf, off, n, StandardCharsets.ISO_8859_1);
        LineReading s = LineScan.firstAnchor(buf, off, off + n, LineScan.PROGRESS) >= 0 ? builtinStep(line) : null;
        int loss = LineScan.firstAnchor(buf, off, off + n, LineScan.LOSS);
        Double v = loss >= 0 ? builtinLoss(line, loss - off) : null;
        return new LineReading(s == null ? null : s.step(), s == null ? null : s.total(), v, line);
    }

    /** The loss, looked for from firstLoss (where the first "loss" may be) on: a match starts at most 9 before it ("training_"). */
    private static Double builtinLoss(String line, int firstLoss) {
        int from = Math.max(0, firstLoss - 9);
        Matcher d = DICT_LOSS.matcher(line).region(from, line.length()).useTransparentBounds(true);
        if (d.find() || (d = LOSS.matcher(line).region(from, line.length()).useTransparentBounds(true)).find()) {
            return number(d.group(1));
        }
        return null;
    }

    /** The built-in patterns alone, on the whole line, without the byte prefilter: the reference for both shortcuts. */
    void builtinOnly(String line, Progress into, long now) {
        LineReading s = builtinStep(line);
        new LineReading(s == null ? null : s.step(), s == null ? null : s.total(), builtinLoss(line, 0), line).applyTo(into, now);
    }

    /** Step and total (loss left null); null when the line gives no step. */
    private LineReading builtinStep(String line) {
        Matcher m = TQDM.matcher(line);
        if (m.find()) {
            if (!NOT_TRAINING_BAR.matcher(line.substring(0, m.start())).find()) {
                return new LineReading(count(m.group(2)), count(m.group(3)), null, line);
            }
        } else if ((m = TQDM_NO_TOTAL.matcher(line)).find()) {
            if (!NOT_TRAINING_BAR.matcher(line.substring(0, m.start())).find()) {
                return new LineReading(count(m.group(1)), knownTotal, null, line);
            }
        } else if ((m = STEP.matcher(line)).find()) {
            return new LineReading(Long.parseLong(m.group(1)), m.group(2) != null ? Long.valueOf(m.group(2)) : knownTotal, null, line);
        }
        return null;
    }

    /**
     * True when the line may hold progress: "%|" or "%" and a space, "it [", "loss", "step" or "iter" (letters in any case).
     * Every line the built-in patterns take something from passes; most log lines do not.
     */
    static boolean interesting(byte[] b, int off, int len) {
        int end = off + len;
        for (int i = off; i < end; i++) {
            int c = b[i];
            int lc = c | 0x20; // ASCII lower case; no other byte becomes 'o' or 't'
            if (lc == 'o') {
                if (i + 2 < end && i > off && (b[i + 1] | 0x20) == 's' && (b[i + 2] | 0x20) == 's' && (b[i - 1] | 0x20) == 'l') {
                    return true;
                }
            } else if (lc == 't') {
                if (i + 2 < end && i > off) {
                    int next = b[i + 1];
                    if ((next | 0x20) == 'e') {
                        int after = b[i + 2] | 0x20;
                        int before = b[i - 1] | 0x20;
                        if (before == 's' && after == 'p' || before == 'i' && after == 'r') {
                            return true;
                        }
                    } else if (next == ' ' && b[i + 2] == '[' && (b[i - 1] | 0x20) == 'i') {
                        return true;
                    }
                }
            } else if (c == '%' && i + 1 < end) {
                int next = b[i + 1];
                if (next == '|' || next == ' ' || next == '\t' || next == 0x0B || next == '\f') {
                    return true;
                }
            }
        }
        return false;
    }

    /** tqdm's counts: 2616, 2.62k (unit_scale), 1.2M. */
    static long count(String s) {
        char unit = s.charAt(s.length() - 1);
        if (Character.isDigit(unit)) {
            return (long) Double.parseDouble(s);
        }
        double v = Double.parseDouble(s.substring(0, s.length() - 1));
        return Math.round(v * switch (unit) {
            case 'k' -> 1e3;
            case 'M' -> 1e6;
            case 'G' -> 1e9;
            case 'T' -> 1e12;
            default -> 1e15;
        });
    }

    /** null when it is not a number at all (never mistaken for NaN). */
    static Double number(String s) {
        String t = s.toLowerCase(Locale.ROOT);
        if (t.equals("nan")) {
            return Double.NaN;
        }
        if (t.startsWith("-inf")) {
            return Double.NEGATIVE_INFINITY;
        }
        if (t.startsWith("inf") || t.startsWith("+inf")) {
            return Double.POSITIVE_INFINITY;
        }
        try {
            return Double.parseDouble(s);
        } catch (NumberFormatException e) {
            return null;
        }
    }

    private static Long firstNumber(Pattern p, String line) {
        Matcher m = p.matcher(line);
        if (!m.find() || m.group(1) == null) {
            return null;
        }
        try {
            return (long) Double.parseDouble(m.group(1).replace(",", ""));
        } catch (NumberFormatException e) {
            return null;
        }
    }
}
