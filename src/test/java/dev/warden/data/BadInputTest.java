package dev.warden.data;

import dev.warden.UserError;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.zip.GZIPOutputStream;

import static dev.warden.data.Finding.Status.FAIL;
import static dev.warden.data.Finding.Status.PASS;
import static dev.warden.data.Finding.Status.WARN;
import static dev.warden.data.Fixtures.check;
import static dev.warden.data.Fixtures.finding;
import static dev.warden.data.Fixtures.path;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Files that are not what they should be: reported with a line number or a clear file finding, never a crash. */
class BadInputTest {
    @TempDir
    Path dir;

    @Test
    void emptyFileFails() {
        DataReport r = check("empty.jsonl");
        assertThat(r.findings()).hasSize(1);
        assertThat(r.findings().get(0).status()).isEqualTo(FAIL);
        assertThat(r.summary()).isEqualTo("empty.jsonl: FAIL file: the file is empty (0 bytes)");
    }

    @Test
    void fileOfBlankLinesHasNoRecords() {
        DataReport r = check("blank_only.jsonl");
        assertThat(r.findings()).hasSize(1);
        assertThat(r.findings().get(0).message()).isEqualTo("no records: 3 blank lines");
        assertThat(r.hasFail()).isTrue();
    }

    @Test
    void binaryFileIsOneFindingNotThousandsOfMalformedLines() {
        DataReport r = check("binary.bin");
        assertThat(r.findings()).hasSize(1);
        assertThat(r.findings().get(0).message()).isEqualTo("not text: a NUL byte at offset 0 (a binary file?)");
        assertThat(r.fix()).contains("`file ");
    }

    @Test
    void parquetIsRecognisedWithAConversionCommand() {
        DataReport r = check("tiny.parquet");
        assertThat(r.findings().get(0).message()).startsWith("a Parquet file (magic PAR1)");
        assertThat(r.fix()).contains("read_parquet").contains("lines=True");
    }

    @Test
    void utf16IsNamedWithTheConversion() throws IOException {
        Path file = dir.resolve("ps.jsonl");
        Files.write(file, "\uFEFF{\"text\": \"hi\"}\r\n".getBytes(StandardCharsets.UTF_16LE));
        DataReport r = DataCheck.run(file, DataCheckOptions.defaults());
        assertThat(r.findings()).hasSize(1);
        assertThat(r.findings().get(0).message()).isEqualTo("UTF-16 text (byte-order mark FF FE); JSON Lines must be UTF-8");
        assertThat(r.fix()).startsWith("convert it: iconv -f UTF-16 -t UTF-8 ");
    }

    @Test
    void jsonArrayAndPrettyPrintedJsonAreNamedAsSuch() {
        assertThat(check("array.json").findings().get(0).message()).isEqualTo("a JSON array, not JSON Lines (one object per line)");
        assertThat(check("array.json").fix()).contains("jq -c '.[]'");
        assertThat(check("pretty.json").findings().get(0).message()).isEqualTo("pretty-printed JSON: the first object spans several lines");
    }

    @Test
    void bomBlankLinesAndCrlfAreReportedWithLineNumbers() {
        DataReport r = check("bom_crlf.jsonl");
        Finding e = finding(r, "encoding");
        assertThat(e.status()).isEqualTo(WARN);
        assertThat(e.numbers()).containsEntry("bom_lines", 1L).containsEntry("blank_lines", 1L).containsEntry("crlf_lines", 4L);
        assertThat(e.lines()).containsExactly(1L, 3L);
        assertThat(e.message()).startsWith("a UTF-8 byte-order mark starts line 1; 1 blank line (first: 3)")
                .endsWith("CRLF line endings on 4 lines (harmless for JSON)");
        assertThat(e.fix()).contains("sed -i '1s/^\\xEF\\xBB\\xBF//'").contains("sed -i '/^[[:space:]]*$/d'");
        // the BOM and CR are stripped before parsing: the three records are fine
        assertThat(r.records()).isEqualTo(3);
        assertThat(finding(r, "malformed").status()).isEqualTo(PASS);
    }

    @Test
    void invalidUtf8IsAMalformedLineWithItsNumber() {
        Finding f = finding(check("invalid_utf8.jsonl"), "malformed");
        assertThat(f.lines()).containsExactly(2L);
        assertThat(f.examples()).containsExactly("line 2: invalid UTF-8: byte 0xff at column 48");
    }

