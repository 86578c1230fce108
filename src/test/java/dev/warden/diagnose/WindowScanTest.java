package dev.warden.diagnose;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.TreeSet;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The chunked, literal-prefiltered scan finds the same (rule, line) pairs as trying every rule on
 * every line, whatever the chunk size: literals and lines straddling chunk borders, carriage
 * returns, tabs, invalid bytes and terminal colours included. Seeded; the seed is in the name.
 */
class WindowScanTest {
    private static final Compiled COMPILED = new Compiled(Catalog.builtin());
    private static final List<String> ERRORS = List.of(
            Fixtures.text("cuda_oom.txt"), Fixtures.text("nccl_timeout.txt"), Fixtures.text("xid48_reset.txt"),
            Fixtures.text("local/local_gloo_rank1_segv.txt"), Fixtures.text("disk_full.txt"),
            Fixtures.text("local/local_state_dict_mismatch.txt"), Fixtures.text("amd_smu_0xffffffff.txt"),
            Fixtures.text("xid63_informational.txt"), Fixtures.text("device_side_assert.txt"),
            "\u001B[31mRuntimeError: CUDA error: an illegal memory access was encountered\u001B[0m\n");

    @ParameterizedTest(name = "seed {0}")
    @ValueSource(longs = {101, 102, 103, 104, 105, 106, 107, 108})
    void findsWhatTryingEveryRuleOnEveryLineFinds(long seed) {
        Random rnd = new Random(seed);
        StringBuilder log = new StringBuilder();
        while (log.length() < 60_000) {
            int r = rnd.nextInt(10);
            if (r < 2) {
                log.append(ERRORS.get(rnd.nextInt(ERRORS.size())));
            } else if (r < 4) {
                log.append("\r 45%|####      | 450/1000 [00:10<00:12, 44.1it/s]".repeat(1 + rnd.nextInt(20))).append('\n');
            } else {
                log.append("{'loss': ").append(rnd.nextDouble()).append(", 'eval_error_rate': 0.1}").append("\t".repeat(rnd.nextInt(2))).append('\n');
            }
        }
        byte[] bytes = log.toString().getBytes(StandardCharsets.UTF_8);
        int chunk = 4097 + rnd.nextInt(20_000);

        WindowScan.Result result = new WindowScan(COMPILED, w -> { }, chunk).run(Bytes.of(bytes), 0, bytes.length, 0);

        TreeSet<String> found = new TreeSet<>();
        for (WindowScan.Match m : result.matches()) {
            found.add(m.line() + " " + COMPILED.rules.get(m.rule()).id());
        }
        assertThat(found).as("seed %d chunk %d", seed, chunk).isEqualTo(naive(log.toString()));
        assertThat(result.newlines()).isEqualTo(log.chars().filter(c -> c == '\n').count());
    }

    /** Every rule on every line, with the same semantics (traceback source lines and benign lines excluded). */
    private static TreeSet<String> naive(String log) {
        String[] lines = log.split("\n", -1);
        TreeSet<String> out = new TreeSet<>();
        int[] kept = new int[COMPILED.rules.size()];
        for (int i = 0; i < lines.length; i++) {
            String clean = lines[i].replaceAll("\u001B\\[[0-9;?]*[ -/]*[@-~]", "");
            if (clean.endsWith("\r")) {
                clean = clean.substring(0, clean.length() - 1);
            }
            boolean source = i > 0 && lines[i - 1].contains("File \"") && lines[i - 1].contains("\", line ")
                    && lines[i].replaceFirst("^\\[rank[0-9]+\\]:", "").startsWith("  ");
            if (source) {
                continue;
            }
            List<Integer> matched = new ArrayList<>();
            boolean benign = false;
            for (int r = 0; r < COMPILED.rules.size(); r++) {
                Rule rule = COMPILED.rules.get(r);
                String c = clean;
                boolean hit = rule.patterns().stream().anyMatch(p -> p.literal() ? c.contains(p.source()) : p.regex().matcher(c).find());
                boolean unless = rule.unless().stream().anyMatch(p -> p.literal() ? c.contains(p.source()) : p.regex().matcher(c).find());
                if (hit && !unless) {
                    matched.add(r);
                    benign |= !COMPILED.verdictRule[r];
                }
            }
            for (int r : matched) {
                if (kept[r] < WindowScan.KEEP_PER_RULE) {
                    kept[r]++;
                    if (!(benign && COMPILED.verdictRule[r])) {
                        out.add((i + 1) + " " + COMPILED.rules.get(r).id());
                    }
                }
            }
        }
        return out;
    }
}
