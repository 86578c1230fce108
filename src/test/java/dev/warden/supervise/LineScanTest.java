package dev.warden.supervise;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.Random;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The word-at-a-time searches against byte-by-byte definitions, on random buffers full of near misses ("los",
 * "ste", "%", "it", bytes one off from \n and \r that fool the has-zero-byte trick) and random slices of them.
 */
class LineScanTest {
    private static final String[] PIECES = {
            "loss", "LoSs", "los", "oss", "lloss", "step", "STEP", "ste", "iter", "Iter", "ite", "it [", "it[", "it  [",
            "%|", "% ", "%\t", "%\u000b", "%\f", "%x", "%", "nan", "NaN", "INF", "in", "na", "/", " / ", "5/", "/7",
            "2.62k/5.09k", "it/s", "\n", "\r", "\r\n", "\u000b", "\f", "\u000c", "\u000e", "x", "ab", "12", " ", "'", ":",
            "=", "é", "█", "\u001b[A", "l", "s", "t", "p", "r", "i", "[",
    };

    @ParameterizedTest(name = "seed {0}")
    @ValueSource(longs = {1, 2, 3, 4, 5, 6, 7, 8})
    void wordAtATimeSearchesAgreeWithByteByByteOnes(long seed) {
        Random r = new Random(seed);
        for (int round = 0; round < 400; round++) {
            byte[] b = randomBytes(r);
            for (int k = 0; k < 20; k++) {
                int from = r.nextInt(b.length + 1);
                int to = from + r.nextInt(b.length - from + 1);
                String where = "round " + round + " [" + from + ", " + to + ")";
                assertThat(LineScan.nextTerminator(b, from, to)).as(where).isEqualTo(firstTerminator(b, from, to));
                assertThat(LineScan.lastTerminator(b, from, to)).as(where).isEqualTo(lastTerminator(b, from, to));
                for (int kinds : new int[] {LineScan.ANY, LineScan.LOSS, LineScan.PROGRESS}) {
                    String what = where + " kinds " + kinds;
                    assertThat(LineScan.firstAnchor(b, from, to, kinds)).as(what).isEqualTo(firstAnchor(b, from, to, kinds));
                    assertThat(LineScan.lastAnchor(b, from, to, kinds)).as(what).isEqualTo(lastAnchor(b, from, to, kinds));
                }
                int nan = indexOfIgnoreCase(b, from, to, "nan");
                int inf = indexOfIgnoreCase(b, from, to, "inf");
                assertThat(LineScan.endOrNonFinite(b, from, to)).as(where).isEqualTo(firstOf(firstTerminator(b, from, to), nan, inf));
                assertThat(LineScan.anchorKinds(b, from, to) != 0).as(where).isEqualTo(ProgressParser.interesting(b, from, to - from));
            }
        }
    }

    /**
     * The follower skips lines, and the parser skips patterns, by their anchors and slashes; it starts the loss
     * patterns just before the first "loss". None of that may hide what the patterns, run on the whole line, read.
     */
    @ParameterizedTest(name = "seed {0}")
    @ValueSource(longs = {21, 22, 23})
    void shortcutsNeverHideWhatThePatternsRead(long seed) {
        Random r = new Random(seed);
        String[] pieces = {
                "51%|", "|#####     |", " 2616/5088 ", "2616 / 5088", "[00:01<00:02, 3.1it/s]", "2616it [", "2.62kit [", "97% ",
                "%\t", "{'loss': ", "\"loss\": ", "loss", "Loss", "train_loss_step=", "training_", "training ", "train ",
                "val ", "val_", "eval_", "dev-", "test ", "x", "_", "-", "step", "Step [", "global_step=", "iter", "ITERATION",
                "it [", "nan", "-inf", "0.5", "1e-05", "12", "/100", "/", " /", "k/", ": ", "=", " ", "'", "[", "]", ",",
                "é", "█", "Validation DataLoader 0: ", "Map: ",
        };
        ProgressParser parser = new ProgressParser(null);
        int steps = 0;
        int totals = 0;
        int losses = 0;
        for (int i = 0; i < 20000; i++) {
            StringBuilder s = new StringBuilder();
            for (int k = 1 + r.nextInt(8); k > 0; k--) {
                s.append(pieces[r.nextInt(pieces.length)]);
            }
            byte[] line = s.toString().getBytes(StandardCharsets.UTF_8);
            Progress all = new Progress(0);
            parser.builtinOnly(new String(line, StandardCharsets.ISO_8859_1), all, 1);
            LineReading got = parser.read(line, 0, line.length);
            assertThat(got.step()).as("step from `%s`", s).isEqualTo(all.step());
            assertThat(got.total()).as("total from `%s`", s).isEqualTo(all.total());
            assertThat(got.loss()).as("loss from `%s`", s).isEqualTo(all.loss());
            int kinds = LineScan.anchorKinds(line, 0, line.length);
            if (all.step() != null) {
                steps++;
                assertThat(kinds & LineScan.PROGRESS).as("step from `%s`", s).isNotZero();
            }
            if (all.total() != null) {
                totals++;
                assertThat(LineScan.mayHaveTotal(line, 0, line.length)).as("total from `%s`", s).isTrue();
            }
            if (all.loss() != null) {
                losses++;
                assertThat(kinds & LineScan.LOSS).as("loss from `%s`", s).isNotZero();
            }
        }
        assertThat(steps).isGreaterThan(300);
        assertThat(totals).isGreaterThan(100);
        assertThat(losses).isGreaterThan(300);
    }

