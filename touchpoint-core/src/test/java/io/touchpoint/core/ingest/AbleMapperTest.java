package io.touchpoint.core.ingest;

import io.touchpoint.core.consent.Consent;
import io.touchpoint.core.consent.ConsentState;
import io.touchpoint.core.model.Campaign;
import io.touchpoint.core.model.Commerce;
import io.touchpoint.core.model.Context;
import io.touchpoint.core.model.Event;
import io.touchpoint.core.model.EventNames;
import io.touchpoint.core.model.Identifier;
import io.touchpoint.core.model.IdentifierType;
import io.touchpoint.core.model.Item;
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
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import static io.touchpoint.core.ingest.TestPayloads.GB;
import static io.touchpoint.core.ingest.TestPayloads.RECEIVED_AT;
import static io.touchpoint.core.ingest.TestPayloads.US;
import static io.touchpoint.core.ingest.TestPayloads.body;
import static io.touchpoint.core.ingest.TestPayloads.with;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;

/** The Able CDP inbound webhook mapped to the canonical event. */
class AbleMapperTest {
    private static final String FUNNEL = "fun_1";
    private static final String MARK = "fm_test";
    private static final String EMAIL = "jane@example.com";
    /** The smallest accepted resource: one visitor key. Tests add or override fields. */
    private static final Map<String, Object> KEYS = body("email", EMAIL);

    private final AbleMapper mapper = new AbleMapper();

    // ---- the seed ----

    @Test
    void seedPurchaseMapsToTheCanonicalEvent() {
        String raw = "{\"funnel_mark\":\"fm_test\",\"event_type\":\"Purchase\",\"resource\":{\"deal_value\":10,"
                + "\"deal_currency\":\"USD\",\"deal_items\":[{\"name\":\"File download\",\"price\":5,\"qty\":2,"
                + "\"sku\":\"DL1\",\"category\":\"High-speed\"}],\"keys\":{\"email\":\"\",\"client_id\":\"12354\"}}}";
        Map<String, Object> item = body("name", "File download", "price", 5, "qty", 2, "sku", "DL1",
                "category", "High-speed");
        Map<String, Object> resource = body("deal_value", 10, "deal_currency", "USD", "deal_items", List.of(item),
                "keys", body("email", "", "client_id", "12354"));

        MappingResult result = mapper.map(input(US, body("funnel_mark", MARK, "event_type", "Purchase",
                "resource", resource), raw));

        Event expected = new Event("evt_x", "ws_1", Source.ABLE, "req_x", RECEIVED_AT, RECEIVED_AT, "purchase",
                List.of(new Identifier(IdentifierType.CLIENT_ID, "12354")),
                new Person(null, null, null, null, null, Map.of()),
                new Context(null, null, null, null, Campaign.NONE, null),
                new Commerce(new BigDecimal("10"), "USD", null, null, null,
                        List.of(new Item("File download", new BigDecimal("5"), new BigDecimal("2"), "DL1", "High-speed"))),
                null, false, Map.of(), raw);
        assertThat(accepted(result)).isEqualTo(expected);
        assertThat(result.warnings()).isEmpty();
    }

    // ---- event types ----

    /** Able's event types (Meta's standard names) and the canonical name each must become. */
    static Stream<Arguments> eventTypes() {
        return Stream.of(
                Arguments.of("PageView", "page_view"),
                Arguments.of("AddPaymentInfo", "add_payment_info"),
                Arguments.of("AddToCart", "add_to_cart"),
                Arguments.of("AddToWishlist", "add_to_wishlist"),
                Arguments.of("CompleteRegistration", "complete_registration"),
                Arguments.of("Contact", "contact"),
                Arguments.of("CustomizeProduct", "customize_product"),
                Arguments.of("Donate", "donate"),
                Arguments.of("FindLocation", "find_location"),
                Arguments.of("InitiateCheckout", "initiate_checkout"),
                Arguments.of("Lead", "lead_generated"),
                Arguments.of("Purchase", "purchase"),
                Arguments.of("Schedule", "schedule"),
                Arguments.of("Search", "search"),
                Arguments.of("StartTrial", "start_trial"),
                Arguments.of("SubmitApplication", "submit_application"),
                Arguments.of("Subscribe", "subscribe"),
                Arguments.of("ViewContent", "view_content"));
    }

    @ParameterizedTest(name = "[{index}] {0} → {1}")
    @MethodSource("eventTypes")
    void everyEventTypeMapsToItsCanonicalName(String eventType, String canonical) {
        assertThat(AbleEventTypes.canonical(eventType)).contains(canonical);
        assertThat(EventNames.isCanonical(canonical)).isTrue();
        assertThat(accepted(mapper.map(input(able(eventType, KEYS)))).name()).isEqualTo(canonical);
    }

    @Test
    void theEventTypeTableHasExactlyTheseRows() {
        Map<String, String> expected = new LinkedHashMap<>();
        eventTypes().forEach(a -> expected.put((String) a.get()[0], (String) a.get()[1]));
        assertThat(AbleEventTypes.all()).containsExactlyEntriesOf(expected);
        assertThat(AbleEventTypes.describeAccepted()).isEqualTo(String.join(", ", expected.keySet()));
    }

    /** Meta's standard events (its pixel reference, 2024): the seventeen fbq('track') events and the base PageView. */
    @Test
    void everyMetaStandardEventIsAccepted() {
        assertThat(AbleEventTypes.all().keySet()).containsExactlyInAnyOrder("AddPaymentInfo", "AddToCart",
                "AddToWishlist", "CompleteRegistration", "Contact", "CustomizeProduct", "Donate", "FindLocation",
                "InitiateCheckout", "Lead", "Purchase", "Schedule", "Search", "StartTrial", "SubmitApplication",
                "Subscribe", "ViewContent", "PageView");
    }

