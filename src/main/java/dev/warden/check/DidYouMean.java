package dev.warden.check;

import dev.warden.spec.Levenshtein;

import java.util.Collection;
import java.util.Locale;

/** The closest known name to a mistyped one, for "did you mean" hints. */
final class DidYouMean {
    private DidYouMean() {}

    /** " (did you mean `x`?)" or "" when nothing is close. */
    static String hint(String typed, Collection<String> known) {
        String best = null;
        int bestDistance = Integer.MAX_VALUE;
        String t = typed.toLowerCase(Locale.ROOT);
        for (String k : known) {
            int d = distance(t, k.toLowerCase(Locale.ROOT));
            if (d < bestDistance) {
                bestDistance = d;
                best = k;
            }
        }
        int allowed = Math.max(2, typed.length() / 3);
        return best != null && bestDistance <= allowed ? " (did you mean `" + best + "`?)" : "";
    }

    static int distance(String a, String b) {
        return Levenshtein.distance(a, b);
    }
}