    private static byte[] randomBytes(Random r) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        int pieces = r.nextInt(60);
        for (int i = 0; i < pieces; i++) {
            if (r.nextInt(10) == 0) {
                out.write(r.nextInt(256)); // any byte, invalid UTF-8 included
            } else {
                out.writeBytes(PIECES[r.nextInt(PIECES.length)].getBytes(StandardCharsets.UTF_8));
            }
        }
        return out.toByteArray();
    }

    private static int firstTerminator(byte[] b, int from, int to) {
        for (int i = from; i < to; i++) {
            if (b[i] == '\n' || b[i] == '\r') {
                return i;
            }
        }
        return -1;
    }

    /** The least of the indexes that are not -1; -1 when all are. */
    private static int firstOf(int... indexes) {
        int first = -1;
        for (int i : indexes) {
            if (i >= 0 && (first < 0 || i < first)) {
                first = i;
            }
        }
        return first;
    }

    private static int lastTerminator(byte[] b, int from, int to) {
        for (int i = to - 1; i >= from; i--) {
            if (b[i] == '\n' || b[i] == '\r') {
                return i;
            }
        }
        return -1;
    }

    /** An anchor of the prefilter starts at j when the prefilter passes its window but not the window less its first byte. */
    private static boolean anchorStartsAt(byte[] b, int j, int to) {
        int window = b[j] == '%' ? 2 : 4;
        if (j + window > to) {
            return false;
        }
        return ProgressParser.interesting(b, j, window) && (b[j] == '%' || !ProgressParser.interesting(b, j + 1, window - 1));
    }

    /** LOSS for "loss" in any case, PROGRESS for the other anchors. */
    private static boolean anchorOfKindStartsAt(byte[] b, int j, int to, int kinds) {
        if (!anchorStartsAt(b, j, to)) {
            return false;
        }
        boolean loss = indexOfIgnoreCase(b, j, Math.min(to, j + 4), "loss") == j;
        return (kinds & (loss ? LineScan.LOSS : LineScan.PROGRESS)) != 0;
    }

    private static int firstAnchor(byte[] b, int from, int to, int kinds) {
        for (int j = from; j < to; j++) {
            if (anchorOfKindStartsAt(b, j, to, kinds)) {
                return j;
            }
        }
        return -1;
    }

    private static int lastAnchor(byte[] b, int from, int to, int kinds) {
        for (int j = to - 1; j >= from; j--) {
            if (anchorOfKindStartsAt(b, j, to, kinds)) {
                return j;
            }
        }
        return -1;
    }

    private static int indexOfIgnoreCase(byte[] b, int from, int to, String word) {
        String s = new String(b, from, to - from, StandardCharsets.ISO_8859_1);
        for (int i = 0; i + word.length() <= s.length(); i++) {
            if (s.regionMatches(true, i, word, 0, word.length())) {
                return from + i;
            }
        }
        return -1;
    }
}
