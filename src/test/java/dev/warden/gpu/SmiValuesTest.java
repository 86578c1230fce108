package dev.warden.gpu;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

import static org.assertj.core.api.Assertions.assertThat;

class SmiValuesTest {
    @ParameterizedTest
    @ValueSource(strings = {"[N/A]", "N/A", "[Not Supported]", "[Unknown Error]", "[Requested functionality has been deprecated]",
            "0xFFFF", "0xffffffff", "65535", "65535.0", "4294967295", "18446744073709551615", "", "  "})
    void placeholders_are_unknown(String raw) {
        assertThat(SmiValues.unknown(raw)).isTrue();
        assertThat(SmiValues.number(raw)).isNull();
    }

    @ParameterizedTest
    @CsvSource({"81559,81559", "81559 MiB,81559", "53.0,53", "0,0"})
    void numbers_with_or_without_units(String raw, long value) {
        assertThat(SmiValues.whole(raw)).isEqualTo(value);
    }

    @ParameterizedTest
    @ValueSource(strings = {"511.0", "255.0", "-273", "65535.0"})
    void impossible_temperatures_are_unknown(String raw) {
        assertThat(SmiValues.temperature(raw)).isNull();
    }
}
