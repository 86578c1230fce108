package dev.warden.spec;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

import java.time.Duration;
import java.util.Random;
import java.util.stream.LongStream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;
import static org.assertj.core.api.Assertions.within;

class DurationsSizesTest {

    @ParameterizedTest(name = "{0}")
    @CsvSource({
            "90s, 90000", "10m, 600000", "2h, 7200000", "1h30m, 5400000", "500ms, 500", "1d, 86400000",
            "1.5h, 5400000", "90, 90000", "0.25, 250", "0, 0", "1h 30m, 5400000", "' 2H ', 7200000", "1m500ms, 60500",
    })
    void parsesTheWrittenForms(String text, long millis) {
        assertThat(Durations.parse(text)).isEqualTo(Duration.ofMillis(millis));
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource({"0, 0ms", "250, 250ms", "90000, 1m30s", "5400000, 1h30m", "1500, 1s500ms", "59999, 59s999ms", "86400000, 1d",
            "90061001, 1d1h1m1s", "61500, 1m1s"})
    void formatsTheShortestReadableForm(long millis, String text) {
        assertThat(Durations.format(Duration.ofMillis(millis))).isEqualTo(text);
    }

    /** Exact below a minute and for whole seconds; otherwise the whole seconds (what an elapsed-time display shows). */
    @ParameterizedTest(name = "seed {0}")
    @ValueSource(longs = {1, 2, 3, 42, 2024})
    void formatThenParseRoundTrips(long seed) {
        Random r = new Random(seed);
        LongStream.generate(() -> switch (r.nextInt(5)) {
            case 0 -> r.nextInt(1000);
            case 1 -> r.nextInt(60_000);
            case 2 -> (long) r.nextInt(86_400 * 30) * 1000;
            case 3 -> r.nextInt(3_600_000);
            default -> (long) (r.nextDouble() * Durations.LONGEST.toMillis());
        }).limit(500).forEach(ms -> {
            Duration d = Duration.ofMillis(ms);
            Duration expected = ms < 60_000 ? d : Duration.ofSeconds(d.toSeconds());
            assertThat(Durations.parse(Durations.format(d))).as(Durations.format(d)).isEqualTo(expected);
        });
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"", "soon", "5 parsecs", "1e3", "s", "10 minutes", "1h-30m", "true"})
    void rejectsTextThatIsNotADurationAndShowsTheForms(String text) {
        assertThatIllegalArgumentException().isThrownBy(() -> Durations.parse(text))
                .withMessage("`" + text.trim() + "` is not a duration; write it like 500ms, 90s, 10m, 2h or 1h30m");
    }

    @Test
    void rejectsNegativeAndAbsurdDurations() {
        assertThatIllegalArgumentException().isThrownBy(() -> Durations.parse("-5s"))
                .withMessage("`-5s` is negative; write 0 or a positive duration such as 90s");
        assertThatIllegalArgumentException().isThrownBy(() -> Durations.parse("1000000h"))
                .withMessage("`1000000h` is too long; the longest is 3650d (10 years)");
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource({
            "20GiB, 21474836480", "512MiB, 536870912", "1.5TB, 1500000000000", "4096, 4096", "20G, 20000000000",
            "1KiB, 1024", "1kb, 1000", "3 GiB, 3221225472", "7B, 7", "2Gi, 2147483648",
    })
    void parsesSizesInBinaryAndDecimalUnits(String text, long bytes) {
        assertThat(Sizes.parse(text)).isEqualTo(bytes);
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"big", "5ib", "5 xb", "GiB", "1.2.3GB"})
    void rejectsTextThatIsNotASize(String text) {
        assertThatIllegalArgumentException().isThrownBy(() -> Sizes.parse(text))
                .withMessage("`" + text + "` is not a size; write it like 512MiB, 20GiB or 1.5TB");
    }

    @Test
    void rejectsNegativeAndOverflowingSizes() {
        assertThatIllegalArgumentException().isThrownBy(() -> Sizes.parse("-1GiB"))
                .withMessage("negative size `-1GiB`; write a positive size such as 20GiB");
        assertThatIllegalArgumentException().isThrownBy(() -> Sizes.parse("9000PiB"))
                .withMessage("`9000PiB` is too large; write a size below 8EiB");
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource({"12, 12 B", "1536, 1.5 KiB", "1073741824, 1.0 GiB", "21474836480, 20.0 GiB", "131941395333120, 120 TiB"})
    void formatsSizesReadably(long bytes, String text) {
        assertThat(Sizes.format(bytes)).isEqualTo(text);
    }

    @ParameterizedTest(name = "seed {0}")
    @ValueSource(longs = {7, 8, 9, 1234})
    void formattedSizesParseBackWithinTheirRounding(long seed) {
        Random r = new Random(seed);
        for (int i = 0; i < 500; i++) {
            long bytes = (long) Math.pow(2, r.nextDouble() * 52);
            long back = Sizes.parse(Sizes.format(bytes));
            // one decimal below 100 of a unit, none above: at most 5% off (0.05 of a value >= 1.0)
            assertThat((double) back).as(Sizes.format(bytes)).isCloseTo(bytes, within(Math.max(0.5, bytes * 0.05)));
        }
    }
}
