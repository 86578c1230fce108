package dev.warden.supervise;

import dev.warden.spec.JobSpec;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Progress from real trainer output. Fixtures are in src/test/resources/progress; SOURCES.md there says where
 * every line comes from. Each line is split the way LogTail splits the log (on \n and \r), and what the parser
 * takes from it is written "step=N/T loss=X" ("" when nothing).
 */
class ProgressParserTest {
    private static final Path FIXTURES = Path.of("src/test/resources/progress");

    // ---- tqdm, generated with Debian's python3-tqdm 4.64.1 (make_tqdm_fixtures.py) ----

    @Test
    void tqdmBarWithCarriageReturnRedrawsAndTrainerDictWrittenThroughIt() {
        assertThat(yields("tqdm-plain.txt")).containsExactly(
                "", "step=0/5088", "step=2615/5088", "step=2616/5088", "", "loss=0.0162", "", "step=2616/5088", "step=2617/5088", "step=2617/5088");
    }

    @Test
    void asciiBarAsInTheIssue() {
        assertThat(yields("tqdm-ascii.txt")).containsExactly("", "step=0/5088", "step=2616/5088", "step=2617/5088", "step=2617/5088");
    }

    @Test
    void unitScaledCountsAreReadBackToWholeSteps() {
        assertThat(yields("tqdm-unit-scale.txt")).containsExactly("", "step=0/5090", "step=2620/5090", "step=2620/5090");
    }

    @Test
    void barWithoutTotalGivesTheCountOnly() {
        assertThat(yields("tqdm-no-total.txt")).containsExactly("", "step=0", "step=2615", "step=2616", "step=2616");
        assertThat(yields("tqdm-no-total-scaled.txt")).containsExactly("", "step=0", "step=2620", "step=2620");
    }

    @Test
    void lightningStyleBarTakesLossFromThePostfixAndSkipsTheValidationBar() {
        List<String> y = yields("tqdm-lightning-style.txt");

        assertThat(y).contains("step=932/1016 loss=0.223", "step=933/1016 loss=NaN");
        assertThat(y).noneMatch(s -> s.contains("/157"));
    }

