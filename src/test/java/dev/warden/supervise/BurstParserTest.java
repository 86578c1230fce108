package dev.warden.supervise;

import dev.warden.spec.JobSpec;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.Random;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The follower parses a few lines per read; what it shows must be what parsing every line would show. Random
 * real-looking logs go through a {@link BurstParser} in reads of random sizes (lines cut anywhere, bursts of up to
 * 256 KiB) and, line by line, through the parser alone; after every read both must agree on step, total, loss and
 * the last non-finite loss.
 */
class BurstParserTest {
    private static final int READ_BUFFER = 256 * 1024;

    @ParameterizedTest(name = "seed {0}")
    @ValueSource(longs = {1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16, 17, 18, 19, 20})
    void afterEveryReadProgressIsWhatParsingEveryLineGives(long seed) {
        assertFollowerAgreesWithEveryLine(seed, null);
    }

    @ParameterizedTest(name = "seed {0}")
    @ValueSource(longs = {101, 102, 103})
    void withSpecRegexesEveryLineIsParsed(long seed) {
        assertFollowerAgreesWithEveryLine(seed, new JobSpec.Progress("(?:step|iter|Step \\[)\\s*(\\d+)", "/(\\d+)", "loss[=:' ]+(\\S+?)[,'\\s]"));
    }

    private static void assertFollowerAgreesWithEveryLine(long seed, JobSpec.Progress custom) {
        Random r = new Random(seed);
        byte[] log = RandomTrainingLog.generate(r, 2_000 + r.nextInt(10_000));
        Progress fast = new Progress(0);
        BurstParser burst = new BurstParser(new ProgressParser(custom), fast);
        EveryLine reference = new EveryLine(new ProgressParser(custom));
        byte[] buf = new byte[READ_BUFFER]; // reused, as LogTail does: stale bytes past each read stay
        int profile = r.nextInt(3);
        int reads = 0;
        for (int pos = 0; pos < log.length; reads++) {
            int n = Math.min(log.length - pos, readSize(r, profile));
            System.arraycopy(log, pos, buf, 0, n);
            burst.read(buf, n, reads);
            pos += n;
            reference.upTo(log, pos, reads);
            assertThat(state(fast)).as("seed %d, read %d ending at byte %d of %d", seed, reads, pos, log.length).isEqualTo(state(reference.progress));
        }
        burst.end();
        reference.end(log, reads);
        assertThat(state(fast)).as("seed %d at the end", seed).isEqualTo(state(reference.progress));
    }

    /** All 256 KiB reads (the biggest bursts), all small ones (lines cut everywhere), or a mix. */
    private static int readSize(Random r, int profile) {
        return switch (profile) {
            case 0 -> READ_BUFFER;
            case 1 -> 1 + r.nextInt(300);
            default -> 1 + r.nextInt(new int[] {16, 4096, READ_BUFFER}[r.nextInt(3)]);
        };
    }

    @Test
    void aBurstFromStep1To100IsOneStepChange() {
        Progress p = new Progress(0);
        BurstParser burst = new BurstParser(new ProgressParser(null), p);
        StringBuilder s = new StringBuilder();
        for (int i = 1; i <= 100; i++) {
            s.append("step ").append(i).append("/100\n");
        }
        read(burst, s.toString());

        assertThat(p.step()).isEqualTo(100);
        assertThat(p.total()).isEqualTo(100);
        assertThat(p.stepIntervals()).hasSize(1);
    }

    @Test
    void aNonFiniteLossInTheMiddleOfABurstIsKeptAndALaterFiniteLossIsTheLastWord() {
        Progress p = new Progress(0);
        BurstParser burst = new BurstParser(new ProgressParser(null), p);
        read(burst, "iter 1: loss 2.5\n".repeat(500) + "iter 2: loss nan, time 3ms\n" + "iter 3: loss 2.25\n".repeat(500) + "2026 INFO done\n");

        assertThat(p.nonFinite()).isTrue();
        assertThat(p.nonFiniteLine()).isEqualTo("iter 2: loss nan, time 3ms");
        assertThat(p.loss()).isEqualTo(2.25);
        assertThat(p.step()).isEqualTo(3);
    }

    @Test
    void aNonFiniteLastLossIsTheLastWord() {
        Progress p = new Progress(0);
        BurstParser burst = new BurstParser(new ProgressParser(null), p);
        read(burst, " 50%|#####     | 50/100 [00:01<00:01, 50.0it/s]\r".repeat(300) + "{'loss': inf, 'learning_rate': 3e-05, 'epoch': 0.5}\n"
                + " 51%|#####     | 51/100 [00:01<00:01, 50.0it/s]\r");

        assertThat(p.loss()).isEqualTo(Double.POSITIVE_INFINITY);
        assertThat(p.step()).isEqualTo(51);
    }