    @Test
    void metaEventsWithoutACometlyNameGetCanonicalNamesOfTheirOwn() {
        for (var row : AbleEventTypes.all().entrySet()) {
            boolean cometly = EventNames.isCometlyName(row.getValue()) || row.getValue().equals(EventNames.PAGE_VIEW);
            assertThat(cometly || EventNames.META_ONLY.contains(row.getValue())).as(row.getKey()).isTrue();
        }
        assertThat(EventNames.META_ONLY).allSatisfy(n -> assertThat(AbleEventTypes.all()).containsValue(n));
    }

    @ParameterizedTest(name = "[{index}] {0} → {1}")
    @CsvSource({"purchase, purchase", "PURCHASE, purchase", "pUrChAsE, purchase", "search, search",
            "addtowishlist, add_to_wishlist", "ADDTOCART, add_to_cart", "pageview, page_view", "lead, lead_generated",
            "' Donate ', donate", "findlocation, find_location", "customizeproduct, customize_product"})
    void eventTypesAreReadWithoutRegardToCase(String eventType, String canonical) {
        assertThat(accepted(mapper.map(input(able(eventType, KEYS)))).name()).isEqualTo(canonical);
    }

    @ParameterizedTest
    @ValueSource(strings = {"CustomEvent", "lead_generated", "add_to_cart", "Purchases", "Page View", "Donation",
            "StartTrail"})
    void unknownEventTypesAreRejectedWithTheAcceptedList(String eventType) {
        MappingResult result = mapper.map(input(able(eventType, KEYS)));
        assertThat(rejected(result)).singleElement().satisfies(e -> {
            assertThat(e.param()).isEqualTo("event_type");
            assertThat(e.code()).isEqualTo(FieldError.INVALID_VALUE);
            assertThat(e.message()).contains("'" + eventType + "' is not accepted")
                    .contains(AbleEventTypes.all().keySet());
        });
        assertThat(((MappingResult.Rejected) result).eventName()).isNull();
        assertThat(((MappingResult.Rejected) result).email()).isEqualTo(EMAIL);
    }

    @Test
    void missingBlankOrNullEventTypeIsAMissingField() {
        for (Map<String, Object> b : List.of(body("funnel_mark", MARK, "resource", body("keys", KEYS)),
                able("", KEYS), able("  ", KEYS), able(null, KEYS))) {
            assertThat(rejected(mapper.map(input(b))))
                    .containsExactly(new FieldError("event_type", FieldError.MISSING, "event_type is required"));
        }
    }

    // ---- visitor keys ----

    /** Every supported key with a raw value, the identifier it becomes and its stored value (US workspace). */
    static Stream<Arguments> visitorKeys() {
        return Stream.of(
                Arguments.of("phone", "(650) 555-1212", IdentifierType.PHONE, "16505551212"),
                Arguments.of("email", " Jane.Doe@Example.COM ", IdentifierType.EMAIL, "jane.doe@example.com"),
                Arguments.of("client_id", "12354", IdentifierType.CLIENT_ID, "12354"),
                Arguments.of("gclid", "Cj0KCQiA-gclid", IdentifierType.GCLID, "Cj0KCQiA-gclid"),
                Arguments.of("wbraid", "wb-1", IdentifierType.WBRAID, "wb-1"),
                Arguments.of("gbraid", "gb-1", IdentifierType.GBRAID, "gb-1"),
                Arguments.of("fbp", "fb.1.1596403881668.1116446470", IdentifierType.FBP, "fb.1.1596403881668.1116446470"),
                Arguments.of("fbclid", "IwAR2-fbclid", IdentifierType.FBCLID, "IwAR2-fbclid"),
                Arguments.of("ga_cookie", "1234567890.1596403881", IdentifierType.GA_COOKIE, "1234567890.1596403881"),
                Arguments.of("app_instance_id", "a1b2c3", IdentifierType.APP_INSTANCE_ID, "a1b2c3"),
                Arguments.of("apladid", "6D92078A-8246-4BA4-AE5B-76104861E7DC", IdentifierType.APPLE_AD_ID,
                        "6D92078A-8246-4BA4-AE5B-76104861E7DC"),
                Arguments.of("andadid", "38400000-8cf0-11bd-b23e-10b96e40000d", IdentifierType.ANDROID_AD_ID,
                        "38400000-8cf0-11bd-b23e-10b96e40000d"),
                Arguments.of("msclkid", " ms-1 ", IdentifierType.MSCLKID, "ms-1"),
                Arguments.of("ttp", "ttp-1", IdentifierType.TTP, "ttp-1"),
                Arguments.of("tpclid", "tt-1", IdentifierType.TTCLID, "tt-1"));
    }

    @Test
    void theKeyTableCoversEverySupportedKey() {
        Map<String, IdentifierType> expected = new LinkedHashMap<>();
        visitorKeys().forEach(a -> expected.put((String) a.get()[0], (IdentifierType) a.get()[2]));
        assertThat(AbleMapper.KEYS).containsExactlyEntriesOf(expected);
    }

    @ParameterizedTest(name = "[{index}] {0}: \"{1}\" → {2} {3}")
    @MethodSource("visitorKeys")
    void aKeyAsAStringBecomesItsIdentifier(String key, String raw, IdentifierType type, String stored) {
        Event event = accepted(mapper.map(input(able("Lead", body(key, raw)))));
        assertThat(event.identifiers()).containsExactly(new Identifier(type, stored));
        assertThat(event.person().email()).isEqualTo(type == IdentifierType.EMAIL ? stored : null);
        assertThat(event.person().phone()).isEqualTo(type == IdentifierType.PHONE ? stored : null);
    }

