package dev.warden.data;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The hand-written scanner against the JSON grammar, and against Jackson as an oracle on seeded mutations. */
class JsonScannerTest {
    private static final JsonFactory JACKSON = new JsonFactory();

    @ParameterizedTest
    @ValueSource(strings = {
            "{}", "{\"a\":1}", " { \"a\" : [ 1 , -2.5e+3 , 0 , 0.0 , 1E9 , true , false , null ] } ",
            "{\"a\":{\"b\":{\"c\":[[],[{}]]}}}", "{\"s\":\"\\\"\\\\\\/\\b\\f\\n\\r\\t\\u00e9\\ud83d\\ude00\"}",
            "{\"caf\u00e9\":\"\u6570\u636e \ud83d\ude00\"}", "{\"a\":1}\r", "[1]", "\"just a string\"", "3"})
    void acceptsValidJson(String json) {
        assertThat(verdict(json)).isEqualTo("ok");
        assertThat(jackson(json)).isEqualTo("ok");
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
            "{\"a\":1,}                     | unexpected '}' at column 8, expected a double-quoted key after ','",
            "{'a':1}                        | unexpected a single quote (JSON strings take double quotes) at column 2, expected a double-quoted key or '}'",
            "{\"a\" 1}                      | unexpected '1' at column 6, expected ':' after the key",
            "{\"a\":01}                     | unexpected '1' at column 7, expected ',' or '}'",
            "{\"a\":1.}                     | a malformed number at column 6",
            "{\"a\":-}                      | a malformed number at column 6",
            "{\"a\":NaN}                    | unexpected 'N' at column 6, expected a value",
            "{\"a\":tru}                    | unexpected 't' at column 6, expected a value",
            "{\"a\":[1 2]}                  | unexpected '2' at column 9, expected ',' or ']'",
            "{\"a\":\"x\\q\"}               | an unknown escape \\q at column 8",
            "{\"a\":\"\\u12g4\"}            | a bad \\u escape at column 7 (needs four hex digits)",
            "{\"a\":[1,2                    | the line ends before the list is closed (cut off?) at column 10",
            "{\"a\":\"abc                   | the line ends inside a string that starts at column 6 (cut off?)",
            "{} {}                          | a second JSON value follows the first at column 4",
            "{\"a\"                         | the line ends after a key at column 5"})
    void rejectsInvalidJsonSayingWhereAndWhy(String json, String why) {
        assertThat(verdict(json.strip())).isEqualTo(why);
    }

    @Test
    void rawControlCharactersAndBadUtf8AreNamedWithTheirByte() {
        assertThat(verdict("{\"a\":\"tab\there\"}")).isEqualTo("a raw control character 0x09 inside a string at column 10; it must be escaped");
        assertThat(verdict(new byte[] {'{', '"', 'a', '"', ':', '"', (byte) 0xC3, '"', '}'})).isEqualTo("invalid UTF-8: byte 0x22 at column 8");
        assertThat(verdict(new byte[] {'{', '"', 'a', '"', ':', '"', (byte) 0xED, (byte) 0xA0, (byte) 0x80, '"', '}'}))
                .as("an encoded UTF-16 surrogate is not UTF-8").isEqualTo("invalid UTF-8: byte 0xa0 at column 8");
        assertThat(verdict(new byte[] {'{', '"', 'a', '"', ':', '"', (byte) 0xC0, (byte) 0x80, '"', '}'}))
                .as("overlong encoding").isEqualTo("invalid UTF-8: byte 0xc0 at column 7");
    }

    @Test
    void nestingIsCappedAtAThousandLevels() {
        String deep = "[".repeat(1001) + "]".repeat(1001);
        assertThat(verdict(deep)).isEqualTo("nested deeper than 1000 levels at column 1001");
        assertThat(verdict("[".repeat(1000) + "]".repeat(1000))).isEqualTo("ok");
    }

    @Test
    void decodesEscapesToTheSameUtf8AsJackson() throws Exception {
        String[] bodies = {"plain", "a\\nb\\tc", "\\u0048ello", "caf\\u00e9", "\\ud83d\\ude00 smile",
                "\\\"quoted\\\" \\\\ back\\/slash", "\u6570\u636e raw", "\\u6570\\u636e"};
        for (String body : bodies) {
            byte[] line = ("{\"k\":\"" + body + "\"}").getBytes(StandardCharsets.UTF_8);
            JsonScanner sc = new JsonScanner();
            sc.reset(line, 0, line.length);
            sc.next();
            sc.next();
            assertThat(sc.next()).isEqualTo(JsonScanner.STRING);
            String ours = new String(sc.textBuffer(), sc.textOffset(), sc.textLength(), StandardCharsets.UTF_8);
            try (JsonParser p = JACKSON.createParser(line)) {
                p.nextToken();
                p.nextToken();
                p.nextToken();
                assertThat(ours).as(body).isEqualTo(p.getText());
            }
        }
    }

    @Test
    void aLoneSurrogateEscapeDecodesToItsThreeByteForm() throws Exception {
        byte[] line = "{\"k\":\"\\ud800\"}".getBytes(StandardCharsets.UTF_8);
        JsonScanner sc = new JsonScanner();
        sc.reset(line, 0, line.length);
        sc.next();
        sc.next();
        sc.next();
        assertThat(java.util.Arrays.copyOfRange(sc.textBuffer(), sc.textOffset(), sc.textOffset() + sc.textLength()))
                .containsExactly(0xED, 0xA0, 0x80);
    }

    /** Seeded mutations of valid lines: the scanner and Jackson (strict defaults) agree on valid vs not. */
    @ParameterizedTest(name = "seed {0}")
    @ValueSource(longs = {1, 2, 3, 4, 5})
    void agreesWithJacksonOnMutatedLines(long seed) {
        Random rnd = new Random(seed);
        String alphabet = "{}[],:\"\\ ute0123-.+eEnlfasr/bx'\t";
        List<String> disagreements = new ArrayList<>();
        for (int k = 0; k < 3000; k++) {
            StringBuilder s = new StringBuilder(randomJson(rnd, 0));
            for (int e = rnd.nextInt(3); e >= 0; e--) {
                int at = rnd.nextInt(s.length() + 1);
                switch (rnd.nextInt(3)) {
                    case 0 -> s.insert(at, alphabet.charAt(rnd.nextInt(alphabet.length())));
                    case 1 -> { if (at < s.length()) s.deleteCharAt(at); }
                    default -> { if (at < s.length()) s.setCharAt(at, alphabet.charAt(rnd.nextInt(alphabet.length()))); }
                }
            }
            String line = s.toString();
            boolean ours = verdict(line).equals("ok");
            boolean theirs = jackson(line).equals("ok");
            if (ours != theirs) {
                disagreements.add(line + "  ours: " + verdict(line) + "  jackson: " + jackson(line));
            }
        }
        assertThat(disagreements).as("seed %d", seed).isEmpty();
    }

    @Test
    void skipPassesOverWholeValues() throws Exception {
        byte[] line = "{\"skip\":{\"a\":[1,{\"b\":\"c\"}]},\"keep\":\"yes\"}".getBytes(StandardCharsets.UTF_8);
        JsonScanner sc = new JsonScanner();
        sc.reset(line, 0, line.length);
        sc.next();
        sc.next();
        sc.skip(sc.next());
        assertThat(sc.next()).isEqualTo(JsonScanner.FIELD_NAME);
        assertThat(sc.textIs("keep".getBytes(StandardCharsets.US_ASCII))).isTrue();
        assertThat(sc.next()).isEqualTo(JsonScanner.STRING);
        assertThat(sc.next()).isEqualTo(JsonScanner.END_OBJECT);
        assertThat(sc.next()).isEqualTo(JsonScanner.END);
        assertThatThrownBy(() -> {
            byte[] bad = "{\"a\":[1,}".getBytes(StandardCharsets.UTF_8);
            sc.reset(bad, 0, bad.length);
            sc.next();
            sc.next();
            sc.skip(sc.next());
        }).isInstanceOf(JsonScanner.Malformed.class);
    }

    private static String randomJson(Random rnd, int depth) {
        int kind = depth > 3 ? 2 + rnd.nextInt(5) : rnd.nextInt(7);
        return switch (kind) {
            case 0 -> {
                StringBuilder s = new StringBuilder("{");
                for (int i = rnd.nextInt(4); i > 0; i--) {
                    s.append("\"k").append(rnd.nextInt(9)).append("\":").append(randomJson(rnd, depth + 1)).append(i > 1 ? "," : "");
                }
                yield s.append("}").toString();
            }
            case 1 -> {
                StringBuilder s = new StringBuilder("[");
                for (int i = rnd.nextInt(4); i > 0; i--) {
                    s.append(randomJson(rnd, depth + 1)).append(i > 1 ? ", " : "");
                }
                yield s.append("]").toString();
            }
            case 2 -> "\"s" + (rnd.nextBoolean() ? "\\n\\u00e9" : " x") + "\"";
            case 3 -> String.valueOf(rnd.nextInt(2000) - 1000) + (rnd.nextBoolean() ? ".5e-3" : "");
            case 4 -> "true";
            case 5 -> "null";
            default -> "false";
        };
    }

    private static String verdict(String json) {
        return verdict(json.getBytes(StandardCharsets.UTF_8));
    }

    private static String verdict(byte[] line) {
        JsonScanner sc = new JsonScanner();
        sc.reset(line, 0, line.length);
        try {
            int t;
            while ((t = sc.next()) != JsonScanner.END) {
                if (t == JsonScanner.STRING || t == JsonScanner.FIELD_NAME) {
                    sc.textLength();
                }
            }
            return "ok";
        } catch (JsonScanner.Malformed e) {
            return e.getMessage();
        }
    }

    /** Jackson with its strict defaults, reading every string, one root value and nothing after it. */
    private static String jackson(String json) {
        try (JsonParser p = JACKSON.createParser(json.getBytes(StandardCharsets.UTF_8))) {
            int depth = 0;
            boolean rootDone = false;
            JsonToken t;
            while ((t = p.nextToken()) != null) {
                if (rootDone) {
                    return "second root value";
                }
                if (t == JsonToken.VALUE_STRING || t == JsonToken.FIELD_NAME) {
                    p.getText();
                }
                if (t.isStructStart()) {
                    depth++;
                } else if (t.isStructEnd()) {
                    depth--;
                }
                rootDone = depth == 0;
            }
            return rootDone ? "ok" : "empty";
        } catch (IOException e) {
            return e.getMessage();
        }
    }
}
