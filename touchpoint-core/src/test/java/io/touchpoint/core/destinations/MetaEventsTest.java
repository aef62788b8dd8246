package io.touchpoint.core.destinations;

import io.touchpoint.core.model.Commerce;
import io.touchpoint.core.model.Context;
import io.touchpoint.core.model.Event;
import io.touchpoint.core.model.Identifier;
import io.touchpoint.core.model.IdentifierType;
import io.touchpoint.core.model.Person;
import io.touchpoint.core.model.Source;
import org.junit.jupiter.api.Test;

import java.math.BigDecimal;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static io.touchpoint.core.destinations.SampleEntries.*;
import static org.assertj.core.api.Assertions.assertThat;

class MetaEventsTest {
    private static final Destination META = destination(DestinationType.META, Map.of("pixel_id", "123"));

    @Test
    void aWebPurchaseInFull() {
        Map<String, Object> user = new LinkedHashMap<>();
        user.put("em", List.of(sha("jane.doe+shop@gmail.com")));
        user.put("ph", List.of(sha("16505551212")));
        user.put("fn", List.of(sha("jane")));
        user.put("ln", List.of(sha("doe")));
        user.put("ct", List.of(sha("menlopark")));
        user.put("st", List.of(sha("ca")));
        user.put("zp", List.of(sha("94025")));
        user.put("country", List.of(sha("us")));
        user.put("external_id", List.of(sha(PROFILE)));
        user.put("client_ip_address", IP);
        user.put("client_user_agent", UA);
        user.put("fbc", "fb.1.1772368245123.AbCdEf");
        user.put("fbp", FBP);
        Map<String, Object> custom = new LinkedHashMap<>();
        custom.put("value", new BigDecimal("49.90"));
        custom.put("currency", "USD");
        custom.put("order_id", "order-42");
        custom.put("contents", List.of(Map.of("id", "SKU-1", "quantity", 2L, "item_price", new BigDecimal("24.95"))));
        custom.put("content_ids", List.of("SKU-1"));
        custom.put("content_type", "product");
        custom.put("num_items", 2L);
        custom.put("coupon", "SPRING");
        Map<String, Object> expected = new LinkedHashMap<>();
        expected.put("event_name", "Purchase");
        expected.put("event_time", TIME_SECONDS);
        expected.put("event_id", DEDUP);
        expected.put("action_source", "website");
        expected.put("event_source_url", PAGE);
        expected.put("user_data", user);
        expected.put("custom_data", custom);

        Map<String, Object> event = MetaEvents.event(META, entry(purchase()));

        assertThat(event).isEqualTo(expected);
        assertThat(event.keySet()).containsExactlyElementsOf(expected.keySet());
    }

    @Test
    void theRequestCarriesEveryEventAndTheTestCodeButNoToken() {
        Destination testing = destination(DestinationType.META, Map.of("pixel_id", "123", "test_event_code", "TEST42"));
        Map<String, Object> body = MetaEvents.request(testing, List.of(entry(purchase()), entry(bareLead())));
        assertThat(body).containsOnlyKeys("data", "test_event_code").containsEntry("test_event_code", "TEST42");
        assertThat((List<?>) body.get("data")).hasSize(2);
        assertThat(MetaEvents.request(META, List.of(entry(bareLead())))).containsOnlyKeys("data");
    }

    @Test
    void emptyFieldsAreLeftOut() {
        Map<String, Object> event = MetaEvents.event(META, entry(bareLead(), null));
        assertThat(event).containsOnlyKeys("event_name", "event_time", "event_id", "action_source", "user_data");
        assertThat(event).containsEntry("event_name", "Lead").containsEntry("action_source", "system_generated");
        assertThat(event.get("user_data")).isEqualTo(Map.of("em", List.of(sha("lead@example.com"))));
    }

    @Test
    void aServerEventTakesTheConfiguredActionSource() {
        Destination crm = destination(DestinationType.META, Map.of("pixel_id", "1", "action_source", "physical_store"));
        assertThat(MetaEvents.event(crm, entry(bareLead()))).containsEntry("action_source", "physical_store");
    }

    @Test
    void browserSignalsMakeAWebsiteEventOnlyWithAUserAgent() {
        Event pixel = new Event("evt_3", "ws_1", Source.PIXEL, "req_3", TIME, TIME, "page_view",
                List.of(new Identifier(IdentifierType.FBP, FBP)), null,
                new Context(IP, UA, null, null, null, null), null, null, false, null, "{}");
        assertThat(MetaEvents.actionSource(META, pixel)).isEqualTo("website");
        Event noAgent = new Event("evt_4", "ws_1", Source.COMETLY, "req_4", TIME, TIME, "purchase",
                List.of(new Identifier(IdentifierType.FBC, "fb.1.1.x")), null, null, null, null, false, null, "{}");
        assertThat(MetaEvents.actionSource(META, noAgent)).isEqualTo("system_generated");
    }

    @Test
    void theFbcCookieIsPreferredToOneBuiltFromTheClickId() {
        Event both = withIdentifiers(purchase(), List.of(new Identifier(IdentifierType.FBCLID, "AbCdEf"),
                new Identifier(IdentifierType.FBC, "fb.1.1554763741205.AbCdEf")));
        assertThat(MetaEvents.fbc(both)).isEqualTo("fb.1.1554763741205.AbCdEf");
        assertThat(MetaEvents.fbc(bareLead())).isNull();
        // an _fbc cookie passed as the fbclid is not wrapped a second time
        Event cookieAsClickId = withIdentifiers(purchase(), List.of(new Identifier(IdentifierType.FBCLID, "fb.1.1554763741205.AbCdEf")));
        assertThat(MetaEvents.fbc(cookieAsClickId)).isEqualTo("fb.1.1554763741205.AbCdEf");
        Event bare = withIdentifiers(purchase(), List.of(new Identifier(IdentifierType.FBCLID, "AbCdEf")));
        assertThat(MetaEvents.fbc(bare)).isEqualTo("fb.1." + bare.eventTime().toEpochMilli() + ".AbCdEf");
    }

    @Test
    void aValueWithoutCurrencyIsNotSentAndCustomDataNeverOverridesStandardFields() {
        Event e = withCommerce(purchase(), new Commerce(BigDecimal.TEN, null, null, null, null, List.of()));
        Event withClash = new Event(e.id(), e.workspaceId(), e.source(), e.requestId(), e.receivedAt(),
                e.eventTime(), e.name(), e.identifiers(), e.person(), e.context(), purchase().commerce(), null, false,
                Map.of("currency", "EUR", "note", "", "tier", "gold"), "{}");
        assertThat(MetaEvents.customData(e)).isEqualTo(Map.of("coupon", "SPRING"));
        assertThat(MetaEvents.customData(withClash)).containsEntry("currency", "USD")
                .containsEntry("tier", "gold").doesNotContainKey("note");
    }

    @Test
    void aFullNameIsSplitWhenFirstAndLastAreMissing() {
        Event e = purchase();
        Event named = new Event(e.id(), e.workspaceId(), e.source(), e.requestId(), e.receivedAt(), e.eventTime(),
                e.name(), e.identifiers(), new Person(null, null, null, null, " Jane Q. Doe ", null), e.context(),
                e.commerce(), null, false, null, "{}");
        Map<?, ?> user = MetaEvents.userData(entry(named));
        assertThat(user.get("fn")).isEqualTo(List.of(sha("jane")));
        assertThat(user.get("ln")).isEqualTo(List.of(sha("doe")));
    }
}
