package io.touchpoint.core.ingest;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.MethodSource;

import java.math.BigDecimal;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import static io.touchpoint.core.ingest.TestPayloads.RECEIVED_AT;
import static io.touchpoint.core.ingest.TestPayloads.body;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;

/** Typed, normalising field reads: amounts, currencies, the event-time window, text, booleans. */
class PayloadFieldsTest {
    private final List<FieldError> errors = new ArrayList<>();

    private PayloadFields fields(Object... keysAndValues) {
        return new PayloadFields(body(keysAndValues), errors);
    }

    // ---- amounts ----

    @ParameterizedTest(name = "[{index}] {0} ({1}) → {2}")
    @MethodSource("validAmounts")
    void amountAcceptsNumbersAndNumericText(Object amount, String type, String expected) {
        assertThat(fields("amount", amount).nonNegativeAmount("amount")).isEqualTo(new BigDecimal(expected));
        assertThat(errors).isEmpty();
    }

    static Stream<Arguments> validAmounts() {
        return Stream.of(
                amount(34, "34"),
                amount(new BigDecimal("34.5"), "34.5"),
                amount("34", "34"),
                amount(" 34.50 ", "34.5"),
                amount(0, "0"),
                amount(new BigDecimal("0.00"), "0"),
                amount(100, "100"), // trailing zeros of an integer stay: 100, not 1E+2
                amount(new BigDecimal("1E+2"), "100"),
                amount(5_000_000_000L, "5000000000"),
                amount(34.5d, "34.5"),
                amount(new BigDecimal("999999999999999.99"), "999999999999999.99"),
                amount(new BigDecimal("0E+999999999"), "0"));
    }

    private static Arguments amount(Object value, String expected) {
        return Arguments.of(value, value.getClass().getSimpleName(), expected);
    }

