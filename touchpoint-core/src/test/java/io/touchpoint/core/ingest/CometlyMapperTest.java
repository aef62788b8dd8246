package io.touchpoint.core.ingest;

import io.touchpoint.core.model.Campaign;
import io.touchpoint.core.model.Commerce;
import io.touchpoint.core.model.Context;
import io.touchpoint.core.model.Event;
import io.touchpoint.core.model.EventNames;
import io.touchpoint.core.model.Identifier;
import io.touchpoint.core.model.IdentifierType;
import io.touchpoint.core.model.Person;
import io.touchpoint.core.model.Source;
import io.touchpoint.core.model.Workspace;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

import java.math.BigDecimal;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.IntStream;
import java.util.stream.Stream;

import static io.touchpoint.core.ingest.TestPayloads.GB;
import static io.touchpoint.core.ingest.TestPayloads.RECEIVED_AT;
import static io.touchpoint.core.ingest.TestPayloads.US;
import static io.touchpoint.core.ingest.TestPayloads.body;
import static io.touchpoint.core.ingest.TestPayloads.input;
import static io.touchpoint.core.ingest.TestPayloads.with;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;

/** The Cometly dialect mapped to the canonical event. */
class CometlyMapperTest {
    private static final String EMAIL = "dev@cometly.com";
    private static final String FINGERPRINT = "abcdef1234567890";
    private static final String IP = "123.123.123.123";
    private static final String COMET_TOKEN = "ddffd8d8338383883838484843838388d8df8f";
    /** The smallest accepted body: a name and an email. Tests add or override fields. */
    private static final Map<String, Object> MINIMAL = body("event_name", "purchase", "email", EMAIL);

    private final CometlyMapper mapper = new CometlyMapper();

    // ---- identity rule ----

    @ParameterizedTest(name = "email={0} fingerprint={1} ip={2} comet_token={3} → accepted={4}")
    @CsvSource({
            // email, fingerprint, ip,   comet_token, accepted, param of the rejection
            "false,   false,       false, false,      false,    email",
            "false,   false,       false, true,       true,",
            "false,   false,       true,  false,      false,    fingerprint",
            "false,   false,       true,  true,       true,",
            "false,   true,        false, false,      false,    ip",
            "false,   true,        false, true,       true,",
            "false,   true,        true,  false,      true,",
            "false,   true,        true,  true,       true,",
            "true,    false,       false, false,      true,",
            "true,    false,       false, true,       true,",
            "true,    false,       true,  false,      true,",
            "true,    false,       true,  true,       true,",
            "true,    true,        false, false,      true,",
            "true,    true,        false, true,       true,",
            "true,    true,        true,  false,      true,",
            "true,    true,        true,  true,       true,",
    })
    void identityRuleAcceptsEmailOrFingerprintWithIpOrCometToken(boolean email, boolean fingerprint, boolean ip,
                                                                 boolean cometToken, boolean accepted, String param) {
        Map<String, Object> body = body("event_name", "lead_generated");
        if (email) body.put("email", EMAIL);
        if (fingerprint) body.put("fingerprint", FINGERPRINT);
        if (ip) body.put("ip", IP);
        if (cometToken) body.put("comet_token", COMET_TOKEN);

        MappingResult result = mapper.map(input(body));

        if (accepted) {
            List<Identifier> expected = new ArrayList<>();
            if (email) expected.add(new Identifier(IdentifierType.EMAIL, EMAIL));
            if (cometToken) expected.add(new Identifier(IdentifierType.VISITOR_TOKEN, COMET_TOKEN));
            if (fingerprint) expected.add(new Identifier(IdentifierType.FINGERPRINT, FINGERPRINT));
            Event event = accepted(result);
            assertThat(event.identifiers()).containsExactlyElementsOf(expected);
            assertThat(event.context().ip()).isEqualTo(ip ? IP : null);
        } else {
            List<FieldError> errors = rejected(result);
            assertThat(errors).singleElement().satisfies(e -> {
                assertThat(e.code()).isEqualTo(FieldError.IDENTITY_REQUIRED);
                assertThat(e.param()).isEqualTo(param);
                assertThat(e.message()).contains("email", "fingerprint and ip", "comet_token");
            });
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"", " ", "\t "})
    void blankEmailCountsAsAbsent(String blank) {
        List<FieldError> errors = rejected(mapper.map(input(body("event_name", "purchase", "email", blank))));
        assertThat(errors).extracting(FieldError::param, FieldError::code)
                .containsExactly(tuple("email", FieldError.IDENTITY_REQUIRED));

        Event event = accepted(mapper.map(input(body("event_name", "purchase", "email", blank,
                "fingerprint", FINGERPRINT, "ip", IP))));
        assertThat(event.person().email()).isNull();
        assertThat(event.identifier(IdentifierType.EMAIL)).isNull();
    }

