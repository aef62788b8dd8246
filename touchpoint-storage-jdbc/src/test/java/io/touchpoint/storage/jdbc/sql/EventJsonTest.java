package io.touchpoint.storage.jdbc.sql;

import io.touchpoint.core.consent.Consent;
import io.touchpoint.core.consent.ConsentState;
import io.touchpoint.core.model.Campaign;
import io.touchpoint.core.model.Commerce;
import io.touchpoint.core.model.Context;
import io.touchpoint.core.model.Event;
import io.touchpoint.core.model.Identifier;
import io.touchpoint.core.model.IdentifierType;
import io.touchpoint.core.model.Item;
import io.touchpoint.core.model.Person;
import io.touchpoint.core.model.Source;
import org.junit.jupiter.api.Test;

import java.math.BigDecimal;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** The stored form of an event leaves out what is absent and reads back as the event written. */
class EventJsonTest {
    private static final Instant AT = Instant.parse("2026-11-20T12:00:00.123456789Z");

    @Test
    void aBareEventIsStoredWithoutNullsAndReadsBackEqual() {
        Event bare = new Event("evt_1", "ws_1", Source.COMETLY, "req_1", AT, AT.minusSeconds(5), "purchase", List.of(),
                null, null, null, null, false, null, null, null);
        String body = EventJson.write(bare);
        assertThat(body).doesNotContain("null").doesNotContain("\"empty\"");
        assertThat(EventJson.read(body)).isEqualTo(bare);
    }

    @Test
    void everyFieldReadsBackEqualAndNullsTheSenderWroteInItsOwnDataStay() {
        Map<String, Object> custom = new HashMap<>();
        custom.put("plan", "pro");
        custom.put("coupon", null);
        custom.put("nested", Map.of("list", List.of(1, new BigDecimal("2.5"), "x"))); // decimals read back as BigDecimal
        Map<String, Object> attributes = new HashMap<>();
        attributes.put("tier", null);
        Event full = new Event("evt_2", "ws_1", Source.PIXEL, "req_2", AT, AT, "purchase",
                List.of(new Identifier(IdentifierType.EMAIL, "jo@x.co"), new Identifier(IdentifierType.GCLID, "G1")),
                new Person("jo@x.co", "16505551212", "Jo", "Doe", "Jo Doe", attributes),
                new Context("198.51.100.9", "Mozilla/5.0", "https://shop.example/", "https://ref.example",
                        new Campaign("google", "cpc", "spring", "shoes", "a", "search", "ag-1", "ad-1", "shoes", "paid", "top"),
                        "web"),
                new Commerce(new BigDecimal("19.90"), "EUR", "o-1", "#1001", "tok",
                        List.of(new Item("Shoe", new BigDecimal("9.95"), new BigDecimal("2"), "sku-1", null))),
                "idem-1", true, custom, null,
                new Consent(ConsentState.GRANTED, ConsentState.DENIED, null, ConsentState.GRANTED, "DE-BY", true, true));
        String body = EventJson.write(full);
        assertThat(body).contains("\"coupon\":null").contains("\"tier\":null");
        assertThat(EventJson.read(body)).isEqualTo(full);
    }

    @Test
    void bodiesWrittenWithTheirNullsStillRead() {
        String old = "{\"id\":\"evt_3\",\"workspaceId\":\"ws_1\",\"source\":\"COMETLY\",\"requestId\":\"req_3\","
                + "\"receivedAt\":\"2026-11-20T12:00:00Z\",\"eventTime\":\"2026-11-20T12:00:00Z\",\"name\":\"lead\","
                + "\"identifiers\":[],\"person\":{\"email\":null,\"phone\":null,\"firstName\":null,\"lastName\":null,"
                + "\"fullName\":null,\"attributes\":{}},\"context\":{\"ip\":null,\"userAgent\":null,\"pageUrl\":null,"
                + "\"referrer\":null,\"campaign\":{\"source\":null,\"empty\":true},\"eventSource\":null},"
                + "\"commerce\":{\"value\":null,\"currency\":null,\"orderId\":null,\"orderName\":null,"
                + "\"checkoutToken\":null,\"items\":[]},\"idempotencyKey\":null,\"doNotForward\":false,\"customData\":{}}";
        Event read = EventJson.read(old);
        assertThat(read).isEqualTo(new Event("evt_3", "ws_1", Source.COMETLY, "req_3", Instant.parse("2026-11-20T12:00:00Z"),
                Instant.parse("2026-11-20T12:00:00Z"), "lead", List.of(), null, null, null, null, false, null, null, null));
        assertThat(EventJson.write(read)).doesNotContain("null").hasSizeLessThan(old.length());
    }
}
