package dev.warden.supervise;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

/** Step intervals and times are injected in nanoseconds; nothing waits. */
class StallDetectorTest {
    private static final long S = 1_000_000_000L;
    private static final Duration STARTUP = Duration.ofMinutes(15);

    private static List<Long> seconds(double... values) {
        List<Long> out = new ArrayList<>();
        for (double v : values) {
            out.add((long) (v * S));
        }
        return out;
    }

    @Test
    void configuredTimeoutIsUsedAsIs() {
        StallDetector d = new StallDetector(Duration.ofSeconds(90), STARTUP);

        assertThat(d.timeout(List.of(), true)).isEqualTo(Duration.ofSeconds(90));
        assertThat(d.timeout(seconds(1, 1, 1, 1, 1, 1, 1), true)).isEqualTo(Duration.ofSeconds(90));
        assertThat(d.learned()).isFalse();
        assertThat(d.stalledFor(0, 89 * S, List.of(), true)).isNull();
        assertThat(d.stalledFor(0, 90 * S, List.of(), true)).isEqualTo(Duration.ofSeconds(90));
    }

    @Test
    void aStartupStallInTheSpecCoversTheSilentStartBeforeTheFirstStepEvenWithStallAfterSet() {
        // seen on an H200: torch 2.11 and CUDA took over 10 s to start, and `stall_after: 10s` called it a hang
        StallDetector withStartup = new StallDetector(Duration.ofSeconds(10), Duration.ofMinutes(2));
        StallDetector without = new StallDetector(Duration.ofSeconds(10), null);

        assertThat(withStartup.timeout(List.of(), false)).isEqualTo(Duration.ofMinutes(2));
        assertThat(withStartup.stalledFor(0, 60 * S, List.of(), false)).as("still loading").isNull();
        assertThat(withStartup.timeout(List.of(), true)).as("after the first step").isEqualTo(Duration.ofSeconds(10));
        assertThat(withStartup.stalledFor(0, 10 * S, List.of(), true)).isEqualTo(Duration.ofSeconds(10));
        assertThat(without.timeout(List.of(), false)).as("unset: stall_after from the start, as before").isEqualTo(Duration.ofSeconds(10));
        assertThat(new StallDetector(Duration.ofMinutes(10), Duration.ofMinutes(2)).timeout(List.of(), false))
                .as("a shorter startup_stall never shortens stall_after").isEqualTo(Duration.ofMinutes(10));
    }

    @Test
    void withoutAStartupStallTheLearnedTimeoutWaitsFifteenMinutesForTheFirstSteps() {
        assertThat(new StallDetector(null, null).timeout(List.of(), false)).isEqualTo(Duration.ofMinutes(15));
    }

    @Test
    void zeroTurnsHangDetectionOff() {
        StallDetector d = new StallDetector(Duration.ZERO, STARTUP);

        assertThat(d.timeout(seconds(1, 1, 1, 1, 1), true)).isNull();
        assertThat(d.stalledFor(0, 365L * 24 * 3600 * S, List.of(), true)).isNull();
    }

    @Test
    void beforeFiveStepsTheStartupTimeoutApplies() {
        StallDetector d = new StallDetector(null, STARTUP);

        assertThat(d.learned()).isTrue();
        assertThat(d.timeout(List.of(), true)).isEqualTo(STARTUP);
        assertThat(d.timeout(seconds(300, 300, 300, 300), true)).as("4 samples").isEqualTo(STARTUP);
        assertThat(d.stalledFor(0, 14 * 60 * S, seconds(1, 1), true)).as("model loading can be slow").isNull();
        assertThat(d.stalledFor(0, 15 * 60 * S, seconds(1, 1), true)).isEqualTo(STARTUP);
    }

    @Test
    void afterFiveStepsTheTimeoutIsThreeTimesTheSlowestStepButAtLeastAMinute() {
        StallDetector fast = new StallDetector(null, STARTUP);
        StallDetector slow = new StallDetector(null, STARTUP);

        assertThat(fast.timeout(seconds(0.5, 0.4, 0.6, 0.5, 0.5), true)).as("3 x 0.6 s is below the floor").isEqualTo(Duration.ofSeconds(60));
        assertThat(slow.timeout(seconds(20, 25, 30, 22, 21), true)).as("3 x 30 s").isEqualTo(Duration.ofSeconds(90));
    }

    @Test
    void aLearnedTimeoutCatchesAHangLongBeforeTheStartupTimeout() {
        StallDetector d = new StallDetector(null, STARTUP);
        List<Long> steps = seconds(20, 20, 24, 20, 22);

        assertThat(d.stalledFor(0, 71 * S, steps, true)).isNull();
        assertThat(d.stalledFor(0, 72 * S, steps, true)).as("3 x 24 s, not 15 min").isEqualTo(Duration.ofSeconds(72));
    }

    @Test
    void theTimeoutFollowsTheRunAsItGrows() {
        StallDetector d = new StallDetector(null, STARTUP);
        List<Long> steps = new ArrayList<>(seconds(30, 30, 30, 30, 30));
        assertThat(d.timeout(steps, true)).isEqualTo(Duration.ofSeconds(90));

        steps.addAll(seconds(40, 41));

        assertThat(d.timeout(steps, true)).as("the slowest of 7 steps is the p99").isEqualTo(Duration.ofSeconds(123));
    }

    @Test
    void rareSlowStepsBeyondThe99thPercentileDoNotStretchTheTimeout() {
        StallDetector d = new StallDetector(null, STARTUP);
        List<Long> steps = new ArrayList<>();
        for (int i = 0; i < 990; i++) {
            steps.add(30 * S);
        }
        for (int i = 0; i < 10; i++) {
            steps.add(600 * S); // evaluation every 100 steps: 1% of the intervals
        }

        assertThat(d.timeout(steps, true).toMillis()).as("3 x 30 s, within the 1%% precision")
                .isCloseTo(90_000L, within(900L));
    }

    /** The incremental percentile agrees with sorting everything, to within its 1% buckets. */
    @ParameterizedTest(name = "seed {0}")
    @ValueSource(longs = {3, 4, 5, 6})
    void learnedTimeoutMatchesTheExactPercentileWithinOnePercent(long seed) {
        Random r = new Random(seed);
        StallDetector d = new StallDetector(null, STARTUP);
        List<Long> steps = new ArrayList<>();
        for (int batch = 0; batch < 30; batch++) {
            int n = 1 + r.nextInt(200);
            for (int i = 0; i < n; i++) {
                double logNormal = Math.exp(r.nextGaussian() * 1.2 + Math.log(20));
                steps.add((long) (logNormal * S * (r.nextInt(50) == 0 ? 10 : 1)));
            }
            List<Long> sorted = new ArrayList<>(steps);
            Collections.sort(sorted);
            long p99 = sorted.get((int) Math.ceil(sorted.size() * 0.99) - 1);
            long expected = Math.max(60 * S, 3 * p99);

            long actual = d.timeout(steps, true).toNanos();

            assertThat(actual).as("after %d steps", steps.size()).isCloseTo(expected, within((long) (expected * 0.0101)));
            assertThat(actual).as("never longer than 3 x the slowest step, or the floor").isLessThanOrEqualTo(Math.max(60 * S, 3 * sorted.get(sorted.size() - 1)));
        }
    }

    @Test
    void aDifferentShorterListStartsOver() {
        StallDetector d = new StallDetector(null, STARTUP);
        d.timeout(seconds(100, 100, 100, 100, 100, 100), true);

        assertThat(d.timeout(seconds(30, 30, 30, 30, 30), true)).isEqualTo(Duration.ofSeconds(90));
    }
}
