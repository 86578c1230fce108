package dev.warden.data;

import org.junit.jupiter.api.Test;

import static dev.warden.data.Finding.Status.FAIL;
import static dev.warden.data.Finding.Status.PASS;
import static dev.warden.data.Finding.Status.WARN;
import static dev.warden.data.Fixtures.check;
import static dev.warden.data.Fixtures.finding;
import static dev.warden.data.Fixtures.path;
import static org.assertj.core.api.Assertions.assertThat;

/** One fixture per finding: what a user would read for each kind of bad data. */
class FindingsTest {

    @Test
    void cleanChatPassesEveryCheck() {
        DataReport r = check("chat_ok.jsonl");
        assertThat(r.findings()).extracting(Finding::status).containsOnly(PASS);
        assertThat(r.findings()).extracting(Finding::id).containsExactly(
                "file", "encoding", "malformed", "fields", "empty", "length", "duplicates", "diversity", "contradictions");
        assertThat(r.hasFail()).isFalse();
        assertThat(r.format()).isEqualTo("chat");
        assertThat(r.formatSource()).isEqualTo("detected from the first 6 records");
        assertThat(r.records()).isEqualTo(6);
        assertThat(r.lines()).isEqualTo(6);
        assertThat(r.summary()).isEqualTo("chat_ok.jsonl: PASS: 6 chat records, no problems found");
        assertThat(r.fix()).isEmpty();
    }

    @Test
    void malformedLinesAreCountedWithLineNumbersAndReasons() {
        DataReport r = check("malformed.jsonl");
        Finding f = finding(r, "malformed");
        assertThat(f.status()).isEqualTo(FAIL);
        assertThat(f.numbers()).containsEntry("malformed_lines", 5L).containsEntry("lines", 7L);
        assertThat(f.lines()).containsExactly(2L, 3L, 4L, 5L, 7L);
        assertThat(f.examples()).containsExactly(
                "line 2: unexpected ']' at column 48, expected a value",
                "line 3: unexpected 'm' at column 2, expected a double-quoted key or '}'",
                "line 4: not a JSON object: the line holds a list",
                "line 5: a second JSON value follows the first at column 89",
                "line 7: the line ends inside a string that starts at column 43 (cut off?)");
        assertThat(f.message()).endsWith("the last line is cut off");
        assertThat(f.fix()).contains("not fully written or copied").contains("sed -n 2p");
        assertThat(r.records()).isEqualTo(2);
        assertThat(r.hasFail()).isTrue();
        assertThat(r.summary()).startsWith("malformed.jsonl: FAIL malformed: 5 of 7 lines are not a valid JSON object");
    }

    @Test
    void missingAndMistypedChatFieldsSayWhichField() {
        Finding f = finding(check("fields_chat.jsonl"), "fields");
        assertThat(f.status()).isEqualTo(FAIL);
        assertThat(f.numbers()).containsEntry("bad_records", 6L).containsEntry("records", 3L);
        assertThat(f.examples()).containsExactly(
                "line 2: messages[0] has no \"content\"",
                "line 3: messages[0].role is a number, expected a string",
                "line 4: messages[0] has \"from\"/\"value\" (ShareGPT style), expected \"role\"/\"content\"",
                "line 5: \"messages\" is a string, expected a list of {role, content}",
                "line 6: no \"messages\" (keys: prompt, completion)");
        assertThat(f.fix()).contains("{\"messages\": [{\"role\": \"user\"");
    }

    @Test
    void toolCallsAndMultimodalPartsAreValidChat() {
        DataReport r = check("fields_chat.jsonl");
        // lines 1, 8 and 9 are the good ones; line 7 (an empty list) is the sixth bad one
        assertThat(finding(r, "fields").lines()).doesNotContain(1L, 8L, 9L);
        assertThat(r.records()).isEqualTo(3);
    }

    @Test
    void promptCompletionFindsContradictionEmptyAnswerAndMistypedCompletion() {
        DataReport r = check("prompt_completion.jsonl");
        assertThat(r.format()).isEqualTo("prompt_completion");
        Finding c = finding(r, "contradictions");
        assertThat(c.status()).isEqualTo(WARN);
        assertThat(c.examples()).containsExactly("line 3: same prompt as line 1, different answer");
        Finding e = finding(r, "empty");
        assertThat(e.status()).isEqualTo(WARN);
        assertThat(e.examples()).containsExactly("line 4: \"completion\" is empty");
        assertThat(finding(r, "fields").examples()).containsExactly(
                "line 6: \"completion\" is a number, expected a string or a list of messages");
        assertThat(r.records()).isEqualTo(5);
    }

    @Test
    void textFormatChecksTheTextField() {
        DataReport r = check("text.jsonl");
        assertThat(r.format()).isEqualTo("text");
        assertThat(finding(r, "empty").examples()).containsExactly("line 6: \"text\" is empty");
        assertThat(finding(r, "fields").examples()).containsExactly("line 7: no \"text\" (keys: content)");
        assertThat(finding(r, "contradictions").message()).startsWith("not applicable");
    }