    @Test
    void invalidEmailReportsItselfRatherThanTheIdentityRule() {
        MappingResult result = mapper.map(input(body("event_name", "purchase", "email", "not-an-email")));
        assertThat(rejected(result)).containsExactly(new FieldError("email", FieldError.INVALID_VALUE,
                "email is not a valid email address"));
        assertThat(((MappingResult.Rejected) result).eventName()).isEqualTo("purchase");
        assertThat(((MappingResult.Rejected) result).email()).isNull();
    }

    // ---- event names ----

    // Cometly's current API takes custom_event_1 … custom_event_50 (its older documents list 25); these rows cover
    // what EventNames accepts.
    static Stream<String> acceptedEventNames() {
        Stream<String> standard = Stream.of("lead_generated", "view_content", "schedule", "purchase", "subscribe",
                "add_to_cart", "contact", "initiate_checkout", "add_payment_info", "complete_registration",
                "start_trial", "sign_up", "submit_application", "webinar_registration");
        return Stream.concat(standard, IntStream.rangeClosed(1, 50).mapToObj(i -> "custom_event_" + i));
    }

    @ParameterizedTest
    @MethodSource("acceptedEventNames")
    void acceptsEveryStandardAndCustomEventName(String name) {
        assertThat(accepted(mapper.map(input(with(MINIMAL, "event_name", name)))).name()).isEqualTo(name);
    }

    @ParameterizedTest(name = "[{index}] \"{0}\" → {1}")
    @CsvSource(delimiter = '|', value = {
            "custom_event_0  | invalid_value | ",
            "custom_event_51 | invalid_value | ",
            "custom_event_01 | invalid_value | ",
            "custom_event_   | invalid_value | ",
            "Purchase        | invalid_value | did you mean 'purchase'?",
            "AddToCart       | invalid_value | did you mean 'add_to_cart'?",
            "signup          | invalid_value | ",
            "''              | missing_field | ",
            "'   '           | missing_field | ",
    })
    void rejectsOtherEventNames(String name, String code, String hint) {
        List<FieldError> errors = rejected(mapper.map(input(with(MINIMAL, "event_name", name))));
        assertThat(errors).singleElement().satisfies(e -> {
            assertThat(e.param()).isEqualTo("event_name");
            assertThat(e.code()).isEqualTo(code);
            if (hint != null) assertThat(e.message()).contains(hint);
            if (code.equals(FieldError.INVALID_VALUE)) {
                assertThat(e.message())
                        .contains("'" + name + "' is not accepted", "custom_event_1 … custom_event_50");
            }
        });
    }

    @Test
    void missingOrNullEventNameIsAMissingField() {
        Map<String, Object> missing = body("email", EMAIL);
        Map<String, Object> nullName = body("event_name", null, "email", EMAIL);
        for (Map<String, Object> b : List.of(missing, nullName)) {
            assertThat(rejected(mapper.map(input(b))))
                    .containsExactly(new FieldError("event_name", FieldError.MISSING, "event_name is required"));
        }
    }

    // ---- phones ----

    @ParameterizedTest(name = "[{index}] {0} in {1} → {2}")
    @MethodSource("phones")
    void phoneIsNormalisedWithTheWorkspaceRegion(Object phone, Workspace workspace, String expected) {
        Event event = accepted(mapper.map(input(workspace, with(MINIMAL, "phone", phone), "{}")));
        assertThat(event.person().phone()).isEqualTo(expected);
        assertThat(event.identifier(IdentifierType.PHONE)).isEqualTo(expected);
    }

