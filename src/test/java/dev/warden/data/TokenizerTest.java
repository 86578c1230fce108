package dev.warden.data;

import dev.warden.UserError;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

import static dev.warden.data.Fixtures.finding;
import static dev.warden.data.Fixtures.path;
import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/** Real token counts through DJL and a hand-written WordLevel tokenizer.json (offline, nothing downloaded). */
class TokenizerTest {
    @TempDir
    Path dir;

    private static String unavailable;

    @BeforeAll
    static void loadNative() {
        try (TokenCounter t = HfTokenCounter.load(path("tokenizer-wordlevel.json"))) {
            unavailable = null;
        } catch (UserError e) {
            unavailable = e.getMessage();
        }
    }

    private DataReport check(String text, int maxTokens) throws IOException {
        assumeTrue(unavailable == null, () -> "the DJL tokenizers native library does not load here ("
                + unavailable + "); the estimate path is tested elsewhere");
        Path file = dir.resolve("t.jsonl");
        Files.writeString(file, text);
        return DataCheck.run(file, DataCheckOptions.defaults().withMaxTokens(maxTokens)
                .withTokenizer(path("tokenizer-wordlevel.json")));
    }

    @Test
    void countsRealTokensPlusTheRecordAllowance() throws IOException {
        // "Hello world the GPU is warm !" = 7 tokens, "hello zzz qqq" = hello [UNK] [UNK] = 3; +2 each
        DataReport r = check("{\"text\": \"Hello world the GPU is warm !\"}\n{\"text\": \"hello zzz qqq\"}\n", 8);
        Finding f = finding(r, "length");
        assertThat(f.numbers()).containsEntry("max", 9L).containsEntry("estimated", false).containsEntry("over", 1L);
        assertThat(f.lines()).containsExactly(1L);
        assertThat(f.examples()).containsExactly("line 1: 9 tokens");
        assertThat(r.tokens()).startsWith("counted with tokenizer ").endsWith("tokenizer-wordlevel.json");
        assertThat(f.fix()).doesNotContain("--tokenizer");
    }

    @Test
    void longTextsAreNotCutAtTheTokenizersModelMaxLength() throws IOException {
        // DJL truncates at 512 tokens unless told not to; 600 words must count as 600
        DataReport r = check("{\"text\": \"" + "hello ".repeat(600) + "\"}\n", 4096);
        assertThat(finding(r, "length").numbers()).containsEntry("max", 602L);
    }

    @Test
    void chatCountsEveryMessageContentPlusFourPerMessage() throws IOException {
        DataReport r = check("{\"messages\": [{\"role\": \"user\", \"content\": \"train the model ?\"}, "
                + "{\"role\": \"assistant\", \"content\": \"hello world .\"}]}\n", 2048);
        assertThat(finding(r, "length").numbers()).containsEntry("max", 4L + 3 + 2 * 4);
    }
}