    @ParameterizedTest(name = "[{index}] {0}: [\"{1}\", …] → {2}")
    @MethodSource("visitorKeys")
    void aKeyAsAnArrayBecomesOneIdentifierPerValue(String key, String raw, IdentifierType type, String stored) {
        String second = switch (type) {
            case PHONE -> "+44 20 7946 0958";
            case EMAIL -> "SECOND@example.com";
            default -> "second-" + key;
        };
        String secondStored = switch (type) {
            case PHONE -> "442079460958";
            case EMAIL -> "second@example.com";
            default -> second;
        };
        Event event = accepted(mapper.map(input(able("Lead", body(key, List.of(raw, second))))));
        assertThat(event.identifiers()).containsExactly(new Identifier(type, stored), new Identifier(type, secondStored));
        if (type == IdentifierType.EMAIL) assertThat(event.person().email()).isEqualTo(stored); // the first one
    }

    @Test
    void everyKeyAtOnceGivesIdentifiersInAblesOrder() {
        Map<String, Object> keys = new LinkedHashMap<>();
        List<Identifier> expected = new ArrayList<>();
        List<Arguments> rows = new ArrayList<>(visitorKeys().toList());
        java.util.Collections.reverse(rows); // the payload's order does not matter
        for (Arguments a : rows) keys.put((String) a.get()[0], a.get()[1]);
        visitorKeys().forEach(a -> expected.add(new Identifier((IdentifierType) a.get()[2], (String) a.get()[3])));
        Event event = accepted(mapper.map(input(able("Lead", keys))));
        assertThat(event.identifiers()).containsExactlyElementsOf(expected);
        assertThat(event.person().email()).isEqualTo("jane.doe@example.com");
        assertThat(event.person().phone()).isEqualTo("16505551212");
    }

    @ParameterizedTest(name = "[{index}] {0} in {1} → {2}")
    @MethodSource("phones")
    void phoneKeysAreNormalisedWithTheWorkspaceRegion(Object phone, Workspace workspace, String expected) {
        Event event = accepted(mapper.map(input(workspace, able("Lead", body("phone", phone)), "{}")));
        assertThat(event.identifiers()).containsExactly(new Identifier(IdentifierType.PHONE, expected));
        assertThat(event.person().phone()).isEqualTo(expected);
    }

    static Stream<Arguments> phones() {
        return Stream.of(
                Arguments.of("(650)555-1212", US, "16505551212"),
                Arguments.of("020 7946 0958", GB, "442079460958"),
                Arguments.of("+1 650-555-1212", GB, "16505551212"),
                Arguments.of("0044 20 7946 0958", US, "442079460958"),
                Arguments.of(6505551212L, US, "16505551212")); // a JSON number, as Jackson decodes it
    }

    @Test
    void blankKeyValuesAreIgnored() {
        Map<String, Object> keys = body("email", "", "phone", "   ", "client_id", "12354",
                "gclid", Arrays.asList("", null, " g-1 ", "\t"), "fbp", null);
        MappingResult result = mapper.map(input(able("Lead", keys)));
        Event event = accepted(result);
        assertThat(event.identifiers()).containsExactly(new Identifier(IdentifierType.CLIENT_ID, "12354"),
                new Identifier(IdentifierType.GCLID, "g-1"));
        assertThat(event.person().email()).isNull();
        assertThat(event.person().phone()).isNull();
        assertThat(result.warnings()).isEmpty();
    }

    @Test
    void unknownKeysAreIgnoredWithAWarningNamingEach() {
        MappingResult result = mapper.map(input(able("Lead", body("email", EMAIL, "user_id", "7", "fbc", "fb.1.x"))));
        assertThat(accepted(result).identifiers()).containsExactly(new Identifier(IdentifierType.EMAIL, EMAIL));
        assertThat(result.warnings()).containsExactly(
                "unknown field 'resource.keys.user_id' ignored (kept in the raw payload)",
                "unknown field 'resource.keys.fbc' ignored (kept in the raw payload)");
    }

    static Stream<Arguments> keysWithoutAValue() {
        return Stream.of(
                Arguments.of("empty", body()),
                Arguments.of("only unknown keys", body("user_id", "7")),
                Arguments.of("only blank values", body("email", "", "client_id", " ")),
                Arguments.of("only empty arrays", body("email", List.of(), "client_id", List.of(""))));
    }

    @ParameterizedTest(name = "[{index}] {0}")
    @MethodSource("keysWithoutAValue")
    void keysWithoutAnySupportedValueAreRejectedNamingResourceKeys(String what, Map<String, Object> keys) {
        List<FieldError> errors = rejected(mapper.map(input(able("Lead", keys))));
        assertThat(errors).singleElement().satisfies(e -> {
            assertThat(e.param()).isEqualTo("resource.keys");
            assertThat(e.code()).isEqualTo(FieldError.INVALID_VALUE);
            assertThat(e.message()).contains(AbleMapper.KEYS.keySet());
        });
    }

    @Test
    void missingOrNullKeysAreAMissingField() {
        Map<String, Object> nullKeys = new LinkedHashMap<>();
        nullKeys.put("keys", null);
        for (Map<String, Object> resource : List.of(body("deal_value", 1, "deal_currency", "USD"), nullKeys)) {
            List<FieldError> errors = rejected(mapper.map(input(body("funnel_mark", MARK, "event_type", "Lead",
                    "resource", resource))));
            assertThat(errors).singleElement().satisfies(e -> {
                assertThat(e.param()).isEqualTo("resource.keys");
                assertThat(e.code()).isEqualTo(FieldError.MISSING);
                assertThat(e.message()).contains("email", "phone", "client_id");
            });
        }
    }

