package dev.warden.diagnose;

import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;

class CatalogTest {

    @Test
    void shippedCatalogLoadsWithoutAnyWarning() {
        Catalog c = Catalog.builtin();

        assertThat(c.rules()).hasSizeGreaterThan(50);
    }

    @Test
    void hasEveryCategoryTheIssueAsksFor() {
        Set<String> categories = Catalog.builtin().categories().keySet();

        assertThat(categories).contains("cuda_oom", "host_oom", "nccl_error", "cuda_illegal_access", "gpu_hardware",
                "driver_mismatch", "no_gpu", "abi_mismatch", "missing_dependency", "disk_full", "nan_loss",
                "access_denied", "checkpoint_corrupt", "config_mismatch", "network", "segfault", "hang",
                "command_not_found", "unknown");
    }

    @Test
    void everyCatalogPatternHasAnEightByteLiteralSoTheFastScannerCoversIt() {
        for (Rule r : Catalog.builtin().rules()) {
            for (RulePattern p : r.patterns()) {
                assertThat(p.literals()).as("rule %s pattern %s", r.id(), p.source()).isNotEmpty();
                for (String lit : p.literals()) {
                    assertThat(lit.getBytes(StandardCharsets.UTF_8).length).as("rule %s literal '%s'", r.id(), lit)
                            .isGreaterThanOrEqualTo(8);
                }
            }
        }
    }

    @Test
    void nonRetryableCategoriesSayStopAndRetryableOnesSayRetry() {
        for (CategoryInfo c : Catalog.builtin().categories().values()) {
            boolean retryAction = c.action() instanceof Action.Retry || c.action() instanceof Action.RetryWith;
            assertThat(c.retryable()).as(c.name()).isEqualTo(retryAction);
        }
        assertThat(List.of("cuda_oom")).allSatisfy(name ->
                assertThat(Catalog.builtin().categories().get(name).action()).isEqualTo(new Action.RetryWith("batch_size", true, 1)));
    }
}