    @Test
    void duplicatesIgnoreKeyOrderSpacingEscapesAndIdsButNotCase() {
        Finding f = finding(check("duplicates.jsonl"), "duplicates");
        assertThat(f.status()).isEqualTo(WARN);
        assertThat(f.numbers()).containsEntry("duplicates", 3L).containsEntry("exact", true);
        assertThat(f.examples()).containsExactly("line 3: same as line 1", "line 4: same as line 1", "line 6: same as line 2");
    }

    @Test
    void lowDiversityFails() {
        DataReport r = check("low_diversity.jsonl");
        Finding d = finding(r, "diversity");
        assertThat(d.status()).isEqualTo(FAIL);
        assertThat(d.message()).isEqualTo("only 30% of records are unique (3 distinct of 10), below 50%");
        assertThat(finding(r, "duplicates").numbers()).containsEntry("duplicates", 7L);
        // the same 30% passes when the user lowers the bar
        DataReport lenient = DataCheck.run(path("low_diversity.jsonl"), DataCheckOptions.defaults().withMinUniqueShare(0.25));
        assertThat(finding(lenient, "diversity").status()).isEqualTo(PASS);
    }

    @Test
    void chatContradictionsCompareTheConversationBeforeTheLastAnswer() {
        DataReport r = check("contradictions.jsonl");
        Finding c = finding(r, "contradictions");
        assertThat(c.status()).isEqualTo(WARN);
        assertThat(c.numbers()).containsEntry("contradicted_prompts", 1L).containsEntry("disagreeing_records", 2L);
        assertThat(c.examples()).containsExactly(
                "line 3: same prompt as line 1, different answer", "line 6: same prompt as line 1, different answer");
        assertThat(finding(r, "duplicates").examples()).containsExactly("line 5: same as line 2");
    }

    @Test
    void shareOverMaxTokensFailsAboveTheLimitAndWarnsBelowIt() {
        DataCheckOptions tight = DataCheckOptions.defaults().withMaxTokens(30);
        Finding f = finding(DataCheck.run(path("lengths.jsonl"), tight), "length");
        assertThat(f.status()).isEqualTo(FAIL);
        assertThat(f.lines()).containsExactly(2L, 4L);
        assertThat(f.numbers()).containsEntry("over", 2L).containsEntry("over_share", 0.5).containsEntry("estimated", true);
        assertThat(f.message()).startsWith("2 of 4 records (50%) exceed 30 tokens (estimated), above the 5% limit");
        assertThat(f.fix()).contains("raise max_tokens to at least").contains("--tokenizer");

        Finding warn = finding(DataCheck.run(path("lengths.jsonl"), tight.withMaxOverShare(0.6)), "length");
        assertThat(warn.status()).isEqualTo(WARN);
        assertThat(warn.message()).contains("will be truncated");

        Finding pass = finding(check("lengths.jsonl"), "length");
        assertThat(pass.status()).isEqualTo(PASS);
        assertThat(pass.message()).startsWith("all 4 records fit in 2,048 tokens: median ");
    }

    @Test
    void estimateIsUtf8BytesOverFourPlusFourPerMessage() {
        // line 4: user "x"*200, assistant "y": 201 bytes -> 51 tokens, + 2 messages * 4 = 59
        Finding f = finding(check("lengths.jsonl"), "length");
        assertThat(f.numbers()).containsEntry("max", 59L).containsEntry("max_line", 4L);
    }

    @Test
    void unknownLayoutFailsNamingTheKeysAndTheLikelyFormat() {
        DataReport r = check("alpaca.jsonl");
        assertThat(r.format()).isEqualTo("unknown");
        Finding f = finding(r, "fields");
        assertThat(f.status()).isEqualTo(FAIL);
        assertThat(f.message()).isEqualTo("no known record layout: the first record has keys [instruction, input, output]; "
                + "instruction/input/output looks like Alpaca: map it to prompt/completion");
        // duplicates still work on whole lines
        assertThat(finding(r, "duplicates").status()).isEqualTo(PASS);
    }

    @Test
    void givenFormatOverridesDetection() {
        DataReport r = DataCheck.run(path("chat_ok.jsonl"), DataCheckOptions.defaults().withFormat(DataFormat.TEXT));
        assertThat(r.formatSource()).isEqualTo("given");
        assertThat(finding(r, "fields").numbers()).containsEntry("bad_records", 6L);
        assertThat(finding(r, "fields").examples().get(0)).isEqualTo("line 1: no \"text\" (keys: messages)");
    }

    @Test
    void sampleReadsOnlyTheFirstLines() {
        DataReport r = DataCheck.run(path("low_diversity.jsonl"), DataCheckOptions.defaults().withSampleLines(3));
        assertThat(r.lines()).isEqualTo(3);
        assertThat(r.records()).isEqualTo(3);
        assertThat(r.sampled()).isTrue();
        assertThat(finding(r, "file").message()).endsWith("only the first 3 lines were read (--sample)");
        // a sample as long as the file reads it all
        assertThat(DataCheck.run(path("low_diversity.jsonl"), DataCheckOptions.defaults().withSampleLines(10)).sampled()).isFalse();
    }
}
