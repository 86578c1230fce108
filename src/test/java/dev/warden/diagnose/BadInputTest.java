package dev.warden.diagnose;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.atomic.AtomicBoolean;

import static org.assertj.core.api.Assertions.assertThat;

/** Whatever the log holds, the answer is a verdict or a clear "unknown", never a crash. */
class BadInputTest {
    private static final Diagnoser DIAGNOSER = Fixtures.diagnoser();
    private static final String OOM = "torch.OutOfMemoryError: CUDA out of memory. Tried to allocate 2.00 GiB. GPU 0 has a total capacity of 79.15 GiB";

    @TempDir
    Path dir;

    @Test
    void tqdmCarriageReturnsAroundARealErrorGiveAVerdict() throws IOException {
        Verdict v = DIAGNOSER.classify(Fixtures.path("local/tqdm_cr_shape_mismatch.txt"), ExitInfo.code(1));

        assertThat(v.category()).isNotNull();
        assertThat(v.evidence()).isNotEmpty();
    }

    @Test
    void emptyLogIsUnknownAndSaysSo() throws IOException {
        Path log = Files.createFile(dir.resolve("empty.log"));

        Verdict v = DIAGNOSER.classify(log, ExitInfo.code(1));

        assertThat(v.category()).isEqualTo("unknown");
        assertThat(v.evidence()).contains(new Evidence(0, "the log is empty"));
    }

    @Test
    void missingOrUnreadableLogFallsBackToTheExitStatus() {
        Verdict missing = DIAGNOSER.classify(dir.resolve("nope.log"), ExitInfo.code(139));
        Verdict directory = DIAGNOSER.classify(dir, ExitInfo.unknown());

        assertThat(missing.category()).isEqualTo("segfault");
        assertThat(missing.evidence()).anySatisfy(e -> assertThat(e.text()).contains("does not exist"));
        assertThat(directory.category()).isEqualTo("unknown");
        assertThat(directory.evidence()).anySatisfy(e -> assertThat(e.text()).contains("cannot be read"));
    }

    @Test
    void binaryGarbageIsUnknownAndAnErrorInsideItIsStillFound() throws IOException {
        byte[] noise = new byte[3 << 20];
        new Random(42).nextBytes(noise);
        Path log = dir.resolve("binary.log");
        Files.write(log, noise);

        assertThat(DIAGNOSER.classify(log, ExitInfo.unknown()).category()).isEqualTo("unknown");

        Files.write(log, ("\n" + OOM + "\n").getBytes(StandardCharsets.UTF_8), StandardOpenOption.APPEND);
        Files.write(log, noise, StandardOpenOption.APPEND);
        Verdict v = DIAGNOSER.classify(log, ExitInfo.unknown(), true, null);
        assertThat(v.category()).isEqualTo("cuda_oom");
    }

    @Test
    void invalidUtf8AroundTheErrorLineIsReplacedNotFatal() throws IOException {
        Path log = dir.resolve("latin1.log");
        try (OutputStream out = Files.newOutputStream(log)) {
            out.write(new byte[] {(byte) 0xff, (byte) 0xfe, (byte) 0xc3, '\n'});
            out.write("RuntimeError: CUDA error: an illegal memory access was encountered ".getBytes(StandardCharsets.UTF_8));
            out.write(new byte[] {(byte) 0xe9, (byte) 0x80, '\n'});
        }

        Verdict v = DIAGNOSER.classify(log, ExitInfo.code(1));

        assertThat(v.category()).isEqualTo("cuda_illegal_access");
        assertThat(v.evidence().get(0).line()).isEqualTo(2);
        assertThat(v.evidence().get(0).text()).startsWith("RuntimeError: CUDA error: an illegal memory access was encountered").contains("\uFFFD");
    }