    @ParameterizedTest(name = "[{index}] keys = {0} → {1} {2}")
    @MethodSource("invalidKeys")
    void anInvalidKeyIsRejectedNamingIt(Object keys, String param, String code) {
        Map<String, Object> resource = body("keys", keys);
        List<FieldError> errors = rejected(mapper.map(input(body("funnel_mark", MARK, "event_type", "Lead",
                "resource", resource))));
        assertThat(errors).extracting(FieldError::param, FieldError::code).containsExactly(tuple(param, code));
    }

    static Stream<Arguments> invalidKeys() {
        return Stream.of(
                Arguments.of("jane@example.com", "resource.keys", FieldError.INVALID_TYPE),
                Arguments.of(List.of("jane@example.com"), "resource.keys", FieldError.INVALID_TYPE),
                Arguments.of(body("email", "not-an-email"), "resource.keys.email", FieldError.INVALID_VALUE),
                Arguments.of(body("email", List.of("nope")), "resource.keys.email[0]", FieldError.INVALID_VALUE),
                Arguments.of(body("phone", "call me"), "resource.keys.phone", FieldError.INVALID_VALUE),
                Arguments.of(body("phone", "555-1234"), "resource.keys.phone", FieldError.INVALID_VALUE),
                Arguments.of(body("client_id", body("id", 1)), "resource.keys.client_id", FieldError.INVALID_TYPE),
                Arguments.of(body("client_id", true), "resource.keys.client_id", FieldError.INVALID_TYPE),
                Arguments.of(body("gclid", List.of(List.of("g-2"))), "resource.keys.gclid[0]", FieldError.INVALID_TYPE),
                Arguments.of(body("email", body("address", EMAIL)), "resource.keys.email", FieldError.INVALID_TYPE));
    }

    @Test
    void keysSentAsJsonNumbersAreTheirDecimalText() {
        Event event = accepted(mapper.map(input(able("Purchase", body("client_id", 12354, "gclid", List.of(7, "g-2"),
                "app_instance_id", new BigDecimal("1.50"), "ga_cookie", new BigDecimal("1596403881.1234"))))));
        assertThat(event.identifiers()).containsExactly(new Identifier(IdentifierType.CLIENT_ID, "12354"),
                new Identifier(IdentifierType.GCLID, "7"), new Identifier(IdentifierType.GCLID, "g-2"),
                new Identifier(IdentifierType.GA_COOKIE, "1596403881.1234"),
                new Identifier(IdentifierType.APP_INSTANCE_ID, "1.50"));
    }

    // ---- a malformed optional field never costs the event ----

    /** A broken key value, client or lead field beside a valid key: dropped with a warning naming it. */
    static Stream<Arguments> droppedFields() {
        return Stream.of(
                Arguments.of("an invalid email beside a client id", body("keys", body("email", "nope",
                        "client_id", "c-1")), "resource.keys.email"),
                Arguments.of("an invalid email in a list", body("keys", body("email", List.of(EMAIL, "nope"))),
                        "resource.keys.email[1]"),
                Arguments.of("a short phone beside an email", body("keys", body("phone", "555-1234", "email", EMAIL)),
                        "resource.keys.phone"),
                Arguments.of("a placeholder phone beside an email", body("keys", body("phone", "0000000000",
                        "email", EMAIL)), "resource.keys.phone"),
                Arguments.of("a boolean client id beside an email", body("keys", body("client_id", true,
                        "email", EMAIL)), "resource.keys.client_id"),
                Arguments.of("a nested list in a list", body("keys", body("gclid", List.of("g-1", List.of("g-2")))),
                        "resource.keys.gclid[1]"),
                Arguments.of("an invalid client ip", body("keys", KEYS, "client", body("ip", "localhost")),
                        "resource.client.ip"),
                Arguments.of("a too long user agent", body("keys", KEYS, "client", body("ua", "u".repeat(8_193))),
                        "resource.client.ua"),
                Arguments.of("a client that is not an object", body("keys", KEYS, "client", "1.2.3.4"),
                        "resource.client"),
                Arguments.of("a lead that is not an object", body("keys", KEYS, "lead", "Jane"), "resource.lead"),
                Arguments.of("a too long first name", body("keys", KEYS, "lead", body("firstName", "J".repeat(501),
                        "company", "Acme")), "resource.lead.firstName"));
    }

    @ParameterizedTest(name = "[{index}] {0}")
    @MethodSource("droppedFields")
    void aMalformedOptionalFieldIsDroppedWithAWarningNamingIt(String what, Map<String, Object> resource, String param) {
        resource.put("deal_value", 99);
        resource.put("deal_currency", "USD");
        MappingResult result = mapper.map(input(withResource("Purchase", resource)));

        Event event = accepted(result);
        assertThat(event.name()).isEqualTo("purchase");
        assertThat(event.commerce().value()).isEqualByComparingTo("99");
        assertThat(event.identifiers()).isNotEmpty();
        assertThat(event.person().phone()).isNull();
        assertThat(event.person().firstName()).isNull();
        assertThat(event.person().attributes()).doesNotContainKey("firstName");
        assertThat(event.context().ip()).isNull();
        assertThat(event.context().userAgent()).isNull();
        assertThat(result.warnings()).singleElement().asString()
                .startsWith("invalid field '" + param + "' dropped (kept in the raw payload): " + param + " ");
    }

