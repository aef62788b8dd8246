package io.touchpoint.tests;

import io.touchpoint.core.auth.Ids;
import io.touchpoint.core.model.ApiToken;
import io.touchpoint.core.model.Campaign;
import io.touchpoint.core.model.Commerce;
import io.touchpoint.core.model.Context;
import io.touchpoint.core.model.Event;
import io.touchpoint.core.model.Identifier;
import io.touchpoint.core.model.IdentifierType;
import io.touchpoint.core.model.Item;
import io.touchpoint.core.model.Person;
import io.touchpoint.core.model.Scope;
import io.touchpoint.core.model.Source;
import io.touchpoint.core.model.Workspace;
import io.touchpoint.core.model.WorkspaceSettings;
import io.touchpoint.core.store.EventLogEntry;
import io.touchpoint.core.store.IngestRecord;

import java.math.BigDecimal;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicLong;

/** Test data shared by the contract suites and the server's tests. */
public final class Fixtures {
    /** Millisecond precision: what every store keeps for indexed times. */
    public static final Instant T0 = Instant.parse("2026-03-01T10:00:00.123Z");

    private Fixtures() {
    }

    private static final AtomicLong CREATED = new AtomicLong();

    /** A workspace created a millisecond after the previous one, so creation order is well defined. */
    public static Workspace workspace(String name) {
        return new Workspace(Ids.workspace(), name, "px_" + name, T0.plusMillis(CREATED.incrementAndGet()),
                new WorkspaceSettings("Europe/Paris", "EUR", "FR", 1000));
    }

    public static ApiToken token(Workspace w, Set<Scope> scopes) {
        return new ApiToken(Ids.token(), w.id(), "ci", "tp_abcdefgh", scopes, T0, null, null);
    }

    /** A canonical event with every part filled, so round trips show any field a store drops. */
    public static Event fullEvent(Workspace w, String idempotencyKey) {
        Map<String, Object> custom = new LinkedHashMap<>();
        custom.put("coupon", "SPRING");
        custom.put("nested", Map.of("a", List.of(1, 2, 3)));
        Map<String, Object> lead = new LinkedHashMap<>();
        lead.put("company", "Acme");
        return new Event(Ids.event(), w.id(), Source.COMETLY, "req_fixture", T0, T0.minus(1, ChronoUnit.HOURS),
                "purchase",
                List.of(new Identifier(IdentifierType.EMAIL, "jane@example.com"),
                        new Identifier(IdentifierType.PHONE, "16505551212"),
                        new Identifier(IdentifierType.GCLID, "Cj0KCQ")),
                new Person("jane@example.com", "16505551212", "Jane", "Doe", null, lead),
                new Context("203.0.113.9", "Mozilla/5.0", "https://shop.example/checkout", "https://google.com/",
                        new Campaign("google", "cpc", "spring", "shoes", "ad1", null, null, "123", null, null, null),
                        "checkout-form"),
                new Commerce(new BigDecimal("49.90"), "EUR", "order-1", "#1001", "chk_1",
                        List.of(new Item("Shoe", new BigDecimal("24.95"), new BigDecimal("2"), "SKU1", "Footwear"))),
                idempotencyKey, true, custom, "{\"event_name\":\"purchase\"}");
    }

    public static EventLogEntry acceptedLog(Event e, String requestId, int index) {
        return new EventLogEntry(0, requestId, index, e.workspaceId(), e.receivedAt(), "/public-api/v1/events",
                e.source().wireName(), EventLogEntry.Outcome.ACCEPTED, 202, null, null, null, e.name(),
                e.person().email(), e.id(), e.rawPayload());
    }

    /** {@code e} accepted in request {@code requestId}, which its log entry and the stored event both name. */
    public static IngestRecord accepted(Event e, String requestId) {
        Event in = requestId.equals(e.requestId()) ? e : new Event(e.id(), e.workspaceId(), e.source(), requestId,
                e.receivedAt(), e.eventTime(), e.name(), e.identifiers(), e.person(), e.context(), e.commerce(),
                e.idempotencyKey(), e.doNotForward(), e.customData(), e.rawPayload(), e.consent());
        return new IngestRecord(acceptedLog(in, requestId, 0), in);
    }

    public static IngestRecord rejected(Workspace w, String requestId, Instant at, String eventName, String email) {
        return IngestRecord.rejected(new EventLogEntry(0, requestId, 0, w == null ? null : w.id(), at,
                "/public-api/v1/events", "cometly", EventLogEntry.Outcome.REJECTED, 422, "invalid_value", "email",
                "email is not a valid email address", eventName, email, null, "{\"email\":\"x\"}"));
    }
}