    @Test
    void followingTheRealLogFileEndsAtTheLastStepAndLoss() throws IOException {
        Path log = Files.createTempFile("attempt", ".log");
        try {
            Files.copy(FIXTURES.resolve("tqdm-plain.txt"), log, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
            Progress p = new Progress(0);
            LogTail tail = new LogTail(log, 0, null, new ProgressParser(null), p);
            tail.finish(); // read what is there, then stop
            tail.run();

            assertThat(p.step()).isEqualTo(2617);
            assertThat(p.total()).isEqualTo(5088);
            assertThat(p.loss()).isEqualTo(0.0162);
            // read in one go: the first and the last progress line of the read count (0 -> 2615 -> 2617)
            assertThat(p.stepIntervals()).hasSize(1);
        } finally {
            Files.delete(log);
        }
    }

    // ---- real output copied from public issues (real/, see SOURCES.md) ----

    @Test
    void huggingFaceTrainerRunFromStartToFinalDict() {
        assertThat(yields("real/hf-unsloth-project-big-yes.txt")).containsExactly(
                "", // max_steps = 128
                "", // Total steps = 128
                "", // Gradient accumulation steps = 4
                "", // (1.13% trained): a percentage, not a bar
                "step=0/128",
                "loss=2.6495",
                "loss=2.4049",
                "loss=1.745",
                "loss=1.8917758977040648", // the final dict's train_loss: the run's mean loss, shown as the last loss
                "step=128/128",
                "loss=1.8917758977040648",
                "step=51", // "Loss @ step 51: ..." names no loss value after the word loss
                "loss=0.00789468717959726");
    }

    @Test
    void trainerDictsWithGradNormCountOnlyTheLoss() {
        assertThat(yields("real/hf-grad-norm-modal-labs-pr82.txt")).containsExactly("loss=0.0923", "loss=0.0787");
    }

    @Test
    void evalDictsAreNotTrainingLossEvenWhenNaN() {
        assertThat(yields("real/hf-eval-sentence-transformers-pr2449.txt")).containsExactly("", "loss=0.0601");
        assertThat(yields("real/hf-eval-nan-trl-1057.txt")).containsExactly("");
        assertThat(yields("real/hf-eval-nan-llm2vec-174.txt")).containsExactly("", "step=200/7413");
        assertThat(progressOf("real/hf-eval-nan-llm2vec-174.txt").nonFinite()).isFalse();
    }

    @Test
    void lightningBarsWithLossInThePostfix() {
        assertThat(yields("real/lightning-4225.txt")).containsExactly(
                "step=0", "step=0/18", "step=0/18", "step=1/18", "step=1/18 loss=10.473", "step=2/18 loss=10.473", "step=2/18 loss=10.224");
    }

    @Test
    void lightningValidationBarsDoNotMoveTheTrainingStep() {
        assertThat(yields("real/lightning-validation-14094.txt")).containsExactly(
                "", "step=932/1016 loss=0.223", "", "step=933/1016 loss=0.223");
        Progress p = progressOf("real/lightning-validation-14094.txt");
        assertThat(p.stepIntervals()).hasSize(1);
    }

    @Test
    void notebookBarsWithoutTheBarStillGiveTheStep() {
        assertThat(yields("real/lightning-notebook-3866.txt")).containsExactly("step=1651/1702 loss=0.158", "step=1652/1702 loss=0.158");
    }

    @Test
    void lightning2PostfixTrainLossStepNotValLossNorEpochMean() {
        assertThat(yields("real/lightning2-delve-erav1-s18.txt")).containsExactly("step=2/58 loss=0.606", "step=3/58 loss=0.148");
    }

    @Test
    void nanoGptIterLinesAndTheNaNAtIter3010() {
        assertThat(yields("real/nanogpt-nan-215.txt")).containsExactly(
                "step=2990 loss=3.8853", "step=3000 loss=4.039", "", "step=3000 loss=4.249", "step=3010 loss=NaN");
        Progress p = progressOf("real/nanogpt-nan-215.txt");
        assertThat(p.nonFinite()).isTrue();
        assertThat(p.nonFiniteLine()).contains("iter 3010: loss nan");
    }

    @Test
    void mlxSkipsDownloadAndValidationBarsAndValLoss() {
        assertThat(yields("real/mlx-lm-330.txt")).containsExactly("", "", "", "step=1", "step=10 loss=2.662");
    }

    @Test
    void dictWithQuotedValuesAndBarWithALineGluedOn() {
        assertThat(yields("real/mlx-vlm-261.txt")).containsExactly("step=10 loss=3.4376", "step=10/1000 loss=3.4376");
    }

    @Test
    void nanInGenericLogsKerasAndPostfixes() {
        assertThat(yields("real/insightface-nan-2262.txt")).containsExactly("step=20 loss=NaN");
        assertThat(yields("real/dsvt-nan-31.txt")).containsExactly("step=0/24 loss=NaN");
        assertThat(yields("real/keras-nan-relernn-26.txt")).containsExactly("loss=0.2445", "loss=0.2445", "loss=NaN");
        assertThat(yields("real/radar-mean-nan-3.txt")).containsExactly("step=266/266 loss=19500.0", "loss=NaN");
    }

    @Test
    void genericStepAndLossLines() {
        assertThat(yields("real/tf-object-detection-6.txt")).containsExactly("step=100 loss=1.396", "step=200 loss=1.192");
        assertThat(yields("real/pytorch-mnist-style-tutorials-1204.txt")).containsExactly("loss=3.397839");
        assertThat(yields("real/gpt2-log-s21.txt")).containsExactly("step=0 loss=10.899394989013672", "step=1 loss=10.719036102294922");
    }

    @Test
    void aMetricThatEndsInLossIsNotTheLoss() {
        assertThat(yields("real/accessory-closs-48.txt")).containsExactly("");
    }

    /** Constructed lines (not copied from anywhere): names and numbers that look like progress but are not. */
    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {
            "{'eval_error_rate': 0.12, 'eval_runtime': 3.2, 'epoch': 1.0}",
            "Using a lossless codec for the audio cache",
            "GPU utilization: 50% at 71C",
            "Downloading: 50% complete",
            "steps_per_epoch = 1200, max_steps = 36000",
            "warmup_steps: 500",
            "val_loss: nan",
            "Validation loss: nan",
            "test loss nan",
            "eval_loss = inf",
            "loss_scale: 65536.0 overflow, skipping",
    })
    void linesThatLookLikeProgressButAreNot(String line) {
        assertThat(readLine(new ProgressParser(null), line)).isEmpty();
    }

