package dev.warden.supervise;

import dev.warden.diagnose.Diagnoser;
import dev.warden.spec.SpecDefaults;
import dev.warden.spec.SpecLoader;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A host OOM kill may be someone else's doing: one retry; the same OOM twice in a row is the job's own. A CUDA OOM is
 * retried with the spec's halving, and the cause a user reads names the spec's limit, not the catalog's.
 */
class SpecAdvisorOomTest {
    @TempDir
    Path tmp;

    @Test
    void hostOomIsRetriedOnceThenStopped() throws Exception {
        Path log = tmp.resolve("1.log");
        Files.writeString(log, "step 10/100\n[ 5501.123456] Out of memory: Killed process 4242 (python) total-vm:9000000kB\n");
        var spec = SpecDefaults.apply(SpecLoader.parse("command: python train.py\n", "w.yaml"), tmp, "job");
        SpecAdvisor advisor = new SpecAdvisor(spec, new DiagnoseClassifier(Diagnoser.load(null, List.of(), w -> { })));
        AttemptResult r = new AttemptResult(1, new ExitStatus(137, 9, true), null, null, log, Duration.ofSeconds(30), true, Map.of());

        Advice first = advisor.advise(r);
        Advice second = advisor.advise(r);

        assertThat(first).isInstanceOf(Advice.Retry.class);
        assertThat(first.category()).isEqualTo("host_oom");
        assertThat(second).isInstanceOf(Advice.Stop.class);
        assertThat(second.cause()).contains("twice in a row");
        assertThat(((Advice.Stop) second).exitCode()).isEqualTo(78);
    }

    @Test
    void cudaOomCauseNamesTheSpecsMinimumNotTheCatalogs() throws Exception {
        Path log = tmp.resolve("1.log");
        Files.copy(Path.of(getClass().getResource("/diagnose/fixtures/h200/torch211_cuda_oom.txt").toURI()), log);
        var spec = SpecDefaults.apply(SpecLoader.parse("""
                command: python train.py --bs ${batch_size}
                params: {batch_size: 32}
                on: {cuda_oom: {halve: batch_size, min: 4}}
                """, "w.yaml"), tmp, "job");
        SpecAdvisor advisor = new SpecAdvisor(spec, new DiagnoseClassifier(Diagnoser.load(null, List.of(), w -> { })));
        AttemptResult r = new AttemptResult(1, new ExitStatus(1, null, true), null, null, log, Duration.ofSeconds(8), true,
                Map.of("batch_size", 32));

        Advice a = advisor.advise(r);

        assertThat(a).isInstanceOf(Advice.Retry.class);
        assertThat(((Advice.Retry) a).paramChanges()).containsEntry("batch_size", 16L);
        assertThat(a.cause()).contains("retry with batch_size halved (not below 4)").doesNotContain("not below 1")
                .contains("Tried to allocate 201.31 GiB");
    }
}
