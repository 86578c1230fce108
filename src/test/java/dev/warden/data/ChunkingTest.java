package dev.warden.data;

import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Random;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Seeded random files full of awkward lines give the same report whatever the chunk size, down to chunks
 * smaller than one line: line numbers, counts and examples do not depend on where the chunks break.
 */
class ChunkingTest {
    @TempDir
    Path dir;

    @ParameterizedTest(name = "seed {0}")
    @ValueSource(longs = {1, 2, 3, 42, 2024})
    void reportDoesNotDependOnChunkSize(long seed) throws IOException {
        Path file = dir.resolve("r.jsonl");
        Files.write(file, randomFile(new Random(seed)));
        Map<String, Object> whole = DataCheck.run(file, DataCheckOptions.defaults().withMaxTokens(40), 1 << 20, 1 << 20).toMap();
        for (int chunk : new int[] {37, 64, 500, 4096}) {
            Map<String, Object> cut = DataCheck.run(file, DataCheckOptions.defaults().withMaxTokens(40), chunk, 1 << 20).toMap();
            assertThat(cut).as("seed %d, chunk %d", seed, chunk).isEqualTo(whole);
        }
        assertThat(whole.get("lines")).isEqualTo(300L);
    }

    private static byte[] randomFile(Random rnd) {
        StringBuilder s = new StringBuilder();
        String[] earlier = new String[300];
        for (int i = 0; i < 300; i++) {
            String line = switch (rnd.nextInt(12)) {
                case 0 -> "{\"messages\": [{\"role\": \"user\", \"content\": \"broken";
                case 1 -> "";
                case 2 -> {
                    String old = i > 0 ? earlier[rnd.nextInt(i)] : null;
                    yield old != null ? old : chat(rnd, i);
                }
                case 3 -> "{\"messages\": [{\"role\": \"user\", \"content\": \"q" + rnd.nextInt(5)
                        + "\"}, {\"role\": \"assistant\", \"content\": \"a" + rnd.nextInt(3) + "\"}]}";
                case 4 -> "{\"messages\": [{\"role\": \"user\"}]}";
                default -> chat(rnd, i);
            };
            earlier[i] = line.isEmpty() || line.endsWith("broken") ? null : line;
            s.append(line).append(rnd.nextInt(10) == 0 ? "\r\n" : "\n");
        }
        return s.toString().getBytes(StandardCharsets.UTF_8);
    }

    private static String chat(Random rnd, int i) {
        return "{\"messages\": [{\"role\": \"user\", \"content\": \"question " + i + " " + "word ".repeat(rnd.nextInt(60))
                + "\"}, {\"role\": \"assistant\", \"content\": \"caf\\u00e9 " + "x".repeat(rnd.nextInt(300)) + "\"}]}";
    }
}
