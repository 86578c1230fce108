package dev.warden.diagnose;

import java.util.ArrayList;
import java.util.List;

/**
 * The literal text a regex cannot match without: one string per top-level alternative (the
 * longest plain run in it). A line that contains none of them cannot match, so the prefilter
 * only runs the regex on lines where one of these literals was found. Conservative: anything it
 * does not understand (groups, classes, escapes like \d, inline flags) just ends a run.
 * An empty list means "no usable literal": the regex must run on every line.
 */
final class RequiredLiterals {
    static final int MIN_LENGTH = 3;

    private RequiredLiterals() {}

    static List<String> of(String regex) {
        if (regex.contains("(?i") || regex.contains("(?u") || regex.contains("(?x") || regex.contains("\\Q")) {
            return List.of();
        }
        List<String> result = new ArrayList<>();
        for (String alternative : topLevelAlternatives(regex)) {
            String best = longestRun(alternative);
            if (best.length() < MIN_LENGTH) {
                return List.of();
            }
            result.add(best);
        }
        return result;
    }

    private static List<String> topLevelAlternatives(String re) {
        List<String> parts = new ArrayList<>();
        int depth = 0;
        int start = 0;
        boolean inClass = false;
        for (int i = 0; i < re.length(); i++) {
            char c = re.charAt(i);
            if (c == '\\') {
                i++;
            } else if (inClass) {
                if (c == ']') {
                    inClass = false;
                }
            } else if (c == '[') {
                inClass = true;
                if (i + 1 < re.length() && re.charAt(i + 1) == '^') {
                    i++;
                }
                if (i + 1 < re.length() && re.charAt(i + 1) == ']') {
                    i++;
                }
            } else if (c == '(') {
                depth++;
            } else if (c == ')') {
                depth--;
            } else if (c == '|' && depth == 0) {
                parts.add(re.substring(start, i));
                start = i + 1;
            }
        }
        parts.add(re.substring(start));
        return parts;
    }

    private static String longestRun(String re) {
        String best = "";
        StringBuilder run = new StringBuilder();
        int i = 0;
        while (i < re.length()) {
            char c = re.charAt(i);
            int next;
            boolean literal = false;
            char lit = 0;
            if (c == '\\' && i + 1 < re.length()) {
                char e = re.charAt(i + 1);
                next = i + 2;
                if (!Character.isLetterOrDigit(e)) {
                    literal = true;
                    lit = e;
                } else if (e == 'p' || e == 'P') {
                    int close = re.indexOf('}', i);
                    next = close < 0 ? re.length() : close + 1;
                } else if (e == 'x' || e == 'u') {
                    next = Math.min(re.length(), i + (e == 'x' ? 4 : 6));
                }
            } else if (c == '[') {
                next = skipClass(re, i);
            } else if (c == '(') {
                next = skipGroup(re, i);
            } else if (c == '.' || c == '^' || c == '$' || c == '|') {
                next = i + 1;
            } else if (c == '*' || c == '+' || c == '?' || c == '{') {
                next = i + 1;
            } else {
                literal = true;
                lit = c;
                next = i + 1;
            }
            // a quantifier after this token decides whether the token is required
            int q = next;
            boolean optional = false;
            boolean quantified = false;
            if (q < re.length()) {
                char qc = re.charAt(q);
                if (qc == '*' || qc == '?') {
                    optional = true;
                    quantified = true;
                    q++;
                } else if (qc == '+') {
                    quantified = true;
                    q++;
                } else if (qc == '{') {
                    int close = re.indexOf('}', q);
                    String body = close < 0 ? "" : re.substring(q + 1, close);
                    quantified = true;
                    optional = body.startsWith("0") || body.startsWith(",");
                    q = close < 0 ? re.length() : close + 1;
                }
                if (quantified && q < re.length() && (re.charAt(q) == '?' || re.charAt(q) == '+')) {
                    q++;
                }
            }
            if (literal && !optional) {
                run.append(lit);
            }
            if (!literal || quantified) {
                if (run.length() > best.length()) {
                    best = run.toString();
                }
                run.setLength(0);
            }
            i = q;
        }
        return run.length() > best.length() ? run.toString() : best;
    }

    private static int skipClass(String re, int open) {
        int i = open + 1;
        if (i < re.length() && re.charAt(i) == '^') {
            i++;
        }
        if (i < re.length() && re.charAt(i) == ']') {
            i++;
        }
        int depth = 1;
        for (; i < re.length(); i++) {
            char c = re.charAt(i);
            if (c == '\\') {
                i++;
            } else if (c == '[') {
                depth++;
            } else if (c == ']' && --depth == 0) {
                return i + 1;
            }
        }
        return re.length();
    }

    private static int skipGroup(String re, int open) {
        int depth = 0;
        boolean inClass = false;
        for (int i = open; i < re.length(); i++) {
            char c = re.charAt(i);
            if (c == '\\') {
                i++;
            } else if (inClass) {
                if (c == ']') {
                    inClass = false;
                }
            } else if (c == '[') {
                inClass = true;
            } else if (c == '(') {
                depth++;
            } else if (c == ')' && --depth == 0) {
                return i + 1;
            }
        }
        return re.length();
    }
}