    @Test
    void hundredMegabyteLineIsSkippedAndReportedNotHeld() throws IOException {
        Path file = dir.resolve("huge.jsonl");
        try (OutputStream out = Files.newOutputStream(file)) {
            out.write("{\"text\": \"first\"}\n{\"text\": \"".getBytes(StandardCharsets.US_ASCII));
            byte[] block = new byte[1 << 20];
            Arrays.fill(block, (byte) 'a');
            for (int i = 0; i < 100; i++) {
                out.write(block);
            }
            out.write("\"}\n{\"text\": \"third\"}\n".getBytes(StandardCharsets.US_ASCII));
        }
        DataReport r = DataCheck.run(file, DataCheckOptions.defaults());
        assertThat(r.lines()).isEqualTo(3);
        assertThat(r.records()).isEqualTo(2);
        Finding f = finding(r, "long_lines");
        assertThat(f.status()).isEqualTo(WARN);
        assertThat(f.examples()).containsExactly("line 2: 104857612 bytes");
        Finding len = finding(r, "length");
        assertThat(len.lines()).containsExactly(2L);
        assertThat(len.numbers()).containsEntry("over", 1L);
    }

    @Test
    void oversizeLineAtTheEndWithoutNewlineAndWithCrlf() throws IOException {
        Path file = dir.resolve("tail.jsonl");
        String big = "{\"text\": \"" + "b".repeat(5000) + "\"}";
        Files.writeString(file, "{\"text\": \"a\"}\r\n" + big + "\r\n{\"text\": \"c\"}\r\n" + big);
        DataReport r = DataCheck.run(file, DataCheckOptions.defaults(), 64, 1024);
        assertThat(r.lines()).isEqualTo(4);
        assertThat(finding(r, "long_lines").lines()).containsExactly(2L, 4L);
        assertThat(r.records()).isEqualTo(2);
    }

    @Test
    void gzipIsDetectedByMagicBytesWhateverTheName() throws IOException {
        Path gz = dir.resolve("chat.jsonl");
        gzip(Files.readAllBytes(path("chat_ok.jsonl")), gz);
        DataReport r = DataCheck.run(gz, DataCheckOptions.defaults());
        assertThat(finding(r, "file").message()).startsWith("gzip'd JSON Lines: ");
        assertThat(finding(r, "file").numbers()).containsEntry("gzip", true).containsEntry("bytes_of_text", 998L);
        assertThat(r.records()).isEqualTo(6);
        assertThat(r.hasFail()).isFalse();
    }

    @Test
    void truncatedGzipFailsAfterReportingWhatItRead() throws IOException {
        StringBuilder s = new StringBuilder();
        for (int i = 0; i < 20000; i++) {
            s.append("{\"text\": \"record ").append(i).append(" with some words ").append(i * 7919 % 10007).append("\"}\n");
        }
        Path whole = dir.resolve("whole.jsonl.gz");
        gzip(s.toString().getBytes(StandardCharsets.UTF_8), whole);
        byte[] all = Files.readAllBytes(whole);
        Path cut = dir.resolve("cut.jsonl.gz");
        Files.write(cut, Arrays.copyOf(all, all.length / 2));
        DataReport r = DataCheck.run(cut, DataCheckOptions.defaults(), 4096, 1 << 20);
        Finding f = finding(r, "file");
        assertThat(f.status()).isEqualTo(FAIL);
        assertThat(f.message()).startsWith("the gzip stream breaks off after ").contains("Unexpected end of ZLIB input stream");
        assertThat(r.records()).isGreaterThan(1000).isLessThan(20000);
    }

    @Test
    void gzipHeaderFollowedByGarbageIsABrokenStream() throws IOException {
        Path bad = dir.resolve("bad.gz");
        Files.write(bad, new byte[] {0x1f, (byte) 0x8b, 8, 0, 0, 0, 0, 0, 0, 3, 1, 2, 3, 4, 5, 6, 7, 8, 9});
        DataReport r = DataCheck.run(bad, DataCheckOptions.defaults());
        assertThat(r.findings()).hasSize(1);
        assertThat(r.findings().get(0).message()).startsWith("a broken gzip stream: ");
    }

    @Test
    void missingFileDirectoryAndTokenizerAreUsageErrors() {
        assertThatThrownBy(() -> DataCheck.run(dir.resolve("nope.jsonl"), DataCheckOptions.defaults()))
                .isInstanceOf(UserError.class).hasMessageContaining("nope.jsonl does not exist");
        assertThatThrownBy(() -> DataCheck.run(dir, DataCheckOptions.defaults()))
                .isInstanceOf(UserError.class).hasMessageContaining("is not a regular file");
        assertThatThrownBy(() -> DataCheck.run(path("chat_ok.jsonl"), DataCheckOptions.defaults().withTokenizer(dir.resolve("tok.json"))))
                .isInstanceOf(UserError.class).hasMessageContaining("tokenizer file").hasMessageContaining("tok.json does not exist");
    }

    @Test
    void aFileThatIsNotATokenizerIsAUsageError() {
        assertThatThrownBy(() -> DataCheck.run(path("chat_ok.jsonl"), DataCheckOptions.defaults().withTokenizer(path("chat_ok.jsonl"))))
                .isInstanceOf(UserError.class).hasMessageStartingWith("cannot load tokenizer ");
    }

    private static void gzip(byte[] data, Path to) throws IOException {
        try (OutputStream out = new GZIPOutputStream(Files.newOutputStream(to))) {
            out.write(data);
        }
    }
}
