package dev.warden.data;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import dev.warden.UserError;
import org.junit.jupiter.api.Test;

import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The warden.yaml form of the check: {data: {file: ..., max_tokens: ..., ...}}. */
class DataCheckRequestTest {
    private static final Path SPEC_DIR = Path.of("/proj");

    @SuppressWarnings("unchecked")
    private static Map<String, Object> yaml(String text) throws Exception {
        return new ObjectMapper(new YAMLFactory()).readValue(text, Map.class);
    }

    @Test
    void readsEveryKeyFromYaml() throws Exception {
        DataCheckRequest r = DataCheckRequest.fromMap(yaml("""
                data:
                  file: data/train.jsonl
                  format: chat
                  tokenizer: tok/tokenizer.json
                  max_tokens: 4096
                  sample: 1000
                  max_over_share: 10%
                  min_unique_share: 0.8
                """), SPEC_DIR);
        assertThat(r.file()).isEqualTo(Path.of("/proj/data/train.jsonl"));
        assertThat(r.options()).isEqualTo(new DataCheckOptions(DataFormat.CHAT, Path.of("/proj/tok/tokenizer.json"),
                4096, 1000, 0.1, 0.8));
    }

    @Test
    void onlyFileIsRequiredAndTheRestDefaults() {
        DataCheckRequest r = DataCheckRequest.fromMap(Map.of("file", "/abs/train.jsonl.gz", "sample", "all"), SPEC_DIR);
        assertThat(r.file()).isEqualTo(Path.of("/abs/train.jsonl.gz"));
        assertThat(r.options()).isEqualTo(DataCheckOptions.defaults());
    }

    @Test
    void unknownKeyIsNamedWithTheKnownOnes() {
        assertThatThrownBy(() -> DataCheckRequest.fromMap(Map.of("file", "t.jsonl", "max_token", 2048), SPEC_DIR))
                .isInstanceOf(UserError.class)
                .hasMessage("data check: unknown key `max_token`; known keys: file, format, tokenizer, max_tokens, sample, max_over_share, min_unique_share");
    }

    @Test
    void badValuesAreNamed() {
        assertThatThrownBy(() -> DataCheckRequest.fromMap(Map.of("file", "t.jsonl", "max_tokens", "lots"), SPEC_DIR))
                .isInstanceOf(UserError.class).hasMessage("data check: max_tokens `lots` is not a whole number; write e.g. max_tokens: 2048");
        assertThatThrownBy(() -> DataCheckRequest.fromMap(Map.of("file", "t.jsonl", "max_tokens", 0), SPEC_DIR))
                .isInstanceOf(UserError.class).hasMessageStartingWith("max_tokens 0 must be at least 1");
        assertThatThrownBy(() -> DataCheckRequest.fromMap(Map.of("file", "t.jsonl", "format", "sharegpt"), SPEC_DIR))
                .isInstanceOf(UserError.class).hasMessage("unknown data format `sharegpt`; use chat, prompt_completion or text");
        assertThatThrownBy(() -> DataCheckRequest.fromMap(Map.of("file", "t.jsonl", "sample", 0), SPEC_DIR))
                .isInstanceOf(UserError.class).hasMessageContaining("sample 0 must be at least 1 line");
        assertThatThrownBy(() -> DataCheckRequest.fromMap(Map.of("file", "t.jsonl", "max_over_share", "half"), SPEC_DIR))
                .isInstanceOf(UserError.class).hasMessage("data check: max_over_share `half` is not a share; write 0.05 or 5%");
        assertThatThrownBy(() -> DataCheckRequest.fromMap(Map.of("file", "t.jsonl", "min_unique_share", 1.5), SPEC_DIR))
                .isInstanceOf(UserError.class).hasMessageStartingWith("min_unique_share 1.5 must be between 0 and 1");
    }

    @Test
    void missingFileAndNonMapDataAreNamed() {
        Map<String, Object> noFile = new LinkedHashMap<>();
        noFile.put("max_tokens", 2048);
        assertThatThrownBy(() -> DataCheckRequest.fromMap(noFile, SPEC_DIR))
                .isInstanceOf(UserError.class).hasMessageStartingWith("data check: `file` is missing");
        assertThatThrownBy(() -> DataCheckRequest.fromMap(Map.of("data", "train.jsonl"), SPEC_DIR))
                .isInstanceOf(UserError.class).hasMessageStartingWith("data check: `data` must be a map");
    }

    @Test
    void requestRunsTheCheck() {
        DataCheckRequest r = DataCheckRequest.fromMap(Map.of("file", "chat_ok.jsonl"), Fixtures.path("chat_ok.jsonl").getParent());
        assertThat(r.run().hasFail()).isFalse();
    }
}
