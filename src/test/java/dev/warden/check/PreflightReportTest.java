package dev.warden.check;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

class PreflightReportTest {
    static PreflightReport sample() {
        return new PreflightReport(List.of(
                new CheckResult.Pass("disk", "412.3 GiB free at /data (min 20.0 GiB)", Duration.ofMillis(3)),
                new CheckResult.Warn("gpu", "GPU 0 at 91°C (max 85°C)", "check cooling and fans before a long run", Duration.ofMillis(240)),
                new CheckResult.Fail("import", "1 of 2 modules fail in python3 (Python 3.11.7): natsort: ModuleNotFoundError",
                        "install it into the job's environment", Duration.ofMillis(1234)),
                new CheckResult.Skipped("gpu_errors", "skipped by --skip-check gpu_errors", Duration.ZERO)),
                Duration.ofMillis(1300));
    }

    @Test
    void table_has_a_row_per_check_the_fix_under_it_and_a_summary() {
        String t = sample().table();
        List<String> lines = t.lines().toList();
        assertThat(lines.get(0)).isEqualTo("CHECK       STATUS    TIME  EVIDENCE");
        assertThat(lines.get(1)).isEqualTo("disk        PASS       3ms  412.3 GiB free at /data (min 20.0 GiB)");
        assertThat(lines.get(2)).isEqualTo("gpu         WARN     240ms  GPU 0 at 91°C (max 85°C)");
        assertThat(lines.get(3)).isEqualTo("                            fix: check cooling and fans before a long run");
        assertThat(lines.get(4)).startsWith("import      FAIL      1.2s  1 of 2 modules fail");
        assertThat(lines.get(6)).isEqualTo("gpu_errors  SKIP       0ms  skipped by --skip-check gpu_errors");
        assertThat(lines.get(7)).isEqualTo("4 checks: 1 PASS, 1 WARN, 1 FAIL, 1 skipped in 1.3s");
    }

    @Test
    void json_carries_every_field_and_the_verdict() throws Exception {
        JsonNode j = new ObjectMapper().readTree(sample().json());
        assertThat(j.get("ok").asBoolean()).isFalse();
        assertThat(j.get("fail").asInt()).isEqualTo(1);
        assertThat(j.get("skipped").asInt()).isEqualTo(1);
        JsonNode imp = j.get("checks").get(2);
        assertThat(imp.get("check").asText()).isEqualTo("import");
        assertThat(imp.get("status").asText()).isEqualTo("FAIL");
        assertThat(imp.get("fix").asText()).isEqualTo("install it into the job's environment");
        assertThat(imp.get("duration_ms").asLong()).isEqualTo(1234);
    }

    @Test
    void no_fail_means_ok_even_with_warnings() {
        PreflightReport r = new PreflightReport(List.of(new CheckResult.Warn("gpu", "hot", "cool it", Duration.ZERO)), Duration.ZERO);
        assertThat(r.hasFail()).isFalse();
    }
}
