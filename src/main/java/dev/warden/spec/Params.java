package dev.warden.spec;

import java.math.BigDecimal;
import java.util.LinkedHashSet;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** ${name} interpolation. Reserved names are filled per attempt by the supervisor. */
public final class Params {
    public static final Set<String> RESERVED = Set.of("checkpoint", "run_id", "attempt");
    private static final Pattern REF = Pattern.compile("\\$\\{([A-Za-z_][A-Za-z0-9_.-]*)}");

    private Params() {}

    public static Set<String> references(String text) {
        Set<String> names = new LinkedHashSet<>();
        if (text != null) {
            Matcher m = REF.matcher(text);
            while (m.find()) {
                names.add(m.group(1));
            }
        }
        return names;
    }

    /** Replaces every ${name} found in values; an unknown name is left as written. */
    public static String render(String text, Map<String, ?> values) {
        Matcher m = REF.matcher(text);
        StringBuilder out = new StringBuilder();
        while (m.find()) {
            Object v = values.get(m.group(1));
            m.appendReplacement(out, Matcher.quoteReplacement(v == null ? m.group() : format(v)));
        }
        m.appendTail(out);
        return out.toString();
    }

    /** How a value appears in the command: 32, 0.0003, 1e-7; never Java's 3.0E-4. */
    static String format(Object v) {
        if (v instanceof Double || v instanceof Float) {
            double d = ((Number) v).doubleValue();
            if (Double.isNaN(d) || Double.isInfinite(d)) {
                return String.valueOf(d);
            }
            if (d == Math.rint(d) && Math.abs(d) < 1e15) {
                return String.valueOf((long) d);
            }
            double a = Math.abs(d);
            if (a >= 1e-4 && a < 1e16) {
                return BigDecimal.valueOf(d).stripTrailingZeros().toPlainString();
            }
            String e = BigDecimal.valueOf(d).stripTrailingZeros().toString().toLowerCase(Locale.ROOT); // 1e-7, 2.5e-8
            return e.replace("e+", "e");
        }
        if (v instanceof BigDecimal b) {
            return b.stripTrailingZeros().toPlainString();
        }
        return String.valueOf(v);
    }
}