    @Test
    void aDroppedEmailLeavesTheOtherKeysAndTheEventsLogGetsTheValidOne() {
        MappingResult result = mapper.map(input(able("Lead", body("email", List.of("nope", EMAIL), "client_id", "c-1"))));
        Event event = accepted(result);
        assertThat(event.identifiers()).containsExactly(new Identifier(IdentifierType.EMAIL, EMAIL),
                new Identifier(IdentifierType.CLIENT_ID, "c-1"));
        assertThat(event.person().email()).isEqualTo(EMAIL);
        assertThat(result.warnings()).containsExactly("invalid field 'resource.keys.email[0]' dropped (kept in the raw"
                + " payload): resource.keys.email[0] is not a valid email address");
    }

    @Test
    void aBrokenRequiredFieldRefusesTheEventAndNamesTheOptionalOnesToo() {
        MappingResult result = mapper.map(input(able("Purchase", body("email", EMAIL, "phone", "555-1234"),
                "deal_value", -1, "deal_currency", "USD")));
        assertThat(rejected(result)).extracting(FieldError::param)
                .containsExactlyInAnyOrder("resource.keys.phone", "resource.deal_value");
    }

    // ---- money and items ----

    @Test
    void dealValueWithoutCurrencyIsAMissingCurrency() {
        for (Object currency : Arrays.asList(null, "", "  ")) {
            Map<String, Object> resource = body("keys", KEYS, "deal_value", 10);
            if (currency != null) resource.put("deal_currency", currency);
            assertThat(rejected(mapper.map(input(withResource("Purchase", resource))))).singleElement().satisfies(e -> {
                assertThat(e.param()).isEqualTo("resource.deal_currency");
                assertThat(e.code()).isEqualTo(FieldError.MISSING);
                assertThat(e.message()).contains("required when deal_value is set");
            });
        }
    }

    @ParameterizedTest(name = "[{index}] deal_value={0} deal_currency={1} → {2} {3}")
    @MethodSource("money")
    void dealValueAndCurrency(Object value, String currency, String expectedValue, String expectedCurrency) {
        Commerce commerce = accepted(mapper.map(input(able("Purchase", "deal_value", value,
                "deal_currency", currency)))).commerce();
        assertThat(commerce.value()).isEqualTo(expectedValue == null ? null : new BigDecimal(expectedValue));
        assertThat(commerce.currency()).isEqualTo(expectedCurrency);
    }

    static Stream<Arguments> money() {
        return Stream.of(
                Arguments.of(10, "USD", "10", "USD"),
                Arguments.of(new BigDecimal("19.90"), "eur", "19.9", "EUR"),
                Arguments.of("34.5", "gbp", "34.5", "GBP"),
                Arguments.of(0, "USD", "0", "USD"),
                Arguments.of(null, "USD", null, "USD"),
                Arguments.of(null, null, null, null));
    }

    @ParameterizedTest(name = "[{index}] {0} = {1} → {2}")
    @MethodSource("invalidResourceFields")
    void anInvalidResourceFieldIsRejectedNamingIt(String field, Object value, String param, String code) {
        Map<String, Object> resource = body("keys", KEYS, "deal_value", 10, "deal_currency", "USD");
        resource.put(field, value);
        List<FieldError> errors = rejected(mapper.map(input(withResource("Purchase", resource))));
        assertThat(errors).extracting(FieldError::param, FieldError::code).containsExactly(tuple(param, code));
    }

    static Stream<Arguments> invalidResourceFields() {
        return Stream.of(
                Arguments.of("deal_currency", "ZZZ", "resource.deal_currency", FieldError.INVALID_VALUE),
                Arguments.of("deal_currency", "dollars", "resource.deal_currency", FieldError.INVALID_VALUE),
                Arguments.of("deal_currency", "XAU", "resource.deal_currency", FieldError.INVALID_VALUE),
                Arguments.of("deal_value", "lots", "resource.deal_value", FieldError.INVALID_TYPE),
                Arguments.of("deal_value", -1, "resource.deal_value", FieldError.INVALID_VALUE),
                Arguments.of("deal_items", "File download", "resource.deal_items", FieldError.INVALID_TYPE),
                Arguments.of("deal_items", List.of("File download"), "resource.deal_items[0]", FieldError.INVALID_TYPE),
                Arguments.of("custom_data", List.of(1), "resource.custom_data", FieldError.INVALID_TYPE),
                Arguments.of("utm_source", List.of("google"), "resource.utm_source", FieldError.INVALID_TYPE),
                Arguments.of("order_id", body("id", 1), "resource.order_id", FieldError.INVALID_TYPE));
    }

    @Test
    void dealItemsAreMappedWithOptionalSkuAndCategory() {
        List<Object> items = List.of(
                body("name", "File download", "price", 5, "qty", 2, "sku", "DL1", "category", "High-speed"),
                body("name", " Support ", "price", "0.50", "qty", "3"));
        Commerce commerce = accepted(mapper.map(input(able("Purchase", "deal_value", 11.5, "deal_currency", "USD",
                "deal_items", items)))).commerce();
        assertThat(commerce.items()).containsExactly(
                new Item("File download", new BigDecimal("5"), new BigDecimal("2"), "DL1", "High-speed"),
                new Item("Support", new BigDecimal("0.5"), new BigDecimal("3"), null, null));
    }

