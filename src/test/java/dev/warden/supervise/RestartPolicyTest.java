package dev.warden.supervise;

import dev.warden.spec.JobSpec;
import dev.warden.spec.SpecLoader;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Random;
import java.util.SplittableRandom;
import java.util.random.RandomGenerator;

import static org.assertj.core.api.Assertions.assertThat;

/** Times are injected (nanos and Durations); nothing here sleeps or reads a clock. */
class RestartPolicyTest {
    private static final long S = 1_000_000_000L;
    private static final Duration SHORT = Duration.ofSeconds(30);

    /** A random source that always gives the same value, to pin the jitter. */
    private static RandomGenerator fixed(double value) {
        return new RandomGenerator() {
            @Override
            public long nextLong() {
                return 0;
            }

            @Override
            public double nextDouble() {
                return value;
            }
        };
    }

    private static RestartPolicy policy(int maxRestarts, Duration window, Duration initial, Duration max, int maxNoProgress, RandomGenerator r) {
        return new RestartPolicy(maxRestarts, window, initial, max, Duration.ofMinutes(10), maxNoProgress, r);
    }

    @Test
    void allowsMaxRestartsWithinTheWindowThenGivesUpNamingTheLimit() {
        RestartPolicy p = policy(3, Duration.ofHours(1), Duration.ZERO, Duration.ZERO, 100, fixed(0.5));

        List<RestartPolicy.Decision> d = List.of(
                p.afterFailure(0, SHORT, null), p.afterFailure(60 * S, SHORT, null), p.afterFailure(120 * S, SHORT, null),
                p.afterFailure(180 * S, SHORT, null));

        assertThat(d.subList(0, 3)).containsExactly(
                new RestartPolicy.Restart(Duration.ZERO, 1, 2), new RestartPolicy.Restart(Duration.ZERO, 2, 1),
                new RestartPolicy.Restart(Duration.ZERO, 3, 0));
        assertThat(d.get(3)).isEqualTo(new RestartPolicy.GiveUp("restart limit reached: 3 restarts within 1h (max_restarts: 3)"));
    }

    @Test
    void windowSlidesSoOldRestartsStopCounting() {
        RestartPolicy p = policy(2, Duration.ofMinutes(10), Duration.ZERO, Duration.ZERO, 100, fixed(0.5));

        assertThat(p.afterFailure(0, SHORT, null)).isInstanceOf(RestartPolicy.Restart.class);
        assertThat(p.afterFailure(300 * S, SHORT, null)).isInstanceOf(RestartPolicy.Restart.class);
        assertThat(p.afterFailure(599 * S, SHORT, null)).as("two restarts in the last 10 minutes").isInstanceOf(RestartPolicy.GiveUp.class);

        RestartPolicy q = policy(2, Duration.ofMinutes(10), Duration.ZERO, Duration.ZERO, 100, fixed(0.5));
        q.afterFailure(0, SHORT, null);
        q.afterFailure(300 * S, SHORT, null);
        RestartPolicy.Decision later = q.afterFailure(601 * S, SHORT, null);
        assertThat(later).as("the restart at 0 s left the window").isEqualTo(new RestartPolicy.Restart(Duration.ZERO, 2, 0));
    }

    @Test
    void restartExactlyAWindowAgoStillCounts() {
        RestartPolicy p = policy(1, Duration.ofMinutes(10), Duration.ZERO, Duration.ZERO, 100, fixed(0.5));
        p.afterFailure(0, SHORT, null);

        assertThat(p.afterFailure(600 * S, SHORT, null)).isInstanceOf(RestartPolicy.GiveUp.class);
    }

    @Test
    void zeroMaxRestartsMeansNeverRestart() {
        RestartPolicy p = policy(0, Duration.ofHours(1), Duration.ofSeconds(1), Duration.ofMinutes(1), 3, fixed(0.5));

        assertThat(p.afterFailure(0, SHORT, null)).isEqualTo(new RestartPolicy.GiveUp("restarts are off (max_restarts: 0)"));
    }

