package dev.warden.diagnose;

import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A line of text that gives up when a regex reads it too many times. java.util.regex has no
 * timeout; a user rule like (a+)+b on a long line of 'a's backtracks for years. Every charAt
 * costs one step from a budget; when it is spent the search throws {@link TooSlow}. Lines fed to
 * rules are already capped in length, so a healthy regex never comes near the budget.
 */
final class GuardedText implements CharSequence {
    /** Thrown when a regex spent its budget on one line. */
    static final class TooSlow extends RuntimeException {
        TooSlow() {
            super("regex too slow", null, false, false);
        }
    }

    static final long STEPS_PER_SEARCH = 2_000_000;

    private final String text;
    private final int offset;
    private final int length;
    private final long[] steps;

    private GuardedText(String text, int offset, int length, long[] steps) {
        this.text = text;
        this.offset = offset;
        this.length = length;
        this.steps = steps;
    }

    /** Whether {@code p} finds a match in {@code text}; throws TooSlow past the budget. */
    static boolean find(Pattern p, String text) {
        return matcher(p, text).find();
    }

    /** A matcher over a guarded view; call find() once, then read groups. */
    static Matcher matcher(Pattern p, String text) {
        return p.matcher(new GuardedText(text, 0, text.length(), new long[] {STEPS_PER_SEARCH}));
    }

    @Override
    public char charAt(int index) {
        if (--steps[0] < 0) {
            throw new TooSlow();
        }
        return text.charAt(offset + index);
    }

    @Override
    public int length() {
        return length;
    }

    @Override
    public CharSequence subSequence(int start, int end) {
        return new GuardedText(text, offset + start, end - start, steps);
    }

    @Override
    public String toString() {
        return text.substring(offset, offset + length);
    }
}
