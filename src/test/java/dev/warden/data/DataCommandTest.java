package dev.warden.data;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.warden.cli.Main;
import org.junit.jupiter.api.Test;

import java.io.PrintWriter;
import java.io.StringWriter;

import static dev.warden.data.Fixtures.path;
import static org.assertj.core.api.Assertions.assertThat;

/** `warden data check` as a user runs it: the report, --json, and the exit code. */
class DataCommandTest {
    private final StringWriter out = new StringWriter();
    private final StringWriter err = new StringWriter();

    private int run(String... args) {
        return Main.execute(new PrintWriter(out), new PrintWriter(err), args);
    }

    @Test
    void cleanFileExitsZeroWithAPassReport() {
        assertThat(run("data", "check", path("chat_ok.jsonl").toString())).isEqualTo(0);
        assertThat(out.toString())
                .contains("chat (detected from the first 6 records), 6 lines, 6 records; token lengths estimated")
                .contains("  PASS  malformed       every line is one JSON object")
                .contains("chat_ok.jsonl: PASS: 6 chat records, no problems found");
        assertThat(err.toString()).isEmpty();
    }

    @Test
    void failingFileExitsOneAndShowsLinesAndFix() {
        assertThat(run("data", "check", path("malformed.jsonl").toString())).isEqualTo(1);
        assertThat(out.toString())
                .contains("  FAIL  malformed       5 of 7 lines are not a valid JSON object; line 2:")
                .contains("line 4: not a JSON object: the line holds a list")
                .contains("fix: the last line ends early");
    }

    @Test
    void warningsAloneExitZero() {
        assertThat(run("data", "check", path("duplicates.jsonl").toString())).isEqualTo(0);
        assertThat(out.toString()).contains("  WARN  duplicates      3 records (50%) repeat an earlier one; line 3: same as line 1");
    }

    @Test
    void jsonShapeHasStatusSummaryFixAndFindings() throws Exception {
        assertThat(run("data", "check", "--json", "--max-tokens", "30", path("lengths.jsonl").toString())).isEqualTo(1);
        JsonNode j = new ObjectMapper().readTree(out.toString());
        assertThat(j.get("status").asText()).isEqualTo("FAIL");
        assertThat(j.get("format").asText()).isEqualTo("chat");
        assertThat(j.get("max_tokens").asInt()).isEqualTo(30);
        assertThat(j.get("records").asLong()).isEqualTo(4);
        assertThat(j.get("summary").asText()).startsWith("lengths.jsonl: FAIL length: 2 of 4 records (50%) exceed 30 tokens");
        assertThat(j.get("fix").asText()).startsWith("raise max_tokens to at least ");
        JsonNode length = j.get("findings").get(5);
        assertThat(length.get("id").asText()).isEqualTo("length");
        assertThat(length.get("status").asText()).isEqualTo("FAIL");
        assertThat(length.get("lines").toString()).isEqualTo("[2,4]");
        assertThat(length.get("numbers").get("estimated").asBoolean()).isTrue();
        assertThat(length.get("examples").get(0).asText()).matches("line 2: \\d+ tokens");
        for (JsonNode f : j.get("findings")) {
            assertThat(f.fieldNames()).toIterable().containsExactly("id", "status", "message", "fix", "numbers", "lines", "examples");
        }
    }

    @Test
    void severalFilesGiveAJsonArrayAndTheWorstExitCode() throws Exception {
        assertThat(run("data", "check", "--json", path("chat_ok.jsonl").toString(), path("empty.jsonl").toString())).isEqualTo(1);
        JsonNode j = new ObjectMapper().readTree(out.toString());
        assertThat(j.isArray()).isTrue();
        assertThat(j.get(0).get("status").asText()).isEqualTo("PASS");
        assertThat(j.get(1).get("status").asText()).isEqualTo("FAIL");
    }

    @Test
    void badUsageExitsTwoWithOneLine() {
        String f = path("chat_ok.jsonl").toString();
        assertThat(run("data", "check", "--sample", "10", "--all", f)).isEqualTo(2);
        assertThat(err.toString()).isEqualTo("warden: --sample and --all exclude each other; give one\n");
        assertThat(run("data", "check", "--format", "alpaca", f)).isEqualTo(2);
        assertThat(err.toString()).contains("warden: unknown data format `alpaca`; use chat, prompt_completion or text");
        assertThat(run("data", "check", "/no/such/train.jsonl")).isEqualTo(2);
        assertThat(err.toString()).contains("warden: data file /no/such/train.jsonl does not exist");
        assertThat(run("data", "check", "--max-over-share", "lots", f)).isEqualTo(2);
        assertThat(err.toString()).contains("warden: --max-over-share `lots` is not a share; write 0.05 or 5%");
        assertThat(run("data", "check", "--max-tokens", "0", f)).isEqualTo(2);
        assertThat(run("data", "check")).isEqualTo(2);
        assertThat(err.toString()).contains("Missing required parameter: 'FILE'");
        assertThat(err.toString()).doesNotContain("Exception");
    }

    @Test
    void sampleAndPercentThresholdsAreAccepted() {
        assertThat(run("data", "check", "--sample", "5", "--min-unique-share", "10%", path("low_diversity.jsonl").toString())).isEqualTo(0);
        assertThat(out.toString()).contains("only the first 5 lines were read (--sample)");
    }

    @Test
    void dataWithoutASubcommandPrintsUsage() {
        assertThat(run("data")).isEqualTo(2);
        assertThat(err.toString()).contains("Usage: warden data").contains("check");
    }
}