    @ParameterizedTest(name = "[{index}] {0}")
    @MethodSource("brokenItems")
    void aBrokenItemIsRejectedNamingItsField(String what, Map<String, Object> item, String param, String code) {
        Map<String, Object> good = body("name", "Ok", "price", 1, "qty", 1);
        List<FieldError> errors = rejected(mapper.map(input(able("Purchase", "deal_value", 10, "deal_currency", "USD",
                "deal_items", List.of(item, good)))));
        assertThat(errors).extracting(FieldError::param, FieldError::code).containsExactly(tuple(param, code));
    }

    static Stream<Arguments> brokenItems() {
        return Stream.of(
                Arguments.of("non-numeric qty", body("name", "A", "price", 5, "qty", "two"),
                        "resource.deal_items[0].qty", FieldError.INVALID_TYPE),
                Arguments.of("negative qty", body("name", "A", "price", 5, "qty", -2),
                        "resource.deal_items[0].qty", FieldError.INVALID_VALUE),
                Arguments.of("non-numeric price", body("name", "A", "price", "five", "qty", 1),
                        "resource.deal_items[0].price", FieldError.INVALID_TYPE),
                Arguments.of("no name", body("price", 5, "qty", 2),
                        "resource.deal_items[0].name", FieldError.MISSING),
                Arguments.of("blank name", body("name", " ", "price", 5, "qty", 2),
                        "resource.deal_items[0].name", FieldError.MISSING),
                Arguments.of("no price", body("name", "A", "qty", 2),
                        "resource.deal_items[0].price", FieldError.MISSING),
                Arguments.of("no qty", body("name", "A", "price", 5),
                        "resource.deal_items[0].qty", FieldError.MISSING),
                Arguments.of("null qty", body("name", "A", "price", 5, "qty", null),
                        "resource.deal_items[0].qty", FieldError.MISSING));
    }

    @Test
    void aSecondBrokenItemIsNamedByItsIndex() {
        List<Object> items = List.of(body("name", "A", "price", 5, "qty", 1), body("name", "B", "qty", 1));
        assertThat(rejected(mapper.map(input(able("Purchase", "deal_value", 10, "deal_currency", "USD",
                "deal_items", items))))).extracting(FieldError::param).containsExactly("resource.deal_items[1].price");
    }

    @Test
    void descriptionNamesTheItemWhenDealItemsAreAbsent() {
        Event event = accepted(mapper.map(input(able("Purchase", "deal_value", 10, "deal_currency", "USD",
                "description", " Pro plan, yearly "))));
        assertThat(event.commerce().items()).containsExactly(
                new Item("Pro plan, yearly", new BigDecimal("10"), BigDecimal.ONE, null, null));
    }

    @Test
    void descriptionDoesNotReplaceDealItems() {
        Event event = accepted(mapper.map(input(able("Purchase", "deal_value", 10, "deal_currency", "USD",
                "description", "Pro plan", "deal_items", List.of(body("name", "Seat", "price", 5, "qty", 2))))));
        assertThat(event.commerce().items()).extracting(Item::name).containsExactly("Seat");
    }

    @Test
    void withoutDealItemsOrDescriptionThereAreNoItems() {
        assertThat(accepted(mapper.map(input(able("Purchase", "deal_value", 10, "deal_currency", "USD"))))
                .commerce().items()).isEmpty();
    }

    // ---- the person, the context, the rest ----

    @Test
    void leadFieldsBecomeThePersonAndItsAttributes() {
        Map<String, Object> lead = body("firstName", " Jane ", "lastName", "Doe", "company", "Acme",
                "country", "FR", "industry", "Retail", "employees", 12);
        Event event = accepted(mapper.map(input(able("Lead", "lead", lead))));
        assertThat(event.person().firstName()).isEqualTo("Jane");
        assertThat(event.person().lastName()).isEqualTo("Doe");
        assertThat(event.person().email()).isEqualTo(EMAIL);
        assertThat(event.person().attributes()).isEqualTo(lead);
    }

    @Test
    void theMessageIsKeptWithThePersonsAttributes() {
        Event withLead = accepted(mapper.map(input(able("Lead", "lead", body("company", "Acme"),
                "message", "Please call me back"))));
        assertThat(withLead.person().attributes()).containsExactly(Map.entry("company", "Acme"),
                Map.entry("message", "Please call me back"));

        Event withoutLead = accepted(mapper.map(input(able("Contact", "message", "Hello"))));
        assertThat(withoutLead.person().attributes()).containsExactly(Map.entry("message", "Hello"));
        assertThat(withoutLead.person().firstName()).isNull();
    }

    @Test
    void clientIpAndUserAgentLandInTheContext() {
        String ua = "Mozilla/5.0 (X11; Linux x86_64)";
        Event event = accepted(mapper.map(input(able("PageView", "client", body("ip", "2001:DB8:0:0:0:0:0:1",
                "ua", ua)))));
        assertThat(event.context().ip()).isEqualTo("2001:db8::1");
        assertThat(event.context().userAgent()).isEqualTo(ua);
    }

    @ParameterizedTest
    @ValueSource(strings = {"example.com", "999.1.1.1", "localhost"})
    void anInvalidClientIpIsDroppedNamingIt(String ip) {
        MappingResult result = mapper.map(input(able("PageView", "client", body("ip", ip, "ua", "x"))));
        Event event = accepted(result);
        assertThat(event.context().ip()).isNull();
        assertThat(event.context().userAgent()).isEqualTo("x");
        assertThat(result.warnings()).singleElement().asString().startsWith("invalid field 'resource.client.ip' dropped");
    }

