package dev.warden.checkpoint;

import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** The training step in a checkpoint's name: "step=1200", "global_step500", "checkpoint-100", "000400". */
final class Steps {
    private static final Pattern NAMED = Pattern.compile("step[=_-]?(\\d+)", Pattern.CASE_INSENSITIVE);
    private static final Pattern LAST_NUMBER = Pattern.compile("(\\d+)(?!.*\\d)");

    private Steps() {}

    /** -1 when the name has no number. */
    static long fromName(String name) {
        Matcher m = NAMED.matcher(name);
        if (m.find()) {
            return parse(m.group(1));
        }
        m = LAST_NUMBER.matcher(name);
        return m.find() ? parse(m.group(1)) : -1;
    }

    static long parse(String digits) {
        try {
            return Long.parseLong(digits);
        } catch (NumberFormatException e) {
            return -1; // more than 19 digits: not a step
        }
    }
}
