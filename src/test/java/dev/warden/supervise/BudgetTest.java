package dev.warden.supervise;

import dev.warden.spec.JobSpec;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

/** Elapsed time is injected; each test walks a run minute by minute and records what came due. */
class BudgetTest {

    private static Budget budget(Duration maxWall, Double usdPerHour, Double maxUsd, Double warnAt, Duration signalBefore) {
        return new Budget(new JobSpec.Budget(maxWall, usdPerHour, maxUsd, warnAt, signalBefore, "USR1"));
    }

    /** Minute by minute up to `minutes`, what each check returned, except Nothing: "12m Warning". */
    private static List<String> walk(Budget b, int minutes) {
        List<String> events = new ArrayList<>();
        for (int m = 0; m <= minutes; m++) {
            Budget.Due due = b.check(Duration.ofMinutes(m));
            if (!(due instanceof Budget.Nothing)) {
                events.add(m + "m " + due.getClass().getSimpleName());
            }
        }
        return events;
    }

    @ParameterizedTest(name = "max_wall={0} usd_per_hour={1} max_usd={2}")
    @CsvSource({"0, 0, 0", "-5, 0, 0", "0, 2.5, 0", "0, 0, 100", "0, -1, 10", "0, 10, -1"})
    void limitsAtOrBelowZeroAreOffAndNeverExceeded(long wallMinutes, double usdPerHour, double maxUsd) {
        Budget b = budget(Duration.ofMinutes(wallMinutes), usdPerHour, maxUsd, 0.8, Duration.ofMinutes(5));

        assertThat(b.limit()).isEmpty();
        assertThat(b.check(Duration.ofDays(365))).isInstanceOf(Budget.Nothing.class);
    }

    @Test
    void unsetFieldsMeanNoLimit() {
        Budget b = new Budget(new JobSpec.Budget(null, null, null, null, null, null));

        assertThat(b.limit()).isEmpty();
        assertThat(b.check(Duration.ofDays(30))).isInstanceOf(Budget.Nothing.class);
    }

    @Test
    void warnsOnceAt80PercentThenExceedsAtTheLimit() {
        Budget b = budget(Duration.ofMinutes(10), 0.0, 0.0, 0.8, Duration.ZERO);

        assertThat(walk(b, 12)).containsExactly("8m Warning", "10m Exceeded", "11m Exceeded", "12m Exceeded");
    }

    @Test
    void warningSaysHowMuchOfTheBudgetIsUsed() {
        Budget b = budget(Duration.ofHours(10), 2.0, 0.0, 0.8, Duration.ZERO);

        assertThat(b.check(Duration.ofHours(8))).isEqualTo(new Budget.Warning("8h of 10h"));
        assertThat(b.cost(Duration.ofHours(8))).isCloseTo(16.0, within(1e-9));
    }

    @Test
    void earlySignalComesOnceBeforeTheWallLimitAndTheWarningStillComes() {
        Budget b = budget(Duration.ofMinutes(100), 0.0, 0.0, 0.8, Duration.ofMinutes(10));

        assertThat(walk(b, 101)).containsExactly("80m Warning", "90m Signal", "100m Exceeded", "101m Exceeded");
        assertThat(b.check(Duration.ofMinutes(95))).as("signal was already sent").isInstanceOf(Budget.Nothing.class);
    }

    @Test
    void signalDueBeforeTheWarningIsSentFirstAndBothStillOnce() {
        Budget b = budget(Duration.ofMinutes(100), 0.0, 0.0, 0.95, Duration.ofMinutes(10));

        assertThat(walk(b, 99)).containsExactly("90m Signal", "95m Warning");
    }

    @Test
    void bothDueInOneCheckComeOneAfterTheOther() {
        Budget b = budget(Duration.ofMinutes(100), 0.0, 0.0, 0.8, Duration.ofMinutes(10));

        assertThat(b.check(Duration.ofMinutes(91))).isEqualTo(new Budget.Signal(Duration.ofMinutes(10)));
        assertThat(b.check(Duration.ofMinutes(91))).isInstanceOf(Budget.Warning.class);
        assertThat(b.check(Duration.ofMinutes(91))).isInstanceOf(Budget.Nothing.class);
    }

    @Test
    void moneyLimitBindsWhenItComesFirst() {
        // $2.50/h with $5 to spend = 2 h; the wall limit is 3 h
        Budget b = budget(Duration.ofHours(3), 2.5, 5.0, 0.8, Duration.ofMinutes(15));

        assertThat(b.limit()).contains(Duration.ofHours(2));
        assertThat(b.check(Duration.ofMinutes(96))).isInstanceOf(Budget.Warning.class);
        assertThat(b.check(Duration.ofMinutes(105))).isEqualTo(new Budget.Signal(Duration.ofMinutes(15)));
        Budget.Due end = b.check(Duration.ofHours(2));
        assertThat(end).isEqualTo(new Budget.Exceeded("2h of 3h, $5.00 of $5.00", true));
    }

    @Test
    void wallLimitBindsWhenItComesFirst() {
        Budget b = budget(Duration.ofHours(1), 2.5, 5.0, 0.8, Duration.ZERO);

        assertThat(b.limit()).contains(Duration.ofHours(1));
        assertThat(b.check(Duration.ofHours(1))).isEqualTo(new Budget.Exceeded("1h of 1h, $2.50 of $5.00", false));
    }

    @Test
    void moneyLimitAloneNeedsAPrice() {
        Budget withPrice = budget(Duration.ZERO, 4.0, 1.0, 0.8, Duration.ZERO);

        assertThat(withPrice.limit()).contains(Duration.ofMinutes(15));
        assertThat(withPrice.check(Duration.ofMinutes(15))).isEqualTo(new Budget.Exceeded("$1.00 of $1.00", true));
    }

    @Test
    void costSoFarIsPriceTimesElapsedEvenWithoutALimit() {
        Budget b = budget(Duration.ZERO, 2.49, 0.0, 0.8, Duration.ZERO);

        assertThat(b.cost(Duration.ofMinutes(90))).isCloseTo(3.735, within(1e-9));
        assertThat(b.check(Duration.ofHours(1000))).isInstanceOf(Budget.Nothing.class);
    }
}
