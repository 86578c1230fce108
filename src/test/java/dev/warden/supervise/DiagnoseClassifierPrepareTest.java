package dev.warden.supervise;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.warden.check.Memo;
import dev.warden.diagnose.Diagnoser;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

class DiagnoseClassifierPrepareTest {
    @Test
    void prepareLoadsTheCatalogOnceOnAnotherThreadAndClassifyUsesIt() {
        AtomicInteger loads = new AtomicInteger();
        AtomicReference<String> loadedOn = new AtomicReference<>();
        DiagnoseClassifier c = new DiagnoseClassifier(new Memo<>(() -> {
            loads.incrementAndGet();
            loadedOn.set(Thread.currentThread().getName());
            return Diagnoser.loadFrom(List.of(), List.of(), w -> { });
        }));

        c.prepare();
        c.prepare();
        await().atMost(Duration.ofSeconds(20)).until(() -> loads.get() == 1 && loadedOn.get() != null);
        assertThat(loadedOn.get()).isNotEqualTo(Thread.currentThread().getName());

        var verdict = c.classify(new AttemptResult(1, new ExitStatus(0, null, true), "nan_loss", "{'loss': nan}", null,
                Duration.ofSeconds(3), null, Map.of()));
        assertThat(verdict.category()).isEqualTo("nan_loss");
        assertThat(loads.get()).isEqualTo(1);
    }
}
