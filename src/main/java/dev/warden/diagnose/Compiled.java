package dev.warden.diagnose;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The catalog prepared for scanning: every required literal of every pattern, de-duplicated,
 * mapped back to the patterns that own it, and loaded into one or two literal scanners (8+ byte
 * literals in a fast one; the rare shorter ones of user rules in a second). Patterns without any
 * literal are listed apart and tried on every line.
 */
final class Compiled {
    static final int MARK_TRACEBACK = -1;
    static final int MARK_CHAIN = -2;
    static final String TRACEBACK = "Traceback (most recent call last):";
    static final List<String> CHAIN = List.of(
            "During handling of the above exception, another exception occurred:",
            "The above exception was the direct cause of the following exception:");
    private static final int LONG = 8;

    final List<Rule> rules;
    final Map<String, CategoryInfo> categories;
    final boolean[] verdictRule;
    /** Per literal: owners, each (rule << 16 | pattern), or a negative marker kind. */
    final int[][] owners;
    final String[] literalText;
    final LiteralScanner longScanner;
    final int[] longIds;
    final LiteralScanner shortScanner;
    final int[] shortIds;
    /** (rule << 16 | pattern) of patterns without a usable literal. */
    final int[] everyLine;
    final int maxLiteralBytes;

    Compiled(Catalog catalog) {
        this.rules = catalog.rules();
        this.categories = catalog.categories();
        this.verdictRule = new boolean[rules.size()];
        Map<String, List<Integer>> byLiteral = new LinkedHashMap<>();
        byLiteral.computeIfAbsent(TRACEBACK, k -> new ArrayList<>()).add(MARK_TRACEBACK);
        for (String c : CHAIN) {
            byLiteral.computeIfAbsent(c, k -> new ArrayList<>()).add(MARK_CHAIN);
        }
        List<Integer> slow = new ArrayList<>();
        for (int r = 0; r < rules.size(); r++) {
            Rule rule = rules.get(r);
            CategoryInfo cat = categories.get(rule.category());
            verdictRule[r] = cat == null || cat.verdict();
            for (int p = 0; p < rule.patterns().size(); p++) {
                RulePattern pattern = rule.patterns().get(p);
                int owner = (r << 16) | p;
                if (pattern.needsEveryLine()) {
                    slow.add(owner);
                }
                for (String lit : pattern.literals()) {
                    byLiteral.computeIfAbsent(lit, k -> new ArrayList<>()).add(owner);
                }
            }
        }
        int n = byLiteral.size();
        owners = new int[n][];
        literalText = new String[n];
        List<byte[]> longLits = new ArrayList<>();
        List<Integer> longIdx = new ArrayList<>();
        List<byte[]> shortLits = new ArrayList<>();
        List<Integer> shortIdx = new ArrayList<>();
        int i = 0;
        int max = 0;
        for (Map.Entry<String, List<Integer>> e : byLiteral.entrySet()) {
            literalText[i] = e.getKey();
            owners[i] = e.getValue().stream().mapToInt(Integer::intValue).toArray();
            byte[] bytes = e.getKey().getBytes(StandardCharsets.UTF_8);
            max = Math.max(max, bytes.length);
            if (bytes.length >= LONG) {
                longLits.add(bytes);
                longIdx.add(i);
            } else {
                shortLits.add(bytes);
                shortIdx.add(i);
            }
            i++;
        }
        maxLiteralBytes = max;
        longScanner = longLits.isEmpty() ? null : new LiteralScanner(longLits);
        longIds = longIdx.stream().mapToInt(Integer::intValue).toArray();
        shortScanner = shortLits.isEmpty() ? null : new LiteralScanner(shortLits);
        shortIds = shortIdx.stream().mapToInt(Integer::intValue).toArray();
        everyLine = slow.stream().mapToInt(Integer::intValue).toArray();
    }

    Rule rule(int owner) {
        return rules.get(owner >>> 16);
    }

    static int ruleIndex(int owner) {
        return owner >>> 16;
    }

    static int patternIndex(int owner) {
        return owner & 0xffff;
    }
}
