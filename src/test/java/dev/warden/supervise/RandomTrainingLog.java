package dev.warden.supervise;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.Locale;
import java.util.Random;

/**
 * Random trainer output that looks like the real thing (the shapes of the fixtures in src/test/resources/progress):
 * tqdm bars redrawn with \r, Hugging Face dicts, Lightning bars and their validation bars, nanoGPT and generic step
 * lines, Keras bars, with log noise, look-alikes (val_loss: nan, lossless, warmup_steps), invalid UTF-8, empty lines
 * and now and then a line longer than the 64 KiB the parser reads. Each log picks one to three trainers' formats;
 * some runs diverge and print nan or inf losses.
 */
final class RandomTrainingLog {
    private final Random r;
    private final ByteArrayOutputStream out = new ByteArrayOutputStream();
    private final int total;
    private final double nonFiniteRate;
    private final int[] weights = new int[Kind.values().length];
    private int step;

    private enum Kind { TQDM, TQDM_LOSS, TQDM_SCALED, TQDM_NO_TOTAL, HF_DICT, HF_EVAL, LIGHTNING, VALIDATION, NANOGPT, GENERIC, KERAS, NOISE, LOOKALIKE, JUNK, EMPTY, HUGE }

    private RandomTrainingLog(Random r) {
        this.r = r;
        total = 100 + r.nextInt(100_000);
        nonFiniteRate = new double[] {0, 0.001, 0.02, 0.5}[r.nextInt(4)];
        Kind[] trainers = {Kind.TQDM, Kind.TQDM_LOSS, Kind.TQDM_SCALED, Kind.TQDM_NO_TOTAL, Kind.HF_DICT, Kind.LIGHTNING, Kind.NANOGPT, Kind.GENERIC, Kind.KERAS};
        for (int i = 1 + r.nextInt(3); i > 0; i--) {
            weights[trainers[r.nextInt(trainers.length)].ordinal()] += 1 + r.nextInt(20);
        }
        weights[Kind.HF_EVAL.ordinal()] = r.nextInt(2);
        weights[Kind.VALIDATION.ordinal()] = r.nextInt(2);
        weights[Kind.NOISE.ordinal()] = r.nextInt(60);
        weights[Kind.LOOKALIKE.ordinal()] = r.nextInt(4);
        weights[Kind.JUNK.ordinal()] = r.nextInt(3);
        weights[Kind.EMPTY.ordinal()] = r.nextInt(3);
    }

    static byte[] generate(Random r, int lines) {
        RandomTrainingLog log = new RandomTrainingLog(r);
        for (int i = 0; i < lines; i++) {
            log.line(r.nextInt(2_000) == 0 ? Kind.HUGE : log.pick());
        }
        return log.out.toByteArray();
    }

    private Kind pick() {
        int sum = 0;
        for (int w : weights) {
            sum += w;
        }
        int x = r.nextInt(sum);
        for (Kind k : Kind.values()) {
            x -= weights[k.ordinal()];
            if (x < 0) {
                return k;
            }
        }
        throw new AssertionError();
    }

