package dev.warden.diagnose;

import org.junit.jupiter.api.Test;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Verdicts for what the supervisor's monitors see themselves (no log line says "hang"). */
class ForCategoryTest {
    private final Diagnoser diagnoser = Fixtures.diagnoser();

    @Test
    void aHangSeenByTheHeartbeatMonitorGetsTheCatalogsAdvice() {
        Verdict v = diagnoser.forCategory("hang", List.of(new Evidence(0, "no progress for 10m at step 4120")));

        assertThat(v.category()).isEqualTo("hang");
        assertThat(v.ruleId()).isEqualTo("monitor:hang");
        assertThat(v.retryable()).isTrue();
        assertThat(v.action()).isEqualTo(new Action.Retry());
        assertThat(v.suggestion()).contains("stopped making progress");
        assertThat(v.summary()).isEqualTo("hang (rule monitor:hang): retry unchanged; no progress for 10m at step 4120");
    }

    @Test
    void aNanLossSeenByTheMetricsMonitorIsNotRetriedUnchanged() {
        Verdict v = diagnoser.forCategory("nan_loss", List.of(new Evidence(812, "{'loss': nan, 'grad_norm': nan}")));

        assertThat(v.retryable()).isFalse();
        assertThat(v.action()).isEqualTo(new Action.Stop());
        assertThat(v.summary()).isEqualTo("nan_loss (rule monitor:nan_loss): not retryable, stop: retrying unchanged will fail the same way; line 812: {'loss': nan, 'grad_norm': nan}");
    }

    @Test
    void anUnknownCategoryIsAProgrammingError() {
        assertThatThrownBy(() -> diagnoser.forCategory("gremlins", List.of()))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("unknown category 'gremlins'");
    }
}
