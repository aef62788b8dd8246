package io.touchpoint.core.destinations;

import io.touchpoint.core.model.Campaign;
import io.touchpoint.core.model.Commerce;
import io.touchpoint.core.model.Context;
import io.touchpoint.core.model.Event;
import io.touchpoint.core.model.Identifier;
import io.touchpoint.core.model.IdentifierType;
import io.touchpoint.core.model.Item;
import io.touchpoint.core.model.Person;
import io.touchpoint.core.model.Source;

import java.math.BigDecimal;
import java.time.Instant;
import java.util.List;
import java.util.Map;

/** A web purchase with every field the request builders read, a bare server-side lead, and their outbox entries. */
final class SampleEntries {
    static final Instant TIME = Instant.parse("2026-03-01T12:30:45.123456Z");
    static final long TIME_SECONDS = 1772368245L;
    static final String PROFILE = "prf_01JD2Y6Q1ZK3V6M8P0R7T9W2XA";
    static final String DEDUP = "dk_purchase_1";
    static final String PAGE = "https://shop.example/thanks";
    static final String REFERRER = "https://shop.example/cart";
    static final String IP = "203.0.113.9";
    static final String UA = "Mozilla/5.0 (Macintosh; Intel Mac OS X 14_0)";
    static final String FBP = "fb.1.1596403881668.1116446470";
    static final Item SHIRT = new Item("T-shirt", new BigDecimal("24.95"), new BigDecimal("2"), "SKU-1", "Apparel");

    private SampleEntries() {
    }

    static Event purchase() {
        List<Identifier> ids = List.of(
                new Identifier(IdentifierType.EMAIL, "jane.doe+shop@gmail.com"),
                new Identifier(IdentifierType.PHONE, "16505551212"),
                new Identifier(IdentifierType.GCLID, "gclid-123"),
                new Identifier(IdentifierType.FBCLID, "AbCdEf"),
                new Identifier(IdentifierType.FBP, FBP),
                new Identifier(IdentifierType.TTCLID, "E.C.P.xyz"),
                new Identifier(IdentifierType.TTP, "ttp-1"),
                new Identifier(IdentifierType.GA_COOKIE, "GA1.1.777.888"));
        Person person = new Person("jane.doe+shop@gmail.com", "16505551212", "Jane", "Doe", null,
                Map.of("city", "Menlo Park", "state", "California", "zip", "94025-1234", "country", "US"));
        Context context = new Context(IP, UA, PAGE, REFERRER, Campaign.NONE, PAGE);
        Commerce commerce = new Commerce(new BigDecimal("49.90"), "USD", "order-42", null, null, List.of(SHIRT));
        return new Event("evt_1", "ws_1", Source.COMETLY, "req_1", TIME, TIME, "purchase", ids, person, context,
                commerce, null, false, Map.of("coupon", "SPRING"), "{}");
    }

    /** A lead from a server integration: an email and nothing else. */
    static Event bareLead() {
        return new Event("evt_2", "ws_1", Source.ABLE, "req_2", TIME, TIME, "lead_generated",
                List.of(new Identifier(IdentifierType.EMAIL, "lead@example.com")), null, null, null, null, false,
                null, "{}");
    }

    static Event withIdentifiers(Event e, List<Identifier> ids) {
        return new Event(e.id(), e.workspaceId(), e.source(), e.requestId(), e.receivedAt(), e.eventTime(), e.name(),
                ids, e.person(), e.context(), e.commerce(), e.idempotencyKey(), e.doNotForward(), e.customData(),
                e.rawPayload());
    }

    static Event withCommerce(Event e, Commerce c) {
        return new Event(e.id(), e.workspaceId(), e.source(), e.requestId(), e.receivedAt(), e.eventTime(), e.name(),
                e.identifiers(), e.person(), e.context(), c, e.idempotencyKey(), e.doNotForward(), e.customData(),
                e.rawPayload());
    }

    static OutboxEntry entry(Event event) {
        return entry(event, PROFILE);
    }

    static OutboxEntry entry(Event event, String profileId) {
        return OutboxEntry.pending("dst_1", "ws_1", 7, profileId, DEDUP, event, Map.of(), TIME);
    }

    static Destination destination(DestinationType type, Map<String, String> settings) {
        return destination(type, settings, Map.of());
    }

    static Destination destination(DestinationType type, Map<String, String> settings, Map<String, String> eventMap) {
        return new Destination("dst_1", "ws_1", type, type.wireName(), settings, null, null, eventMap, null, null,
                null, true, TIME, TIME);
    }

    static String sha(String s) {
        return MatchKeys.sha256(s);
    }
}
