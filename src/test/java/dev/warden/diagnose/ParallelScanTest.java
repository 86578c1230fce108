package dev.warden.diagnose;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Random;

import static org.assertj.core.api.Assertions.assertThat;

/** Scanning a whole log in parts on several threads gives exactly the single-thread verdict and line numbers. */
class ParallelScanTest {
    private static final Compiled COMPILED = new Compiled(Catalog.builtin());

    @ParameterizedTest(name = "seed {0}")
    @ValueSource(longs = {7, 8, 9, 10})
    void partsOnThreadsAgreeWithOneThread(long seed) {
        Random rnd = new Random(seed);
        List<String> errors = List.of(Fixtures.text("cuda_oom.txt"), Fixtures.text("disk_full.txt"),
                Fixtures.text("local/local_gloo_rank1_oom.txt"), Fixtures.text("local/local_chain_disk_full_then_alloc.txt"),
                Fixtures.text("nccl_timeout.txt"));
        StringBuilder log = new StringBuilder();
        while (log.length() < 400_000) {
            log.append(rnd.nextInt(30) == 0 ? errors.get(rnd.nextInt(errors.size())) : "{'loss': " + rnd.nextDouble() + "}\n");
        }
        byte[] bytes = log.toString().getBytes(StandardCharsets.UTF_8);
        ExitInfo exit = ExitInfo.code(1);

        Verdict one = new Classifier(COMPILED, w -> { }).classify(Bytes.of(bytes), exit, Classifier.Scope.whole(), null);
        Verdict parts = new Classifier(COMPILED, w -> { }, 10_000 + rnd.nextInt(50_000), 2 + rnd.nextInt(6))
                .classify(Bytes.of(bytes), exit, Classifier.Scope.whole(), null);

        assertThat(parts).isEqualTo(one);
        assertThat(Parallel.countNewlines(Bytes.of(bytes), 0, bytes.length))
                .isEqualTo(log.chars().filter(ch -> ch == '\n').count());
    }
}