    @Test
    void backoffDoublesUpToTheMaxWithNoJitterAtMidpoint() {
        RestartPolicy p = policy(100, Duration.ofHours(1), Duration.ofSeconds(1), Duration.ofSeconds(10), 100, fixed(0.5));

        List<Long> delays = new java.util.ArrayList<>();
        for (int i = 0; i < 7; i++) {
            delays.add(((RestartPolicy.Restart) p.afterFailure(i * S, SHORT, null)).delay().toMillis());
        }

        // 1, 2, 4, 8 s, then the cap: at the cap jitter only goes down, 0.5 -> 0.9 x 10 s
        assertThat(delays).containsExactly(1000L, 2000L, 4000L, 8000L, 9000L, 9000L, 9000L);
    }

    @ParameterizedTest(name = "seed {0}")
    @ValueSource(longs = {1, 2, 3, 4})
    void jitterStaysWithin20PercentAndNeverAboveMax(long seed) {
        RestartPolicy p = policy(1000, Duration.ofHours(1), Duration.ofMillis(500), Duration.ofSeconds(30), 1000, new SplittableRandom(seed));

        for (int i = 0; i < 200; i++) {
            Duration d = ((RestartPolicy.Restart) p.afterFailure(i * S, SHORT, null)).delay();
            double base = Math.min(500 * Math.pow(2, i), 30_000);
            assertThat(d.toMillis()).as("restart %d", i + 1)
                    .isBetween(Math.round(base * 0.8), Math.round(Math.min(base * 1.2, 30_000)))
                    .isLessThanOrEqualTo(30_000);
        }
    }

    @Test
    void jitterSpreadsTheDelaysOfManyJobs() {
        Random r = new Random(5);
        java.util.Set<Long> seen = new java.util.HashSet<>();
        for (int job = 0; job < 20; job++) {
            RestartPolicy p = policy(5, Duration.ofHours(1), Duration.ofSeconds(4), Duration.ofMinutes(1), 100, new SplittableRandom(r.nextLong()));
            seen.add(((RestartPolicy.Restart) p.afterFailure(0, SHORT, null)).delay().toMillis());
        }
        assertThat(seen).as("20 jobs crashing together do not all come back at the same millisecond").hasSizeGreaterThan(10);
    }

    @Test
    void zeroInitialDelayRestartsAtOnceEveryTime() {
        RestartPolicy p = policy(10, Duration.ofHours(1), Duration.ZERO, Duration.ofMinutes(1), 100, new SplittableRandom(1));

        for (int i = 0; i < 5; i++) {
            assertThat(((RestartPolicy.Restart) p.afterFailure(i * S, SHORT, null)).delay()).isZero();
        }
    }

    @Test
    void aHealthyStretchResetsTheBackoff() {
        RestartPolicy p = policy(100, Duration.ofHours(1), Duration.ofSeconds(1), Duration.ofMinutes(1), 100, fixed(0.5));
        p.afterFailure(0, SHORT, null);
        p.afterFailure(S, SHORT, null);
        assertThat(((RestartPolicy.Restart) p.afterFailure(2 * S, SHORT, null)).delay()).isEqualTo(Duration.ofSeconds(4));

        RestartPolicy.Restart afterHealthy = (RestartPolicy.Restart) p.afterFailure(3 * S, Duration.ofMinutes(10), null);

        assertThat(afterHealthy.delay()).as("ran 10 min (reset_after): back to the initial delay").isEqualTo(Duration.ofSeconds(1));
        assertThat(((RestartPolicy.Restart) p.afterFailure(4 * S, SHORT, null)).delay()).isEqualTo(Duration.ofSeconds(2));
    }

    @Test
    void anAttemptThatTrainedBeforeItFailedIsRestartedAtOnceAndTheBackoffStartsAgain() {
        RestartPolicy p = policy(100, Duration.ofHours(1), Duration.ofSeconds(1), Duration.ofMinutes(1), 100, fixed(0.5));
        p.afterFailure(0, SHORT, false);
        assertThat(((RestartPolicy.Restart) p.afterFailure(S, SHORT, false)).delay()).isEqualTo(Duration.ofSeconds(2));

        assertThat(((RestartPolicy.Restart) p.afterFailure(2 * S, SHORT, true)).delay()).as("it made step progress").isZero();
        assertThat(((RestartPolicy.Restart) p.afterFailure(3 * S, SHORT, false)).delay()).isEqualTo(Duration.ofSeconds(1));
    }