    @Test
    void utmFieldsBecomeTheCampaignAndTheReferrerIsKept() {
        Event event = accepted(mapper.map(input(able("Lead", "utm_source", "google", "utm_medium", "cpc",
                "utm_campaign", "spring-sale", "utm_term", "running shoes", "utm_content", "ad-a",
                "referrer_url", "https://www.google.com/"))));
        assertThat(event.context().campaign()).isEqualTo(new Campaign("google", "cpc", "spring-sale", "running shoes",
                "ad-a", null, null, null, null, null, null));
        assertThat(event.context().referrer()).isEqualTo("https://www.google.com/");
    }

    @ParameterizedTest(name = "[{index}] {0} → pageUrl {1}")
    @CsvSource(delimiter = '|', nullValues = "null", value = {
            "https://shop.example.com/thank-you | https://shop.example.com/thank-you",
            "HTTP://shop.example.com/           | HTTP://shop.example.com/",
            "stripe                             | null",
            "offline import                     | null",
            "ftp://files.example.com/           | null"})
    void eventSourceIsKeptAndAWebUrlIsAlsoThePage(String eventSource, String pageUrl) {
        Event event = accepted(mapper.map(input(able("Purchase", "event_source", eventSource))));
        assertThat(event.context().eventSource()).isEqualTo(eventSource);
        assertThat(event.context().pageUrl()).isEqualTo(pageUrl);
    }

    @Test
    void customDataIsPassedThroughUnchanged() {
        Map<String, Object> custom = body("coupon", "SPRING10", "n", new BigDecimal("1.50"),
                "big", new java.math.BigInteger("12345678901234567890"), "s", "éé",
                "nested", body("b", 2, "a", 1), "list", List.of(1, "two", body()), "none", null, "flag", false);
        Event event = accepted(mapper.map(input(able("Purchase", "custom_data", custom))));
        assertThat(event.customData()).isEqualTo(custom);
        assertThat(new ArrayList<>(event.customData().keySet())).containsExactlyElementsOf(custom.keySet());
        assertThat(event.customData().get("n")).isEqualTo(new BigDecimal("1.50")); // scale kept, not 1.5
    }

    @Test
    void withoutCustomDataTheEventHasNone() {
        assertThat(accepted(mapper.map(input(able("Lead")))).customData()).isEmpty();
    }

    @Test
    void orderIdIsKeptAsText() {
        assertThat(accepted(mapper.map(input(able("Purchase", "order_id", 1001)))).commerce().orderId())
                .isEqualTo("1001");
        assertThat(accepted(mapper.map(input(able("Purchase", "order_id", " A-1 ")))).commerce().orderId())
                .isEqualTo("A-1");
    }

    @Test
    void eventTimeIsReadAsInTheCometlyDialect() {
        Map<String, Object> b = with(able("Purchase"), "event_time", 1677093110);
        assertThat(accepted(mapper.map(input(b))).eventTime()).isEqualTo(Instant.parse("2023-02-22T19:11:50Z"));
        assertThat(accepted(mapper.map(input(able("Purchase")))).eventTime()).isEqualTo(RECEIVED_AT);
        assertThat(rejected(mapper.map(input(with(able("Purchase"), "event_time",
                RECEIVED_AT.plusSeconds(86_400).getEpochSecond()))))).extracting(FieldError::param)
                .containsExactly("event_time");
    }

    @Test
    void unknownFieldsAreWarnedAtTheTopAndInTheResource() {
        Map<String, Object> b = with(able("Lead", "coupon", "X"), "source", "crm");
        MappingResult result = mapper.map(input(b));
        accepted(result);
        assertThat(result.warnings()).containsExactlyInAnyOrder(
                "unknown field 'source' ignored (kept in the raw payload)",
                "unknown field 'resource.coupon' ignored (kept in the raw payload)");
    }

    @Test
    void everyResourceFieldIsKnown() {
        Map<String, Object> resource = new LinkedHashMap<>();
        resource.put("referrer_url", "https://www.google.com/");
        resource.put("utm_source", "google");
        resource.put("utm_medium", "cpc");
        resource.put("utm_campaign", "c");
        resource.put("utm_term", "t");
        resource.put("utm_content", "x");
        resource.put("deal_value", 10);
        resource.put("deal_currency", "USD");
        resource.put("deal_items", List.of(body("name", "A", "price", 10, "qty", 1)));
        resource.put("event_source", "https://shop.example.com/");
        resource.put("lead", body("firstName", "Jane"));
        resource.put("description", "d");
        resource.put("message", "m");
        resource.put("order_id", "o-1");
        resource.put("custom_data", body("k", "v"));
        resource.put("client", body("ip", "1.2.3.4", "ua", "ua"));
        resource.put("keys", KEYS);
        resource.put("consent", body("ad_user_data", "granted", "region", "de"));
        assertThat(resource.keySet()).isEqualTo(AbleMapper.RESOURCE_FIELDS);
        MappingResult result = mapper.map(input(body("funnel_mark", MARK, "event_type", "Purchase",
                "resource", resource, "idempotency_key", "k", "event_time", 1677093110)));
        assertThat(accepted(result).consent()).isEqualTo(Consent.of(Map.of(Consent.AD_USER_DATA, ConsentState.GRANTED))
                .withRegion("DE"));
        assertThat(result.warnings()).isEmpty();
    }

    // ---- resource itself ----

    @Test
    void missingOrNullResourceIsAMissingField() {
        Map<String, Object> nullResource = body("funnel_mark", MARK, "event_type", "Purchase", "resource", null);
        for (Map<String, Object> b : List.of(body("funnel_mark", MARK, "event_type", "Purchase"), nullResource)) {
            MappingResult result = mapper.map(input(b));
            assertThat(rejected(result)).containsExactly(
                    new FieldError("resource", FieldError.MISSING, "resource is required"));
            assertThat(((MappingResult.Rejected) result).eventName()).isEqualTo("purchase");
        }
    }