    @Test
    void fiftyMegabyteSingleLineIsClassifiedWithBoundedEvidence() throws IOException {
        Path log = dir.resolve("one-line.log");
        byte[] filler = "x".repeat(1 << 20).getBytes(StandardCharsets.US_ASCII);
        try (OutputStream out = Files.newOutputStream(log)) {
            for (int i = 0; i < 50; i++) {
                out.write(filler);
            }
            out.write(OOM.getBytes(StandardCharsets.UTF_8));
            out.write(filler, 0, 1000);
        }

        Verdict tail = DIAGNOSER.classify(log, ExitInfo.code(1));
        Verdict whole = DIAGNOSER.classify(log, ExitInfo.code(1), true, null);

        assertThat(tail.category()).isEqualTo("cuda_oom");
        assertThat(tail.evidence().get(0).line()).isEqualTo(1);
        assertThat(tail.evidence().get(0).text()).contains("CUDA out of memory").hasSizeLessThan(500);
        assertThat(whole.category()).isEqualTo("cuda_oom");
    }

    @Test
    void fiftyMegabyteSingleLineWithoutAnErrorIsUnknownWithAShortenedLastLine() throws IOException {
        Path log = dir.resolve("one-line-clean.log");
        byte[] filler = "y".repeat(1 << 20).getBytes(StandardCharsets.US_ASCII);
        try (OutputStream out = Files.newOutputStream(log)) {
            for (int i = 0; i < 50; i++) {
                out.write(filler);
            }
        }

        Verdict v = DIAGNOSER.classify(log, ExitInfo.code(1));

        assertThat(v.category()).isEqualTo("unknown");
        assertThat(v.evidence()).allSatisfy(e -> assertThat(e.text()).hasSizeLessThan(500));
    }

    @Test
    void catastrophicUserRegexIsSwitchedOffWithAWarningAndTheVerdictStillComes() throws IOException {
        List<String> warnings = new ArrayList<>();
        Diagnoser d = Diagnoser.load((Path) null, List.of(Map.of("id", "evil", "category", "hang",
                "patterns", List.of(Map.of("regex", "(a+)+b")))), warnings::add).withRedactor(Redactor.none());
        StringBuilder log = new StringBuilder();
        for (int i = 0; i < 6; i++) {
            log.append("a".repeat(3000)).append('\n');
        }
        log.append(OOM).append('\n');

        Verdict v = d.classifyText(log.toString(), ExitInfo.code(1));

        assertThat(v.category()).isEqualTo("cuda_oom");
        assertThat(warnings).hasSize(2);
        assertThat(warnings.get(0)).contains("rule 'evil'").contains("tried on every line");
        assertThat(warnings.get(1)).contains("rule 'evil'").contains("switched off");
    }

    @Test
    void logStillBeingWrittenGivesAVerdictEveryTime() throws Exception {
        Path log = dir.resolve("growing.log");
        Files.writeString(log, "start\n");
        AtomicBoolean stop = new AtomicBoolean();
        Thread writer = new Thread(() -> {
            try (OutputStream out = Files.newOutputStream(log, StandardOpenOption.APPEND)) {
                int i = 0;
                while (!stop.get()) {
                    out.write(("{'loss': 1.0, 'step': " + i++ + "}\n").getBytes(StandardCharsets.UTF_8));
                    if (i % 5000 == 0) {
                        out.write((OOM + "\n").getBytes(StandardCharsets.UTF_8));
                    }
                }
            } catch (IOException e) {
                throw new IllegalStateException(e);
            }
        });
        writer.start();
        try {
            for (int i = 0; i < 30; i++) {
                Verdict v = DIAGNOSER.classify(log, ExitInfo.unknown());
                assertThat(v.category()).isIn("unknown", "cuda_oom");
            }
        } finally {
            stop.set(true);
            writer.join();
        }
        Files.writeString(log, OOM + "\n", StandardOpenOption.APPEND);
        assertThat(DIAGNOSER.classify(log, ExitInfo.unknown()).category()).isEqualTo("cuda_oom");
    }

    @Test
    void nothingInTheTailWidensTheSearchToOlderLines() throws IOException {
        Path log = dir.resolve("old-error.log");
        StringBuilder sb = new StringBuilder("OSError: [Errno 28] No space left on device\n");
        String healthy = "{'loss': 0.5, 'learning_rate': 2e-05, 'epoch': 1.0}\n";
        while (sb.length() < 2 << 20) {
            sb.append(healthy);
        }
        Files.writeString(log, sb);

        Verdict v = DIAGNOSER.classify(log, ExitInfo.code(1));

        assertThat(v.category()).isEqualTo("disk_full");
        assertThat(v.evidence().get(0).line()).isEqualTo(1);
    }
}