    @Test
    void aRestartWithChangedParametersIsNotDelayedButStillCounts() {
        RestartPolicy p = policy(2, Duration.ofHours(1), Duration.ofSeconds(1), Duration.ofMinutes(1), 100, fixed(0.5));
        assertThat(((RestartPolicy.Restart) p.afterFailure(0, SHORT, false, true)).delay()).isZero();
        assertThat(((RestartPolicy.Restart) p.afterFailure(S, SHORT, false, false)).delay()).isEqualTo(Duration.ofSeconds(2));
        assertThat(p.afterFailure(2 * S, SHORT, false, true)).isInstanceOf(RestartPolicy.GiveUp.class);
    }

    @Test
    void givesUpAfterMaxNoProgressAttemptsInARow() {
        RestartPolicy p = policy(100, Duration.ofHours(1), Duration.ZERO, Duration.ZERO, 3, fixed(0.5));

        assertThat(p.afterFailure(0, SHORT, false)).isInstanceOf(RestartPolicy.Restart.class);
        assertThat(p.afterFailure(S, SHORT, false)).isInstanceOf(RestartPolicy.Restart.class);
        assertThat(p.afterFailure(2 * S, SHORT, false))
                .isEqualTo(new RestartPolicy.GiveUp("3 attempts in a row made no step progress (max_no_progress: 3)"));
    }

    @Test
    void progressBreaksTheNoProgressRunAndUnknownProgressIsNotCounted() {
        RestartPolicy p = policy(100, Duration.ofHours(1), Duration.ZERO, Duration.ZERO, 2, fixed(0.5));

        p.afterFailure(0, SHORT, false);
        p.afterFailure(S, SHORT, true);
        p.afterFailure(2 * S, SHORT, false);
        RestartPolicy.Decision d = p.afterFailure(3 * S, SHORT, null);

        assertThat(d).as("false, true, false, unknown: never two in a row").isInstanceOf(RestartPolicy.Restart.class);
        assertThat(p.afterFailure(4 * S, SHORT, false)).isInstanceOf(RestartPolicy.GiveUp.class);
    }

    @Test
    void anAttemptShorterThanStartSecondsNeverStartedSoItMadeNoProgress() {
        RestartPolicy p = new RestartPolicy(100, Duration.ofHours(1), Duration.ZERO, Duration.ZERO, Duration.ofMinutes(10), 2,
                Duration.ofSeconds(3), fixed(0.5));

        assertThat(p.afterFailure(0, Duration.ofMillis(800), null)).isInstanceOf(RestartPolicy.Restart.class);
        assertThat(p.afterFailure(S, Duration.ofMillis(200), true))
                .as("a step printed in 0.2 s does not make a start")
                .isEqualTo(new RestartPolicy.GiveUp("2 attempts in a row made no step progress (max_no_progress: 2)"));
    }

    @Test
    void policyFromASpecUsesItsSettings() {
        JobSpec spec = SpecLoader.fromCommand(List.of("python", "train.py"), Path.of(".")).spec();
        RestartPolicy p = RestartPolicy.of(spec, fixed(0.5));

        RestartPolicy.Restart first = (RestartPolicy.Restart) p.afterFailure(0, SHORT, null);

        assertThat(first.delay()).isEqualTo(spec.backoff().initial());
        assertThat(first.restartsLeft()).isEqualTo(spec.maxRestarts() - 1);
        assertThat(p.afterFailure(S, Duration.ofSeconds(1), null)).as("under start_seconds (3s): no progress").isInstanceOf(RestartPolicy.Restart.class);
        assertThat(p.afterFailure(2 * S, Duration.ofSeconds(1), null)).isInstanceOf(RestartPolicy.Restart.class);
        assertThat(p.afterFailure(3 * S, Duration.ofSeconds(1), null)).isInstanceOf(RestartPolicy.GiveUp.class);
    }
}
