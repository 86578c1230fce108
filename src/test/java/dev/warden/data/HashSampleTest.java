package dev.warden.data;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.util.HashMap;
import java.util.Map;
import java.util.SplittableRandom;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

/** The bounded duplicate and prompt tables against a plain HashMap, seeded; past the cap they estimate. */
class HashSampleTest {

    @ParameterizedTest(name = "seed {0}")
    @ValueSource(longs = {7, 11, 99})
    void distinctSampleIsExactUnderItsCapAndNeverForgetsASampledRecord(long seed) {
        SplittableRandom rnd = new SplittableRandom(seed);
        int n = 60_000;
        long[] pool = new long[40_000];
        for (int i = 0; i < pool.length; i++) {
            pool[i] = rnd.nextLong();
        }
        DistinctSample small = new DistinctSample(4096);
        DistinctSample big = new DistinctSample(1 << 17);
        Map<Long, Long> first = new HashMap<>();
        long dups = 0;
        for (long line = 1; line <= n; line++) {
            long h = pool[rnd.nextInt(pool.length)];
            Long expected = first.putIfAbsent(h, line);
            dups += expected == null ? 0 : 1;
            assertThat(big.add(h, line)).isEqualTo(expected == null ? 0 : expected);
            long got = small.add(h, line);
            // Samples are nested (top L bits zero implies top L-1 bits zero), so a record the sample follows
            // now was followed since its first copy: whenever it answers, it answers exactly.
            if (got >= 0) {
                assertThat(got).isEqualTo(expected == null ? 0 : expected);
            }
        }
        assertThat(big.exact()).isTrue();
        assertThat(big.duplicates()).isEqualTo(dups);
        assertThat(small.exact()).isFalse();
        assertThat((double) small.duplicates()).isCloseTo(dups, within(dups * 0.1));
    }

    @Test
    void pastTheCapDistinctRecordsStillCountZeroDuplicates() {
        SplittableRandom rnd = new SplittableRandom(8);
        DistinctSample s = new DistinctSample(1024);
        for (int i = 1; i <= 100_000; i++) {
            s.add(rnd.nextLong(), i);
        }
        assertThat(s.exact()).isFalse();
        assertThat(s.duplicates()).isZero();
    }

    @Test
    void aSampledRecordAddedAgainIsFoundAfterEveryLevelChange() {
        SplittableRandom rnd = new SplittableRandom(5);
        DistinctSample s = new DistinctSample(1024);
        long[] keys = new long[20_000];
        for (int i = 0; i < keys.length; i++) {
            keys[i] = rnd.nextLong();
            s.add(keys[i], i + 1);
        }
        int level = s.level();
        assertThat(level).isGreaterThan(0);
        int found = 0;
        for (int i = 0; i < keys.length; i++) {
            if ((keys[i] >>> (64 - level)) == 0) {
                assertThat(s.add(keys[i], 99_999)).as("key %d", i).isGreaterThan(0);
                found++;
            } else {
                assertThat(s.add(keys[i], 99_999)).isEqualTo(-1);
            }
        }
        assertThat(s.level()).isEqualTo(level);
        assertThat(found).isGreaterThan(100);
    }

    @ParameterizedTest(name = "seed {0}")
    @ValueSource(longs = {3, 17})
    void promptSampleCountsPromptsWithTwoAnswers(long seed) {
        SplittableRandom rnd = new SplittableRandom(seed);
        PromptSample exact = new PromptSample(1 << 16);
        PromptSample capped = new PromptSample(2048);
        Map<Long, Long> firstAnswer = new HashMap<>();
        Map<Long, Boolean> contradicted = new HashMap<>();
        for (long line = 1; line <= 40_000; line++) {
            long prompt = rnd.nextInt(20_000) + 1;
            long answer = rnd.nextInt(100) < 97 ? prompt * 31 : rnd.nextLong();
            long ph = RecordParser.mix(prompt, 0);
            Long a = firstAnswer.putIfAbsent(ph, answer);
            if (a != null && a != answer) {
                contradicted.put(ph, true);
            }
            exact.add(ph, answer, line);
            capped.add(ph, answer, line);
        }
        assertThat(exact.exact()).isTrue();
        assertThat(exact.contradicted()).isEqualTo(contradicted.size());
        assertThat(exact.prompts()).isEqualTo(firstAnswer.size());
        assertThat(capped.exact()).isFalse();
        assertThat((double) capped.contradicted()).isCloseTo(contradicted.size(), within(contradicted.size() * 0.25));
    }
}
