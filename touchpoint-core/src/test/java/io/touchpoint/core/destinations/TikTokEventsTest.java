package io.touchpoint.core.destinations;

import io.touchpoint.core.model.Commerce;
import io.touchpoint.core.model.Item;
import org.junit.jupiter.api.Test;

import java.math.BigDecimal;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static io.touchpoint.core.destinations.SampleEntries.*;
import static org.assertj.core.api.Assertions.assertThat;

class TikTokEventsTest {
    private static final Destination TIKTOK = destination(DestinationType.TIKTOK,
            Map.of("pixel_code", "CXXXXPIXEL", "test_event_code", "TEST123"));

    @Test
    void aWebPurchaseInFull() {
        Map<String, Object> user = new LinkedHashMap<>();
        user.put("email", sha("jane.doe+shop@gmail.com"));
        user.put("phone", sha("+16505551212"));
        user.put("external_id", sha(PROFILE));
        user.put("ip", IP);
        user.put("user_agent", UA);
        user.put("ttclid", "E.C.P.xyz");
        user.put("ttp", "ttp-1");
        Map<String, Object> content = new LinkedHashMap<>();
        content.put("content_id", "SKU-1");
        content.put("content_name", "T-shirt");
        content.put("content_category", "Apparel");
        content.put("price", new BigDecimal("24.95"));
        content.put("quantity", 2L);
        Map<String, Object> properties = new LinkedHashMap<>();
        properties.put("value", new BigDecimal("49.90"));
        properties.put("currency", "USD");
        properties.put("contents", List.of(content));
        properties.put("content_type", "product");
        properties.put("order_id", "order-42");
        Map<String, Object> event = new LinkedHashMap<>();
        event.put("event", "CompletePayment");
        event.put("event_time", TIME_SECONDS);
        event.put("event_id", DEDUP);
        event.put("user", user);
        event.put("page", Map.of("url", PAGE, "referrer", REFERRER));
        event.put("properties", properties);
        Map<String, Object> expected = new LinkedHashMap<>();
        expected.put("event_source", "web");
        expected.put("event_source_id", "CXXXXPIXEL");
        expected.put("test_event_code", "TEST123");
        expected.put("data", List.of(event));

        Map<String, Object> body = TikTokEvents.request(TIKTOK, List.of(entry(purchase())));

        assertThat(body).isEqualTo(expected);
        assertThat(body.keySet()).containsExactlyElementsOf(expected.keySet());
    }

    @Test
    void emptyFieldsAreLeftOutButTheUserObjectStays() {
        Destination plain = destination(DestinationType.TIKTOK, Map.of("pixel_code", "CXXXXPIXEL"));
        Map<String, Object> body = TikTokEvents.request(plain, List.of(entry(bareLead(), null)));
        assertThat(body).containsOnlyKeys("event_source", "event_source_id", "data");
        assertThat(body.get("data")).isEqualTo(List.of(Map.of("event", "SubmitForm", "event_time", TIME_SECONDS,
                "event_id", DEDUP, "user", Map.of("email", sha("lead@example.com")))));
    }

    @Test
    void itemsWithoutAnythingToSayAreDroppedAndAValueNeedsItsCurrency() {
        Commerce c = new Commerce(BigDecimal.ONE, null, null, null, null,
                List.of(new Item(null, null, null, null, null), new Item("Mug", null, null, null, null)));
        assertThat(TikTokEvents.properties(c)).isEqualTo(Map.of("contents",
                List.of(Map.of("content_id", "Mug", "content_name", "Mug")), "content_type", "product"));
    }

    @Test
    void aDestinationsEventMapRenamesTheEvent() {
        Destination legacy = destination(DestinationType.TIKTOK, Map.of("pixel_code", "P"),
                Map.of("purchase", "CompletePayment"));
        assertThat(TikTokEvents.event(legacy, entry(purchase()))).containsEntry("event", "CompletePayment");
    }
}