    static Stream<Arguments> phones() {
        return Stream.of(
                Arguments.of("(650)555-1212", US, "16505551212"),
                Arguments.of("+1 650-555-1212", US, "16505551212"),
                Arguments.of("0044 20 7946 0958", US, "442079460958"),
                Arguments.of(6505551212L, US, "16505551212"), // a JSON number, as Jackson decodes it
                Arguments.of("020 7946 0958", GB, "442079460958"),
                Arguments.of("+1 650-555-1212", GB, "16505551212"));
    }

    // ---- one broken field: rejected with its own param and code (the API's 422) ----

    @ParameterizedTest(name = "[{index}] {0} = {1} → {2}")
    @MethodSource("invalidFields")
    void invalidFieldIsRejectedNamingIt(String field, Object value, String code) {
        List<FieldError> errors = rejected(mapper.map(input(with(MINIMAL, field, value))));
        assertThat(errors).extracting(FieldError::param, FieldError::code)
                .containsExactly(tuple(field, code));
    }

    static Stream<Arguments> invalidFields() {
        return Stream.of(
                Arguments.of("amount", -1, FieldError.INVALID_VALUE),
                Arguments.of("amount", "abc", FieldError.INVALID_TYPE),
                Arguments.of("currency", "XYZ", FieldError.INVALID_VALUE),
                Arguments.of("currency", "EURO", FieldError.INVALID_VALUE),
                Arguments.of("event_time", RECEIVED_AT.plusSeconds(86_400).getEpochSecond(), FieldError.INVALID_VALUE),
                Arguments.of("event_time", 946_684_799, FieldError.INVALID_VALUE), // 1999-12-31T23:59:59Z
                Arguments.of("event_time", "yesterday", FieldError.INVALID_VALUE),
                Arguments.of("event_time", true, FieldError.INVALID_VALUE),
                Arguments.of("do_not_capi", "yes", FieldError.INVALID_TYPE),
                Arguments.of("order_id", List.of("o-1"), FieldError.INVALID_TYPE),
                Arguments.of("idempotency_key", "k".repeat(256), FieldError.TOO_LONG));
    }

    // ---- a malformed optional field never costs the event ----

    /** Optional identity and contact fields, each broken: dropped with a warning naming it while the email identifies. */
    static Stream<Arguments> malformedOptionalFields() {
        return Stream.of(
                Arguments.of("phone", "0000000000", FieldError.INVALID_VALUE),
                Arguments.of("phone", "555-1234", FieldError.INVALID_VALUE),
                Arguments.of("phone", "abc", FieldError.INVALID_VALUE),
                Arguments.of("phone", "12", FieldError.INVALID_VALUE),
                Arguments.of("phone", "555-CALL-NOW", FieldError.INVALID_VALUE),
                Arguments.of("phone", "+999 1234", FieldError.INVALID_VALUE),
                Arguments.of("phone", true, FieldError.INVALID_TYPE),
                Arguments.of("ip", "example.com", FieldError.INVALID_VALUE),
                Arguments.of("fingerprint", Map.of("a", 1), FieldError.INVALID_TYPE),
                Arguments.of("comet_token", "t".repeat(501), FieldError.TOO_LONG),
                Arguments.of("user_agent", "u".repeat(8_193), FieldError.TOO_LONG),
                Arguments.of("first_name", List.of("John"), FieldError.INVALID_TYPE),
                Arguments.of("last_name", "l".repeat(501), FieldError.TOO_LONG),
                Arguments.of("full_name", true, FieldError.INVALID_TYPE));
    }

