package dev.warden.diagnose;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Random;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;

/** The skip-ahead search finds exactly what a naive search finds (seeded random texts and literal sets). */
class LiteralScannerTest {

    @ParameterizedTest(name = "seed {0}")
    @ValueSource(longs = {1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16})
    void findsEveryOccurrenceANaiveSearchFinds(long seed) {
        Random rnd = new Random(seed);
        String alphabet = seed % 2 == 0 ? "ab" : "abcdefgh ";
        int count = 1 + rnd.nextInt(40);
        List<byte[]> literals = new ArrayList<>();
        Set<String> seen = new HashSet<>();
        while (literals.size() < count) {
            int len = 1 + rnd.nextInt(seed % 3 == 0 ? 4 : 20);
            String s = random(rnd, alphabet, len);
            if (seen.add(s)) {
                literals.add(s.getBytes(StandardCharsets.US_ASCII));
            }
        }
        byte[] text = random(rnd, alphabet, 5000 + rnd.nextInt(5000)).getBytes(StandardCharsets.US_ASCII);
        int from = rnd.nextInt(100);
        int limit = text.length - rnd.nextInt(100);

        Set<Long> found = new HashSet<>();
        new LiteralScanner(literals).scan(text, from, limit, text.length, (lit, off) -> found.add(((long) lit << 32) | off));

        Set<Long> expected = new HashSet<>();
        for (int l = 0; l < literals.size(); l++) {
            String lit = new String(literals.get(l), StandardCharsets.US_ASCII);
            String t = new String(text, StandardCharsets.US_ASCII);
            for (int i = t.indexOf(lit, from); i >= 0 && i < limit; i = t.indexOf(lit, i + 1)) {
                expected.add(((long) l << 32) | i);
            }
        }
        assertThat(found).as("seed %d", seed).isEqualTo(expected);
    }

    private static String random(Random rnd, String alphabet, int len) {
        StringBuilder sb = new StringBuilder(len);
        for (int i = 0; i < len; i++) {
            sb.append(alphabet.charAt(rnd.nextInt(alphabet.length())));
        }
        return sb.toString();
    }
}