    @Test
    void infiniteLossIsNonFiniteToo() {
        assertThat(readLine(new ProgressParser(null), "{'loss': inf, 'learning_rate': 1e-05, 'epoch': 0.1}")).isEqualTo("loss=Infinity");
        assertThat(readLine(new ProgressParser(null), "step 12/100 loss -inf")).isEqualTo("step=12/100 loss=-Infinity");
    }

    // ---- regexes from the spec ----

    @Test
    void customRegexesReplaceTheBuiltInOnes() {
        ProgressParser p = new ProgressParser(new JobSpec.Progress("batch (\\d+)", null, "objective=(\\S+)"));

        assertThat(readLine(p, "[rank0] batch 17 objective=0.731 step 99 loss 5.0")).isEqualTo("step=17 loss=0.731");
        assertThat(readLine(p, "[rank0] batch 18 objective=nan")).isEqualTo("step=18 loss=NaN");
        assertThat(readLine(p, "step 99 loss 5.0")).as("built-ins are off for what the spec covers").isEmpty();
        assertThat(readLine(p, "objective=n/a")).as("not a number is not NaN").isEmpty();
    }

    @Test
    void customTotalOnItsOwnLineAppliesToTheStepsThatFollow() {
        ProgressParser p = new ProgressParser(new JobSpec.Progress(null, "training for (\\d+) steps", null));
        Progress progress = new Progress(0);

        p.line(bytes("Starting: training for 5000 steps"), 0, 33, progress, 1);
        p.line(bytes("step 12, loss 0.5"), 0, 17, progress, 2);

        assertThat(progress.step()).isEqualTo(12);
        assertThat(progress.total()).isEqualTo(5000);
        assertThat(progress.loss()).as("built-in loss still applies").isEqualTo(0.5);
    }

    @Test
    void customStepWithAnOptionalGroupThatDidNotMatchIsIgnored() {
        ProgressParser p = new ProgressParser(new JobSpec.Progress("it(?:er (\\d+))?", null, null));

        assertThat(readLine(p, "it begins")).isEmpty();
        assertThat(readLine(p, "iter 5")).isEqualTo("step=5");
    }

    // ---- the byte prefilter ----

    /** Any line the full patterns take something from must pass the prefilter, or progress would be lost. */
    @ParameterizedTest(name = "seed {0}")
    @ValueSource(longs = {11, 12, 13, 14, 15, 99})
    void prefilterNeverHidesALineThePatternsWouldRead(long seed) {
        Random r = new Random(seed);
        String[] pieces = {
                "51%|", "|#####     |", " 2616/5088 ", "[00:01<00:02, 3.1it/s]", "2616it [", "2.62kit [", "97% ", "%\t", "%|",
                "{'loss': ", "\"loss\": ", "'Loss': '", "loss", "LOSS", "Loss", "train_loss_step=", "train ", "val ", "eval_",
                "step", "STEP", "Step [", "global_step=", "iter", "Iter ", "ITERATION", "it [", "it", "lo", "ss", "st", "ep",
                "nan", "-inf", "inf", "0.5", "1e-05", "12", "/100", ": ", "=", " ", "  ", "'", "\"", "[", "]", "(", ")", ",",
                "x", "a_", "é", "█", "\u001b[A", "Epoch 0: ", "Validation DataLoader 0: ", "Map: ",
        };
        ProgressParser parser = new ProgressParser(null);
        int readable = 0;
        for (int i = 0; i < 3000; i++) {
            StringBuilder b = new StringBuilder();
            int n = 1 + r.nextInt(8);
            for (int k = 0; k < n; k++) {
                b.append(pieces[r.nextInt(pieces.length)]);
            }
            String line = b.toString();
            Progress p = new Progress(0);
            parser.builtinOnly(line, p, 1);
            if (p.step() != null || p.loss() != null) {
                readable++;
                byte[] raw = line.getBytes(StandardCharsets.UTF_8);
                // the line also sits in the middle of a larger buffer, as in LogTail's read chunks
                byte[] framed = ("xx" + line + "yy").getBytes(StandardCharsets.UTF_8);
                assertThat(ProgressParser.interesting(raw, 0, raw.length)).as("prefilter drops `%s`", line).isTrue();
                assertThat(ProgressParser.interesting(framed, 2, raw.length)).as("prefilter drops framed `%s`", line).isTrue();
            }
        }
        assertThat(readable).as("the generator must produce readable lines to test anything").isGreaterThan(300);
    }

