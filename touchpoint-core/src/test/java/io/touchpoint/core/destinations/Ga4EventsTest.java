package io.touchpoint.core.destinations;

import io.touchpoint.core.model.Event;
import io.touchpoint.core.model.Identifier;
import io.touchpoint.core.model.IdentifierType;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

import java.math.BigDecimal;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static io.touchpoint.core.destinations.SampleEntries.*;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class Ga4EventsTest {
    private static final Destination GA4 = destination(DestinationType.GA4, Map.of("measurement_id", "G-TEST"));

    @Test
    void aPurchaseInFull() {
        Map<String, Object> item = new LinkedHashMap<>();
        item.put("item_id", "SKU-1");
        item.put("item_name", "T-shirt");
        item.put("item_category", "Apparel");
        item.put("price", new BigDecimal("24.95"));
        item.put("quantity", 2L);
        Map<String, Object> params = new LinkedHashMap<>();
        params.put("transaction_id", "order-42");
        params.put("value", new BigDecimal("49.90"));
        params.put("currency", "USD");
        params.put("items", List.of(item));
        params.put("page_location", PAGE);
        params.put("page_referrer", REFERRER);
        params.put("coupon", "SPRING");
        Map<String, Object> expected = new LinkedHashMap<>();
        expected.put("client_id", "777.888");
        expected.put("timestamp_micros", 1772368245123456L);
        expected.put("events", List.of(Map.of("name", "purchase", "params", params)));

        Map<String, Object> body = Ga4Events.request(GA4, entry(purchase()));

        assertThat(body).isEqualTo(expected);
        assertThat(body.keySet()).containsExactlyElementsOf(expected.keySet());
    }

    @Test
    void theUserIdIsTheProfileOnlyWhenTheDestinationSaysSo() {
        Destination withUser = destination(DestinationType.GA4, Map.of("measurement_id", "G", "send_user_id", "true"));
        assertThat(Ga4Events.request(withUser, entry(purchase()))).containsEntry("user_id", PROFILE);
        assertThat(Ga4Events.request(withUser, entry(purchase(), null))).doesNotContainKey("user_id");
        assertThat(Ga4Events.request(GA4, entry(purchase()))).doesNotContainKey("user_id");
    }

    @Test
    void aLeadWithoutCommerceHasNoParams() {
        Map<String, Object> body = Ga4Events.request(GA4, entry(bareLead()));
        assertThat(body.get("events")).isEqualTo(List.of(Map.of("name", "generate_lead")));
    }

    @ParameterizedTest(name = "\"{0}\" → {1}")
    @CsvSource({"GA1.1.777.888, 777.888", "GA1.2.1234567890.1700000000, 1234567890.1700000000",
            "' 777.888 ', 777.888"})
    void clientIdFromTheGaCookie(String cookie, String clientId) {
        Event e = withIdentifiers(purchase(), List.of(new Identifier(IdentifierType.GA_COOKIE, cookie)));
        assertThat(Ga4Events.clientId(entry(e))).isEqualTo(clientId);
    }

    @Test
    void withoutAUsableCookieTheClientIdIsDerivedFromTheProfileElseTheEvent() {
        Event garbage = withIdentifiers(purchase(), List.of(new Identifier(IdentifierType.GA_COOKIE, "GS1.1.x")));
        String fromProfile = Ga4Events.clientId(entry(garbage));
        assertThat(fromProfile).matches("[1-9][0-9]*\\.[1-9][0-9]*")
                .isEqualTo(Ga4Events.clientId(entry(bareLead()))) // same profile, same client
                .isEqualTo(Ga4Events.derivedClientId(PROFILE));
        assertThat(Ga4Events.clientId(entry(bareLead(), null))).isEqualTo(Ga4Events.derivedClientId("evt_2"))
                .isNotEqualTo(fromProfile);
    }

    @ParameterizedTest
    @ValueSource(strings = {"purchase", "generate_lead", "custom_event_50", "a", "Order_Placed_2",
            "abcdefghijabcdefghijabcdefghijabcdefghij"})
    void validEventNames(String name) {
        assertThat(Ga4Events.isValidEventName(name)).isTrue();
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "2fast", "_private", "order placed", "order-placed", "firebase_x", "ga_event",
            "google_thing", "session_start", "user_engagement", "first_visit",
            "abcdefghijabcdefghijabcdefghijabcdefghijk"})
    void invalidEventNames(String name) {
        assertThat(Ga4Events.isValidEventName(name)).isFalse();
    }

    @Test
    void anInvalidMappedNameIsRefused() {
        Destination bad = destination(DestinationType.GA4, Map.of("measurement_id", "G"), Map.of("purchase", "Buy!"));
        assertThatThrownBy(() -> Ga4Events.request(bad, entry(purchase())))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("\"Buy!\"");
    }

    @Test
    void customParametersFollowGasLimits() {
        Map<String, Object> custom = new LinkedHashMap<>();
        custom.put("long_text", "x".repeat(150));
        custom.put("emoji", "😀".repeat(120));
        custom.put("bad name", "dropped");
        custom.put("ga_reserved", "dropped");
        custom.put("nested", Map.of("a", 1));
        custom.put("value", 999);
        for (int i = 0; i < 30; i++) custom.put("p" + i, i);
        Event e = purchase();
        Event withCustom = new Event(e.id(), e.workspaceId(), e.source(), e.requestId(), e.receivedAt(),
                e.eventTime(), e.name(), e.identifiers(), e.person(), e.context(), e.commerce(), null, false, custom,
                "{}");
        Map<String, Object> params = Ga4Events.params(entry(withCustom), "purchase");
        assertThat(params).hasSize(Ga4Events.MAX_PARAMS)
                .containsEntry("long_text", "x".repeat(100)).containsEntry("emoji", "😀".repeat(100))
                .containsEntry("value", new BigDecimal("49.90"))
                .doesNotContainKeys("bad name", "ga_reserved", "nested");
    }

    @Test
    void timestampIsMicroseconds() {
        assertThat(Ga4Events.micros(TIME)).isEqualTo(1772368245123456L);
    }
}