    @ParameterizedTest(name = "[{index}] {0} → {1}")
    @MethodSource("invalidAmounts")
    // a guard, not a timing assertion: normalising 1e999999999 naively takes minutes
    @Timeout(value = 10, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
    void amountRejectsNegativesAndNonNumbers(Object amount, String code, String message) {
        assertThat(fields("amount", amount).nonNegativeAmount("amount")).isNull();
        assertThat(errors).singleElement().satisfies(e -> {
            assertThat(e.param()).isEqualTo("amount");
            assertThat(e.code()).isEqualTo(code);
            assertThat(e.message()).isEqualTo(message);
        });
    }

    static Stream<Arguments> invalidAmounts() {
        return Stream.of(
                Arguments.of(-1, FieldError.INVALID_VALUE, "amount must be zero or more, got -1"),
                Arguments.of(new BigDecimal("-0.01"), FieldError.INVALID_VALUE,
                        "amount must be zero or more, got -0.01"),
                Arguments.of("abc", FieldError.INVALID_TYPE, "amount must be a number"),
                Arguments.of("34 USD", FieldError.INVALID_TYPE, "amount must be a number"),
                Arguments.of(true, FieldError.INVALID_TYPE, "amount must be a number"),
                Arguments.of(List.of(34), FieldError.INVALID_TYPE, "amount must be a number"),
                Arguments.of(new BigDecimal("1E+15"), FieldError.INVALID_VALUE,
                        "amount is too large: at most 15 digits before the decimal point"),
                Arguments.of(new BigDecimal("1E+999999999"), FieldError.INVALID_VALUE,
                        "amount is too large: at most 15 digits before the decimal point"),
                Arguments.of("1e999999999", FieldError.INVALID_VALUE,
                        "amount is too large: at most 15 digits before the decimal point"),
                Arguments.of(new BigDecimal("-1E+999999999"), FieldError.INVALID_VALUE,
                        "amount must be zero or more, got -1E+999999999"));
    }

    @Test
    void stringsRefuseAnItemNoStoreCanHold() {
        PayloadFields f = fields("ids", List.of("evt_1", "a\u0000b"), "ok", List.of("evt_1", "evt_2"), "mixed", List.of("evt_1", 2));
        assertThat(f.strings("ok")).containsExactly("evt_1", "evt_2");
        assertThat(f.strings("ids")).isNull();
        assertThat(f.strings("mixed")).isNull();
        assertThat(f.strings("absent")).isNull();
        assertThat(errors).extracting(FieldError::param, FieldError::code)
                .containsExactly(tuple("ids", FieldError.INVALID_CHARACTER), tuple("mixed", FieldError.INVALID_TYPE));
    }

    @Test
    void absentNullOrBlankAmountIsNoAmount() {
        PayloadFields f = fields("null", null, "blank", " ");
        assertThat(f.nonNegativeAmount("absent")).isNull();
        assertThat(f.nonNegativeAmount("null")).isNull();
        assertThat(f.nonNegativeAmount("blank")).isNull();
        assertThat(errors).isEmpty();
    }

    // ---- currency ----

    @ParameterizedTest
    @CsvSource({"eur, EUR", "USD, USD", "' gbp ', GBP", "jPy, JPY"})
    void currencyIsAnUpperCaseIso4217Code(String raw, String expected) {
        assertThat(fields("currency", raw).currency("currency")).isEqualTo(expected);
        assertThat(errors).isEmpty();
    }

    @ParameterizedTest
    @CsvSource({"XYZ", "EURO", "EU", "US$", "€"})
    void currencyRejectsWhatIsNotAnIso4217Code(String raw) {
        assertThat(fields("currency", raw).currency("currency")).isNull();
        assertThat(errors).extracting(FieldError::param, FieldError::code)
                .containsExactly(tuple("currency", FieldError.INVALID_VALUE));
        assertThat(errors.getFirst().message()).contains("ISO 4217", "'" + raw + "'");
    }

    // ---- event time window ----

    @ParameterizedTest(name = "[{index}] {0} → {1}")
    @MethodSource("acceptedTimes")
    void eventTimeWithinTheWindowIsAccepted(Object value, Instant expected) {
        assertThat(fields("event_time", value).eventTime("event_time", RECEIVED_AT)).isEqualTo(expected);
        assertThat(errors).isEmpty();
    }

    static Stream<Arguments> acceptedTimes() {
        Instant fourMinutesAhead = RECEIVED_AT.plus(Duration.ofMinutes(4));
        Instant fiveMinutesAhead = RECEIVED_AT.plus(EventTimes.MAX_FUTURE_SKEW);
        return Stream.of(
                Arguments.of(null, RECEIVED_AT),
                Arguments.of("", RECEIVED_AT),
                Arguments.of(1677093110, Instant.parse("2023-02-22T19:11:50Z")),
                Arguments.of(fourMinutesAhead.getEpochSecond(), fourMinutesAhead),
                Arguments.of(fourMinutesAhead.toString(), fourMinutesAhead),
                Arguments.of(fiveMinutesAhead.toEpochMilli(), fiveMinutesAhead),
                Arguments.of("2000-01-01T00:00:00Z", EventTimes.EARLIEST));
    }

    @Test
    void missingEventTimeIsTheTimeReceived() {
        assertThat(fields().eventTime("event_time", RECEIVED_AT)).isEqualTo(RECEIVED_AT);
        assertThat(errors).isEmpty();
    }

    @ParameterizedTest(name = "[{index}] {0} → {1}")
    @MethodSource("rejectedTimes")
    void eventTimeOutsideTheWindowOrNotATimeIsRejected(Object value, String messagePart) {
        assertThat(fields("event_time", value).eventTime("event_time", RECEIVED_AT)).isNull();
        assertThat(errors).singleElement().satisfies(e -> {
            assertThat(e.param()).isEqualTo("event_time");
            assertThat(e.code()).isEqualTo(FieldError.INVALID_VALUE);
            assertThat(e.message()).contains(messagePart);
        });
    }

    static Stream<Arguments> rejectedTimes() {
        Instant oneDayAhead = RECEIVED_AT.plus(Duration.ofDays(1));
        Instant justTooFar = RECEIVED_AT.plus(EventTimes.MAX_FUTURE_SKEW).plusSeconds(1);
        return Stream.of(
                Arguments.of(oneDayAhead.getEpochSecond(), "is in the future (" + oneDayAhead + ")"),
                Arguments.of(oneDayAhead.toEpochMilli(), "is in the future"),
                Arguments.of(justTooFar.toString(), "is in the future"),
                Arguments.of(new BigDecimal("1E+999999999"), "is in the future (out of range)"),
                Arguments.of(946_684_799, "is before the year 2000 (1999-12-31T23:59:59Z)"),
                Arguments.of(0, "is before the year 2000"),
                Arguments.of(-1, "is before the year 2000"),
                Arguments.of("yesterday", "must be unix seconds, unix milliseconds or an ISO-8601 time"),
                Arguments.of("2023-02-22T19:11:50", "must be unix seconds"), // no offset: ambiguous
                Arguments.of(true, "must be unix seconds"),
                Arguments.of(Map.of("seconds", 1677093110), "must be unix seconds"));
    }

    // ---- text, booleans, presence ----

    @ParameterizedTest(name = "[{index}] {0} → {1}")
    @MethodSource("texts")
    void stringStripsTextAndReadsNumbersAsText(Object value, String expected) {
        assertThat(fields("order_id", value).string("order_id")).isEqualTo(expected);
        assertThat(errors).isEmpty();
    }

    static Stream<Arguments> texts() {
        return Stream.of(
                Arguments.of("  ord-1 \n", "ord-1"),
                Arguments.of("   ", null),
                Arguments.of(12345, "12345"),
                Arguments.of(6505551212L, "6505551212"),
                Arguments.of(new BigDecimal("12.50"), "12.50"),
                Arguments.of(new BigDecimal("1E+3"), "1000"),
                Arguments.of(new BigDecimal("0E+999999999"), "0"));
    }

    @Test
    // a guard, not a timing assertion: writing 1e999999999 out in full needs a gigabyte
    @Timeout(value = 10, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
    void stringRefusesANumberTooLongToWriteOut() {
        assertThat(fields("order_id", new BigDecimal("1E+999999999")).string("order_id")).isNull();
        assertThat(errors).extracting(FieldError::param, FieldError::code)
                .containsExactly(tuple("order_id", FieldError.INVALID_VALUE));
    }

    @Test
    void stringRejectsBooleansObjectsAndArrays() {
        PayloadFields f = fields("a", true, "b", Map.of("x", 1), "c", List.of("x"));
        assertThat(f.string("a")).isNull();
        assertThat(f.string("b")).isNull();
        assertThat(f.string("c")).isNull();
        assertThat(errors).extracting(FieldError::param, FieldError::code, FieldError::message).containsExactly(
                tuple("a", FieldError.INVALID_TYPE, "a must be a string"),
                tuple("b", FieldError.INVALID_TYPE, "b must be a string"),
                tuple("c", FieldError.INVALID_TYPE, "c must be a string"));
    }

    @Test
    void requiredStringReportsMissingNullAndBlankAlike() {
        PayloadFields f = fields("null", null, "blank", " ", "ok", " x ");
        assertThat(f.requiredString("absent")).isNull();
        assertThat(f.requiredString("null")).isNull();
        assertThat(f.requiredString("blank")).isNull();
        assertThat(f.requiredString("ok")).isEqualTo("x");
        assertThat(errors).extracting(FieldError::param, FieldError::code).containsExactly(
                tuple("absent", FieldError.MISSING), tuple("null", FieldError.MISSING),
                tuple("blank", FieldError.MISSING));
    }

    @Test
    void hasTreatsNullAndBlankAsAbsent() {
        PayloadFields f = fields("null", null, "blank", "  ", "zero", 0, "no", false, "text", "x");
        assertThat(f.has("absent")).isFalse();
        assertThat(f.has("null")).isFalse();
        assertThat(f.has("blank")).isFalse();
        assertThat(f.has("zero")).isTrue();
        assertThat(f.has("no")).isTrue();
        assertThat(f.has("text")).isTrue();
    }

    @ParameterizedTest(name = "[{index}] {0} → {1}")
    @MethodSource("booleans")
    void boolReadsJsonBooleansAndTheirText(Object value, Boolean expected) {
        assertThat(fields("flag", value).bool("flag")).isEqualTo(expected);
        assertThat(errors).isEmpty();
    }

    static Stream<Arguments> booleans() {
        return Stream.of(Arguments.of(true, true), Arguments.of(false, false), Arguments.of("True", true),
                Arguments.of("false", false), Arguments.of(null, null),
                Arguments.of("", null), Arguments.of(" ", null)); // blank text is absent, as for every field
    }

    @ParameterizedTest
    @MethodSource("notBooleans")
    void boolRejectsEverythingElse(Object value) {
        assertThat(fields("flag", value).bool("flag")).isNull();
        assertThat(errors)
                .containsExactly(new FieldError("flag", FieldError.INVALID_TYPE, "flag must be true or false"));
    }

    static Stream<Object> notBooleans() {
        return Stream.of("yes", 1, 0, List.of(true));
    }

    @Test
    void prefixNamesNestedFieldsInErrors() {
        PayloadFields f = new PayloadFields(body("deal_value", -5), "resource.", errors);
        assertThat(f.nonNegativeAmount("deal_value")).isNull();
        assertThat(errors).containsExactly(new FieldError("resource.deal_value", FieldError.INVALID_VALUE,
                "resource.deal_value must be zero or more, got -5"));
    }

    @Test
    void objectAndArrayReadNestedJsonOrReportTheWrongType() {
        PayloadFields f = fields("obj", Map.of("k", "v"), "arr", List.of(1, 2), "notObj", "x", "notArr", 3);
        assertThat(f.object("obj")).isEqualTo(Map.of("k", "v"));
        assertThat(f.array("arr")).containsExactly(1, 2);
        assertThat(f.object("absent")).isNull();
        assertThat(f.array("absent")).isNull();
        assertThat(f.object("notObj")).isNull();
        assertThat(f.array("notArr")).isNull();
        assertThat(errors).extracting(FieldError::param, FieldError::code).containsExactly(
                tuple("notObj", FieldError.INVALID_TYPE), tuple("notArr", FieldError.INVALID_TYPE));
    }

    @Test
    void currencyCodesWithoutMinorUnitsAreNotMoney() {
        for (String code : new String[]{"XAU", "XXX", "XTS"}) {
            var errors = new java.util.ArrayList<FieldError>();
            assertThat(new PayloadFields(java.util.Map.of("currency", code), errors).currency("currency")).isNull();
            assertThat(errors).extracting(FieldError::param).containsExactly("currency");
        }
    }

    @Test
    void anAmountWithMoreThanTwelveDecimalsIsRefused() {
        var errors = new java.util.ArrayList<FieldError>();
        var f = new PayloadFields(java.util.Map.of("a", new java.math.BigDecimal("1e-999999999"),
                "b", new java.math.BigDecimal("0.123456789012")), errors);
        assertThat(f.nonNegativeAmount("a")).isNull();
        assertThat(f.nonNegativeAmount("b")).isEqualByComparingTo("0.123456789012");
        assertThat(errors).extracting(FieldError::param).containsExactly("a");
    }
}