    @ParameterizedTest
    @MethodSource("notObjects")
    void aResourceThatIsNotAnObjectIsAnInvalidType(Object resource) {
        assertThat(rejected(mapper.map(input(body("funnel_mark", MARK, "event_type", "Purchase", "resource",
                resource))))).extracting(FieldError::param, FieldError::code)
                .containsExactly(tuple("resource", FieldError.INVALID_TYPE));
    }

    static Stream<Object> notObjects() {
        return Stream.of("keys", 1, List.of(body("keys", KEYS)), true);
    }

    @Test
    void everyBrokenRuleIsReportedAtOnce() {
        Map<String, Object> resource = body("keys", body("email", "a@b"), "deal_value", -1, "deal_currency", "EURO",
                "client", body("ip", "nope"), "deal_items", List.of(body("name", "A", "price", 1, "qty", "x")));
        MappingResult result = mapper.map(input(body("funnel_mark", MARK, "event_type", "Serch", "resource", resource)));
        assertThat(rejected(result)).extracting(FieldError::param).containsExactlyInAnyOrder("event_type",
                "resource.keys.email", "resource.deal_value", "resource.deal_currency", "resource.client.ip",
                "resource.deal_items[0].qty");
    }

    @Test
    void aRejectionCarriesTheEventNameAndEmailItCouldRead() {
        MappingResult result = mapper.map(input(able("Purchase", body("email", " Jane@Example.com"), "deal_value", 5)));
        assertThat(rejected(result)).extracting(FieldError::param).containsExactly("resource.deal_currency");
        assertThat(((MappingResult.Rejected) result).eventName()).isEqualTo("purchase");
        assertThat(((MappingResult.Rejected) result).email()).isEqualTo("jane@example.com");
    }

    // ---- idempotency ----

    @Test
    void orderIdAndEventTypeMakeTheIdempotencyKeyWithinTheFunnel() {
        Event event = accepted(mapper.map(input(able("Purchase", "order_id", "ord-1"))));
        assertThat(event.idempotencyKey()).isEqualTo("able:" + FUNNEL + ":purchase:ord-1");
        assertThat(event.commerce().orderId()).isEqualTo("ord-1");

        Event lead = accepted(mapper.map(input(able("Lead", "order_id", "ord-1"))));
        assertThat(lead.idempotencyKey()).isEqualTo("able:" + FUNNEL + ":lead_generated:ord-1");

        Event otherFunnel = accepted(mapper.map(new IngestInput(able("Purchase", "order_id", "ord-1"), "{}", US,
                "req_x", "evt_x", RECEIVED_AT, "fun_2")));
        assertThat(otherFunnel.idempotencyKey()).isEqualTo("able:fun_2:purchase:ord-1");

        Event numeric = accepted(mapper.map(input(able("Purchase", "order_id", 1001))));
        assertThat(numeric.idempotencyKey()).isEqualTo("able:" + FUNNEL + ":purchase:1001");
    }

    @Test
    void anExplicitIdempotencyKeyWins() {
        Map<String, Object> b = with(able("Purchase", "order_id", "ord-1"), "idempotency_key", " my-key ");
        Event event = accepted(mapper.map(input(b)));
        assertThat(event.idempotencyKey()).isEqualTo("my-key");
        assertThat(event.commerce().orderId()).isEqualTo("ord-1");
    }

    @Test
    void withoutOrderIdThereIsNoIdempotencyKey() {
        assertThat(accepted(mapper.map(input(able("Purchase")))).idempotencyKey()).isNull();
        assertThat(accepted(mapper.map(input(able("Purchase", "order_id", "  ")))).idempotencyKey()).isNull();
        assertThat(accepted(mapper.map(input(with(able("Purchase"), "idempotency_key", "k-1")))).idempotencyKey())
                .isEqualTo("k-1");
    }

    // ---- helpers ----

    /**
     * A body with {@code eventType} and a resource of the default keys plus the given fields; when the first of
     * {@code resourceFields} is a map it is the keys object instead.
     */
    private static Map<String, Object> able(String eventType, Object... resourceFields) {
        Map<String, Object> keys = KEYS;
        Object[] rest = resourceFields;
        if (resourceFields.length % 2 == 1 && resourceFields[0] instanceof Map<?, ?> m) {
            @SuppressWarnings("unchecked") Map<String, Object> k = (Map<String, Object>) m;
            keys = k;
            rest = Arrays.copyOfRange(resourceFields, 1, resourceFields.length);
        }
        Map<String, Object> resource = body(rest);
        resource.putIfAbsent("keys", keys);
        return body("funnel_mark", MARK, "event_type", eventType, "resource", resource);
    }

    /** A body with {@code eventType} and exactly this resource. */
    private static Map<String, Object> withResource(String eventType, Map<String, Object> resource) {
        return body("funnel_mark", MARK, "event_type", eventType, "resource", resource);
    }

    private static IngestInput input(Workspace workspace, Map<String, Object> body, String raw) {
        return new IngestInput(body, raw, workspace, "req_x", "evt_x", RECEIVED_AT, FUNNEL);
    }

    private static IngestInput input(Map<String, Object> body) {
        return input(US, body, "{}");
    }

    private static Event accepted(MappingResult result) {
        assertThat(result).as("%s", result).isInstanceOf(MappingResult.Accepted.class);
        return ((MappingResult.Accepted) result).event();
    }

    private static List<FieldError> rejected(MappingResult result) {
        assertThat(result).isInstanceOf(MappingResult.Rejected.class);
        return ((MappingResult.Rejected) result).errors();
    }
}
