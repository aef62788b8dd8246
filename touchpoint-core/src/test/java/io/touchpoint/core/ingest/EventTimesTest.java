package io.touchpoint.core.ingest;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import java.math.BigDecimal;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/** Parsing event times as clients send them; the accepted window is PayloadFields' job. */
class EventTimesTest {

    @ParameterizedTest(name = "[{index}] {0} ({1}) → {2}")
    @MethodSource("times")
    void parsesSecondsMillisecondsAndIso8601(Object value, String type, String expected) {
        assertThat(EventTimes.parse(value)).contains(Instant.parse(expected));
    }

    static Stream<Arguments> times() {
        return Stream.of(
                time(1677093110, "2023-02-22T19:11:50Z"),
                time(1677093110L, "2023-02-22T19:11:50Z"),
                time(1677093110123L, "2023-02-22T19:11:50.123Z"),
                time(new BigDecimal("1677093110.5"), "2023-02-22T19:11:50.500Z"),
                time(new BigDecimal("1677093110.123456789"), "2023-02-22T19:11:50.123456789Z"),
                time(1.6770931105E9, "2023-02-22T19:11:50.500Z"), // a double, if a decoder yields one
                time("1677093110", "2023-02-22T19:11:50Z"),
                time(" 1677093110 ", "2023-02-22T19:11:50Z"),
                time("1677093110123", "2023-02-22T19:11:50.123Z"),
                time("1677093110.25", "2023-02-22T19:11:50.250Z"),
                time("2023-02-22T19:11:50Z", "2023-02-22T19:11:50Z"),
                time("2023-02-22T19:11:50.123Z", "2023-02-22T19:11:50.123Z"),
                time("2023-02-22T21:11:50+02:00", "2023-02-22T19:11:50Z"),
                time("2023-02-22T14:11:50-05:00", "2023-02-22T19:11:50Z"),
                // 10^11 - 1 is still seconds (year 5138), 10^11 is milliseconds (1973)
                time(99_999_999_999L, "5138-11-16T09:46:39Z"),
                time(100_000_000_000L, "1973-03-03T09:46:40Z"));
    }

    private static Arguments time(Object value, String expected) {
        return Arguments.of(value, value.getClass().getSimpleName(), expected);
    }

    @ParameterizedTest(name = "[{index}] {0}")
    @MethodSource("notTimes")
    void anythingElseIsNoTime(Object value) {
        assertThat(EventTimes.parse(value)).isEmpty();
    }

    static Stream<Object> notTimes() {
        return Stream.of("yesterday", "", "2023-02-22", "2023-02-22T19:11:50", "2023-02-22 19:11:50Z", "1e9",
                "0x10", true, false, List.of(1677093110), Map.of("t", 1677093110));
    }

    @Test
    void nullIsNoTime() {
        assertThat(EventTimes.parse(null)).isEmpty();
    }

    @Test
    void absurdNumbersBecomeTheExtremesForValidationToRefuse() {
        assertThat(EventTimes.parse(new BigDecimal("1E+999999999"))).contains(Instant.MAX);
        assertThat(EventTimes.parse(new BigDecimal("-1E+999999999"))).contains(Instant.MIN);
    }
}