    private void line(Kind kind) {
        switch (kind) {
            case TQDM -> bar(String.format(Locale.ROOT, " %3d%%|%s| %d/%d [00:%02d<00:%02d, %.2fit/s]", pct(), bar(), ++step, total, r.nextInt(60), r.nextInt(60), rate()));
            case TQDM_LOSS -> bar(String.format(Locale.ROOT, " %3d%%|%s| %d/%d [00:%02d<00:%02d, %.2fit/s, loss=%s]", pct(), bar(), ++step, total, r.nextInt(60), r.nextInt(60), rate(), loss()));
            case TQDM_SCALED -> bar(String.format(Locale.ROOT, " %3d%%|%s| %.2fk/%.2fk [00:01<00:02, %.1fkit/s]", pct(), bar(), (step += 10) / 1000.0, total / 1000.0, rate()));
            case TQDM_NO_TOTAL -> bar(String.format(Locale.ROOT, "%dit [00:%02d, %.2fit/s]", ++step, r.nextInt(60), rate()));
            case HF_DICT -> text(String.format(Locale.ROOT, "{'loss': %s, 'grad_norm': %.3f, 'learning_rate': 3e-05, 'epoch': %.2f}", loss(), r.nextDouble() * 5, r.nextDouble() * 3), "\n");
            case HF_EVAL -> text(r.nextBoolean()
                    ? String.format(Locale.ROOT, "{'eval_loss': %s, 'eval_runtime': 3.2, 'eval_samples_per_second': 40.1, 'epoch': 1.0}", loss())
                    : String.format(Locale.ROOT, "{'train_runtime': 812.3, 'train_samples_per_second': 4.5, 'train_loss': %s, 'epoch': 3.0}", loss()), "\n");
            case LIGHTNING -> bar(String.format(Locale.ROOT, "Epoch %d:  %d%%|████▌     | %d/%d [00:10<00:12, %.1fit/s, v_num=0, train_loss_step=%s]", step / 1000, pct(), ++step, total, rate(), loss()));
            case VALIDATION -> {
                for (int i = 1 + r.nextInt(20), n = 1; i > 0; i--, n++) { // well under BurstParser.PROBE_LIMIT
                    bar(String.format(Locale.ROOT, "Validation DataLoader 0:  %d%%|██▌       | %d/157 [00:02<00:02, 30.5it/s]", n * 100 / 157, n));
                }
            }
            case NANOGPT -> text(String.format(Locale.ROOT, "iter %d: loss %s, time %.2fms, mfu %.2f%%", ++step, loss(), r.nextDouble() * 100, r.nextDouble() * 40), "\n");
            case GENERIC -> text(switch (r.nextInt(3)) {
                case 0 -> String.format(Locale.ROOT, "step %d/%d loss %s", ++step, r.nextInt(8) == 0 ? total * 2 : total, loss());
                case 1 -> String.format(Locale.ROOT, "Epoch [1/3], Step [%d/%d], Loss: %s", ++step, total, loss());
                default -> String.format(Locale.ROOT, "global_step=%d train_loss=%s lr=3e-4", ++step, loss());
            }, "\n");
            case KERAS -> bar(r.nextInt(20) == 0
                    ? String.format(Locale.ROOT, "1875/1875 [==============================] - 5s 3ms/step - loss: %s - accuracy: 0.93", loss())
                    : String.format(Locale.ROOT, "%5d/1875 [=====>........................] - ETA: 5s - loss: %s - accuracy: 0.91", r.nextInt(1875), loss()));
            case NOISE -> text(switch (r.nextInt(4)) {
                case 0 -> String.format(Locale.ROOT, "2026-11-26 07:40:13,123 INFO worker %d: processed batch %d of shard %d in 0.%03ds tokens=%d", r.nextInt(8), r.nextInt(99999), r.nextInt(97), r.nextInt(1000), r.nextInt(999999));
                case 1 -> "Saving model checkpoint to output/checkpoint-" + step;
                case 2 -> "  File \"/usr/lib/python3/dist-packages/torch/nn/modules/module.py\", line 1501, in _call_impl";
                default -> "[INFO|trainer.py:2128] >> Num examples = 5,000 | information on the financial nan-filter";
            }, "\n");
            case LOOKALIKE -> text(new String[] {
                    "val_loss: nan", "Validation loss: inf", "eval_loss = inf", "test loss nan", "Using a lossless codec for the audio cache",
                    "loss_scale: 65536.0 overflow, skipping", "warmup_steps: 500", "steps_per_epoch = 1200, max_steps = 36000",
                    "GPU utilization: 50% at 71C", "Downloading: 50% complete", "Map: 100%|██████████| 1000/1000 [00:01<00:00, 900 examples/s]",
            }[r.nextInt(11)], "\n");
            case JUNK -> {
                byte[] junk = new byte[1 + r.nextInt(200)];
                for (int i = 0; i < junk.length; i++) {
                    int c = r.nextInt(256);
                    junk[i] = (byte) (c == '\n' || c == '\r' ? 0xff : c);
                }
                out.writeBytes(junk);
                text("", terminator());
            }
            case EMPTY -> text("", terminator());
            case HUGE -> {
                StringBuilder s = new StringBuilder();
                boolean early = r.nextBoolean();
                if (early) {
                    s.append(String.format(Locale.ROOT, "step %d loss %s ", ++step, loss()));
                }
                s.append("x".repeat(60_000 + r.nextInt(40_000)));
                s.append(String.format(Locale.ROOT, " step %d loss %s", step + 1, r.nextBoolean() ? "nan" : "0.25"));
                text(s.toString(), "\n");
            }
        }
    }

    private void bar(String s) {
        text(s, r.nextInt(8) == 0 ? "\n" : "\r");
    }

    private void text(String s, String terminator) {
        out.writeBytes(s.getBytes(StandardCharsets.UTF_8));
        out.writeBytes(terminator.getBytes(StandardCharsets.UTF_8));
    }

    private String terminator() {
        return new String[] {"\n", "\r", "\r\n"}[r.nextInt(3)];
    }

    private String loss() {
        if (r.nextDouble() < nonFiniteRate) {
            return new String[] {"nan", "inf", "-inf", "NaN"}[r.nextInt(4)];
        }
        return String.format(Locale.ROOT, "%.4f", r.nextDouble() * 4);
    }

    private int pct() {
        return r.nextInt(101);
    }

    private String bar() {
        int filled = r.nextInt(11);
        return "#".repeat(filled) + " ".repeat(10 - filled);
    }

    private double rate() {
        return r.nextDouble() * 50;
    }
}