    @Test
    void prefilterPassesOverOrdinaryLogLines() {
        for (String line : List.of(
                "Saving model checkpoint to output/checkpoint-200",
                "  File \"/usr/lib/python3/dist-packages/torch/nn/modules/module.py\", line 1501, in _call_impl",
                "RuntimeError: CUDA out of memory. Tried to allocate 20.00 MiB",
                "[INFO|configuration_utils.py:733] 2025-10-22 21:20:40,816 >> loading configuration file config.json")) {
            byte[] raw = line.getBytes(StandardCharsets.UTF_8);
            assertThat(ProgressParser.interesting(raw, 0, raw.length)).as(line).isFalse();
        }
    }

    @Test
    void prefilterLooksOnlyAtItsSliceOfTheBuffer() {
        byte[] buf = "loss 0.5|plain text".getBytes(StandardCharsets.UTF_8);

        assertThat(ProgressParser.interesting(buf, 9, buf.length - 9)).isFalse();
        assertThat(ProgressParser.interesting(buf, 0, 4)).isTrue();
        assertThat(ProgressParser.interesting(buf, 0, 3)).isFalse();
    }

    // ---- helpers ----

    /** What each line of a fixture yields on its own, the file split as LogTail splits it. */
    private static List<String> yields(String fixture) {
        ProgressParser parser = new ProgressParser(null);
        List<String> out = new ArrayList<>();
        for (String line : lines(fixture)) {
            out.add(readLine(parser, line));
        }
        return out;
    }

    /** The whole fixture through one Progress, one line per second. */
    private static Progress progressOf(String fixture) {
        ProgressParser parser = new ProgressParser(null);
        Progress p = new Progress(0);
        long t = 0;
        for (String line : lines(fixture)) {
            byte[] raw = line.getBytes(StandardCharsets.UTF_8);
            parser.line(raw, 0, raw.length, p, t += 1_000_000_000L);
        }
        return p;
    }

    private static String readLine(ProgressParser parser, String line) {
        Progress p = new Progress(0);
        byte[] raw = line.getBytes(StandardCharsets.UTF_8);
        parser.line(raw, 0, raw.length, p, 1);
        StringBuilder s = new StringBuilder();
        if (p.step() != null) {
            s.append("step=").append(p.step()).append(p.total() == null ? "" : "/" + p.total());
        }
        if (p.loss() != null) {
            s.append(s.length() > 0 ? " " : "").append("loss=").append(p.loss());
        }
        return s.toString();
    }

    /** Split on \n and \r like LogTail; a trailing terminator does not make an empty last line. */
    private static List<String> lines(String fixture) {
        String text;
        try {
            text = Files.readString(FIXTURES.resolve(fixture), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        List<String> out = new ArrayList<>(List.of(text.split("[\r\n]", -1)));
        if (!out.isEmpty() && out.get(out.size() - 1).isEmpty()) {
            out.remove(out.size() - 1);
        }
        return out;
    }

    private static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }
}