    @ParameterizedTest(name = "[{index}] {0} = {1} → dropped ({2})")
    @MethodSource("malformedOptionalFields")
    void aMalformedOptionalFieldIsDroppedWithAWarningNamingIt(String field, Object value, String code) {
        MappingResult result = mapper.map(input(with(MINIMAL, "amount", 99, field, value)));

        Event event = accepted(result);
        assertThat(event.name()).isEqualTo("purchase");
        assertThat(event.commerce().value()).isEqualByComparingTo("99");
        assertThat(event.identifiers()).containsExactly(new Identifier(IdentifierType.EMAIL, EMAIL));
        assertThat(event.person().phone()).isNull();
        assertThat(event.person().firstName()).isNull();
        assertThat(event.person().lastName()).isNull();
        assertThat(event.person().fullName()).isNull();
        assertThat(event.context().ip()).isNull();
        assertThat(event.context().userAgent()).isNull();
        assertThat(result.warnings()).singleElement().asString()
                .startsWith("invalid field '" + field + "' dropped (kept in the raw payload): " + field + " ");
    }

    @Test
    void theIssuesPurchaseWithAPlaceholderPhoneIsStoredWithoutThePhone() {
        MappingResult result = mapper.map(input(body("email", "ph@x.co", "phone", "0000000000", "event_name",
                "purchase", "amount", 99)));
        Event event = accepted(result);
        assertThat(event.person().email()).isEqualTo("ph@x.co");
        assertThat(event.person().phone()).isNull();
        assertThat(event.identifier(IdentifierType.PHONE)).isNull();
        assertThat(event.commerce().value()).isEqualByComparingTo("99");
        assertThat(result.warnings()).containsExactly("invalid field 'phone' dropped (kept in the raw payload): phone is"
                + " not a phone number: '0000000000'");
    }

    @Test
    void anUnparseableEmailBesideAValidTokenIsDropped() {
        MappingResult result = mapper.map(input(body("event_name", "lead_generated", "email", "not-an-email",
                "comet_token", COMET_TOKEN)));
        Event event = accepted(result);
        assertThat(event.person().email()).isNull();
        assertThat(event.identifiers()).containsExactly(new Identifier(IdentifierType.VISITOR_TOKEN, COMET_TOKEN));
        assertThat(result.warnings()).containsExactly("invalid field 'email' dropped (kept in the raw payload): email is"
                + " not a valid email address");
    }

    @Test
    void anInvalidIpLeavesTheFingerprintWithoutItsPairSoAValidEmailMustIdentify() {
        // fingerprint and ip identify together: with the ip dropped, only the email is left to identify the event
        MappingResult withEmail = mapper.map(input(body("event_name", "purchase", "email", EMAIL,
                "fingerprint", FINGERPRINT, "ip", "not-an-ip")));
        assertThat(accepted(withEmail).identifiers()).containsExactly(new Identifier(IdentifierType.EMAIL, EMAIL),
                new Identifier(IdentifierType.FINGERPRINT, FINGERPRINT));
        assertThat(withEmail.warnings()).singleElement().asString().startsWith("invalid field 'ip' dropped");

        MappingResult alone = mapper.map(input(body("event_name", "purchase", "fingerprint", FINGERPRINT,
                "ip", "not-an-ip")));
        assertThat(rejected(alone)).extracting(FieldError::param, FieldError::code)
                .containsExactly(tuple("ip", FieldError.INVALID_VALUE));
    }

    @Test
    void everyMalformedOptionalFieldIsDroppedAndNamedAtOnce() {
        MappingResult result = mapper.map(input(body("event_name", "purchase", "comet_token", COMET_TOKEN,
                "email", "nope", "phone", "555-1234", "ip", "x", "first_name", List.of(), "utm_source", "g")));
        Event event = accepted(result);
        assertThat(event.identifiers()).containsExactly(new Identifier(IdentifierType.VISITOR_TOKEN, COMET_TOKEN));
        assertThat(result.warnings()).hasSize(5).anySatisfy(w -> assertThat(w).startsWith("unknown field 'utm_source'"))
                .anySatisfy(w -> assertThat(w).startsWith("invalid field 'email' dropped"))
                .anySatisfy(w -> assertThat(w).startsWith("invalid field 'phone' dropped"))
                .anySatisfy(w -> assertThat(w).startsWith("invalid field 'ip' dropped"))
                .anySatisfy(w -> assertThat(w).startsWith("invalid field 'first_name' dropped"));
    }