    /** The walk back gives up after PROBE_LIMIT lines that gave nothing: the step stays what the read's first bar said. */
    @Test
    void aValidationFloodPastTheProbeLimitKeepsTheStepFromTheStartOfTheRead() {
        Progress p = new Progress(0);
        BurstParser burst = new BurstParser(new ProgressParser(null), p);
        StringBuilder s = new StringBuilder("Epoch 0:  99%|#########9| 1010/1016 [00:10<00:00, 45.0it/s]\r");
        s.append("Epoch 0: 100%|##########| 1016/1016 [00:10<00:00, 45.0it/s]\n");
        for (int n = 1; n <= BurstParser.PROBE_LIMIT + 1; n++) {
            s.append("Validation DataLoader 0:  ").append(n * 100 / 157).append("%|#         | ").append(n).append("/157 [00:02<00:02, 30.5it/s]\r");
        }
        read(burst, s.toString());

        assertThat(p.step()).as("parsing every line would give 1016").isEqualTo(1010);
        assertThat(p.total()).isEqualTo(1016);
    }

    @Test
    void aTenMegabyteLineIsReadByItsFirst64KiB() {
        Progress p = new Progress(0);
        BurstParser burst = new BurstParser(new ProgressParser(null), p);
        ByteArrayOutputStream log = new ByteArrayOutputStream();
        log.writeBytes("step 3 loss 0.5 ".getBytes(StandardCharsets.US_ASCII));
        log.writeBytes("x".repeat(10 << 20).getBytes(StandardCharsets.US_ASCII));
        log.writeBytes(" loss nan\nstep 4\n".getBytes(StandardCharsets.US_ASCII));
        read(burst, log.toByteArray());

        assertThat(p.step()).isEqualTo(4);
        assertThat(p.loss()).isEqualTo(0.5);
        assertThat(p.nonFinite()).as("the nan lies past what the parser reads of the line").isFalse();
    }

    @Test
    void outputWithoutProgressYieldsNothing() {
        Progress p = new Progress(0);
        BurstParser burst = new BurstParser(new ProgressParser(null), p);
        byte[] junk = new byte[1 << 20];
        new Random(5).nextBytes(junk);
        read(burst, "2026-11-26 07:40:13,123 INFO worker 3: processed batch 1234 of shard 17 in 0.123s\n".repeat(20_000));
        read(burst, junk);
        burst.end();

        assertThat(p.step()).isNull();
        assertThat(p.loss()).isNull();
        assertThat(p.nonFinite()).isFalse();
    }

    private static void read(BurstParser burst, String log) {
        read(burst, log.getBytes(StandardCharsets.UTF_8));
    }

    /** The log in 256 KiB reads, as LogTail reads a file. */
    private static void read(BurstParser burst, byte[] log) {
        byte[] buf = new byte[READ_BUFFER];
        for (int pos = 0; pos < log.length; pos += READ_BUFFER) {
            int n = Math.min(READ_BUFFER, log.length - pos);
            System.arraycopy(log, pos, buf, 0, n);
            burst.read(buf, n, pos);
        }
    }

    private static String state(Progress p) {
        String line = p.nonFiniteLine();
        return "step=" + p.step() + " total=" + p.total() + " loss=" + p.loss() + " nonFinite=" + p.nonFinite()
                + " line=" + (line == null ? null : line.length() + " chars #" + line.hashCode() + " " + line.substring(0, Math.min(80, line.length())));
    }

    /** The plain way: every line, in order, through the parser. */
    private static final class EveryLine {
        final ProgressParser parser;
        final Progress progress = new Progress(0);
        int lineStart;
        int scanned;

        EveryLine(ProgressParser parser) {
            this.parser = parser;
        }

        void upTo(byte[] log, int end, long now) {
            for (; scanned < end; scanned++) {
                if (log[scanned] == '\n' || log[scanned] == '\r') {
                    parser.line(log, lineStart, scanned - lineStart, progress, now);
                    lineStart = scanned + 1;
                }
            }
        }

        void end(byte[] log, long now) {
            if (lineStart < log.length) {
                parser.line(log, lineStart, log.length - lineStart, progress, now);
            }
        }
    }
}