    @Test
    void whenNothingValidIdentifiesTheEventEveryBrokenRuleIsAnError() {
        // the phone alone does not identify (the identity rule), and the email is broken: refused, naming both
        MappingResult result = mapper.map(input(body("event_name", "purchase", "email", "nope", "phone", "555-1234")));
        assertThat(rejected(result)).extracting(FieldError::param, FieldError::code).containsExactly(
                tuple("email", FieldError.INVALID_VALUE), tuple("phone", FieldError.INVALID_VALUE));

        // only a broken phone: the identity rule is what is missing
        assertThat(rejected(mapper.map(input(body("event_name", "purchase", "phone", "555-1234")))))
                .extracting(FieldError::param, FieldError::code).containsExactly(
                        tuple("phone", FieldError.INVALID_VALUE), tuple("email", FieldError.IDENTITY_REQUIRED));
    }

    @Test
    void aBrokenRequiredFieldRefusesTheEventAndNamesTheOptionalOnesToo() {
        MappingResult result = mapper.map(input(with(MINIMAL, "amount", -1, "phone", "555-1234")));
        assertThat(rejected(result)).extracting(FieldError::param).containsExactly("phone", "amount");
    }

    // ---- amounts and currency ----

    @ParameterizedTest(name = "[{index}] amount={0} currency={1} in {2} → {3} {4}")
    @MethodSource("money")
    void amountAndCurrency(Object amount, String currency, Workspace workspace, String value, String expectedCurrency) {
        Map<String, Object> body = with(MINIMAL, "amount", amount, "currency", currency);
        Commerce commerce = accepted(mapper.map(input(workspace, body, "{}"))).commerce();
        assertThat(commerce.value()).isEqualTo(value == null ? null : new BigDecimal(value));
        assertThat(commerce.currency()).isEqualTo(expectedCurrency);
    }

    static Stream<Arguments> money() {
        return Stream.of(
                Arguments.of(34, null, US, "34", "USD"),
                Arguments.of(new BigDecimal("34.5"), null, US, "34.5", "USD"),
                Arguments.of("34", null, US, "34", "USD"),
                Arguments.of(0, null, US, "0", "USD"),
                Arguments.of(34, null, GB, "34", "GBP"),
                Arguments.of(34, "eur", US, "34", "EUR"),
                Arguments.of(34, "", US, "34", "USD"),
                Arguments.of(null, "eur", US, null, "EUR"),
                Arguments.of(null, null, US, null, null));
    }

    // ---- the rest of the payload ----

    @Test
    void seedExamplePayloadMapsToTheCanonicalEvent() {
        String raw = """
                {
                    "event_name" : "lead_generated",
                    "email" : "developers@cometly.com",
                    "comet_token" : "ddffd8d8338383883838484843838388d8df8f",
                    "fingerprint" : "abcdef1234567890",
                    "first_name" : "John",
                    "last_name" : "Smith",
                    "ip" : "123.123.123.123",
                    "amount" : 34,
                    "user_agent" : "Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/16.1 Safari/605.1.15",
                    "event_time" : 1677093110
                }""";
        String ua = "Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/605.1.15 (KHTML, like Gecko) "
                + "Version/16.1 Safari/605.1.15";
        Map<String, Object> body = body("event_name", "lead_generated", "email", "developers@cometly.com",
                "comet_token", COMET_TOKEN, "fingerprint", FINGERPRINT, "first_name", "John", "last_name", "Smith",
                "ip", IP, "amount", 34, "user_agent", ua, "event_time", 1677093110);

        MappingResult result = mapper.map(input(US, body, raw));

        Event expected = new Event("evt_x", "ws_1", Source.COMETLY, "req_x", RECEIVED_AT,
                Instant.parse("2023-02-22T19:11:50Z"), "lead_generated",
                List.of(new Identifier(IdentifierType.EMAIL, "developers@cometly.com"),
                        new Identifier(IdentifierType.VISITOR_TOKEN, COMET_TOKEN),
                        new Identifier(IdentifierType.FINGERPRINT, FINGERPRINT)),
                new Person("developers@cometly.com", null, "John", "Smith", null, Map.of()),
                new Context(IP, ua, null, null, Campaign.NONE, null),
                new Commerce(new BigDecimal("34"), "USD", null, null, null, List.of()),
                null, false, Map.of(), raw);
        assertThat(accepted(result)).isEqualTo(expected);
        assertThat(result.warnings()).isEmpty();
    }

    @Test
    void cometFieldsLandInTheCampaign() {
        Map<String, Object> body = with(MINIMAL, "comet_source", "facebook", "comet_network", "meta",
                "comet_campaign", "spring-sale", "comet_ad_group", "ag-7", "comet_ad_id", "ad-42",
                "comet_keyword", "running shoes", "comet_type", "paid", "comet_placement", "feed");
        assertThat(accepted(mapper.map(input(body))).context().campaign()).isEqualTo(new Campaign(
                "facebook", null, "spring-sale", null, null, "meta", "ag-7", "ad-42", "running shoes", "paid", "feed"));
    }

    @Test
    void textFieldsLandInTheirPlaces() {
        Map<String, Object> body = with(MINIMAL, "full_name", "  John Smith ", "url", "https://shop.example/thanks",
                "order_id", 12345, "order_name", "#1001", "checkout_token", "ck_9", "idempotency_key", "order-12345");
        Event event = accepted(mapper.map(input(body)));
        assertThat(event.person().fullName()).isEqualTo("John Smith");
        assertThat(event.context().pageUrl()).isEqualTo("https://shop.example/thanks");
        assertThat(event.commerce().orderId()).isEqualTo("12345");
        assertThat(event.commerce().orderName()).isEqualTo("#1001");
        assertThat(event.commerce().checkoutToken()).isEqualTo("ck_9");
        assertThat(event.idempotencyKey()).isEqualTo("order-12345");
        assertThat(event.eventTime()).isEqualTo(RECEIVED_AT); // no event_time: the time received
    }

    @ParameterizedTest(name = "[{index}] do_not_capi={0} → doNotForward={1}")
    @MethodSource("doNotCapi")
    void doNotCapiStopsForwarding(Object doNotCapi, boolean doNotForward) {
        assertThat(accepted(mapper.map(input(with(MINIMAL, "do_not_capi", doNotCapi)))).doNotForward())
                .isEqualTo(doNotForward);
    }

    static Stream<Arguments> doNotCapi() {
        return Stream.of(Arguments.of(true, true), Arguments.of(false, false), Arguments.of(null, false),
                Arguments.of("true", true), Arguments.of("FALSE", false), Arguments.of("", false));
    }

    @Test
    void unknownFieldsAreIgnoredWithAWarningNamingEach() {
        MappingResult result = mapper.map(input(with(MINIMAL, "utm_source", "google", "customer_tier", "gold")));
        assertThat(accepted(result).name()).isEqualTo("purchase");
        assertThat(result.warnings()).containsExactly(
                "unknown field 'utm_source' ignored (kept in the raw payload)",
                "unknown field 'customer_tier' ignored (kept in the raw payload)");
    }

    @Test
    void unknownFieldWarningsAccompanyARejectionToo() {
        MappingResult result = mapper.map(input(body("event_name", "purchase", "e_mail", EMAIL)));
        assertThat(rejected(result)).extracting(FieldError::code).containsExactly(FieldError.IDENTITY_REQUIRED);
        assertThat(result.warnings()).singleElement().asString().contains("'e_mail'");
    }

    @Test
    void everyBrokenRuleIsReportedAtOnce() {
        Map<String, Object> body = body("event_name", "Purchase", "email", "a@b", "amount", -1, "currency", "EURO");
        assertThat(rejected(mapper.map(input(body)))).extracting(FieldError::param)
                .containsExactlyInAnyOrder("event_name", "email", "amount", "currency");
    }

    private static Event accepted(MappingResult result) {
        assertThat(result).isInstanceOf(MappingResult.Accepted.class);
        return ((MappingResult.Accepted) result).event();
    }

    private static List<FieldError> rejected(MappingResult result) {
        assertThat(result).isInstanceOf(MappingResult.Rejected.class);
        return ((MappingResult.Rejected) result).errors();
    }
}
