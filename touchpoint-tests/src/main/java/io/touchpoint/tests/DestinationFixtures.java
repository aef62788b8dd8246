package io.touchpoint.tests;

import io.touchpoint.core.attribution.models.AttributionModel;
import io.touchpoint.core.auth.Ids;
import io.touchpoint.core.destinations.Delivery;
import io.touchpoint.core.destinations.DeliveryAttempt;
import io.touchpoint.core.destinations.DeliveryMode;
import io.touchpoint.core.destinations.DeliveryStatus;
import io.touchpoint.core.destinations.Destination;
import io.touchpoint.core.destinations.DestinationType;
import io.touchpoint.core.destinations.OutboxEntry;
import io.touchpoint.core.model.Commerce;
import io.touchpoint.core.model.Context;
import io.touchpoint.core.model.Event;
import io.touchpoint.core.model.Identifier;
import io.touchpoint.core.model.IdentifierType;
import io.touchpoint.core.model.Person;
import io.touchpoint.core.model.Source;
import io.touchpoint.core.model.Workspace;
import io.touchpoint.core.store.Store;

import java.math.BigDecimal;
import java.time.Duration;
import java.time.Instant;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;

/** The destination suite's test data: destinations, events ingested and processed, outbox entries and attempts. */
final class DestinationFixtures {
    static final String META_AD = "https://shop.example/?utm_source=facebook&utm_medium=paid_social&utm_campaign=spring&fbclid=F1";
    static final String GOOGLE_AD = "https://shop.example/?gclid=G1";
    private static final AtomicLong CREATED = new AtomicLong();
    private final Store store;
    private final Workspace ws;
    private int n;

    DestinationFixtures(Store store, Workspace ws) {
        this.store = store;
        this.ws = ws;
    }

    static Identifier id(IdentifierType t, String v) {
        return new Identifier(t, v);
    }

    /** A destination created a millisecond after the previous one, so "oldest first" is well defined. */
    Destination destination(Workspace w, String name, DestinationType type, boolean enabled) {
        long k = CREATED.incrementAndGet();
        return new Destination("dst_" + k + "_" + Ids.event().substring(4), w.id(), type, name,
                Map.of("pixel_id", "1234"), "v1:k1:sealed", List.of("purchase", "lead_generated"),
                Map.of("lead_generated", "Lead"), DeliveryMode.ATTRIBUTED, AttributionModel.LINEAR, null, enabled,
                Fixtures.T0.plusMillis(k), null);
    }

    /** A Meta destination of the suite's workspace, stored. */
    Destination create(String name) {
        return create(name, DestinationType.META);
    }

    Destination create(String name, DestinationType type) {
        Destination d = destination(ws, name, type, true);
        store.destinations().create(d);
        return d;
    }

    /**
     * Commits one event the way the ingest writer does. It has no raw payload: the events log keeps that, and the
     * delivery stage reads events without it.
     */
    Event ingest(String name, Duration at, String pageUrl, String value, Identifier... ids) {
        n++;
        Event e = new Event(Ids.event(), ws.id(), Source.ABLE, "req_" + n, Fixtures.T0.plus(at), Fixtures.T0.plus(at), name,
                List.of(ids), Person.EMPTY, new Context(null, null, pageUrl, null, null, null),
                value == null ? null : new Commerce(new BigDecimal(value), "EUR", null, null, null, List.of()),
                null, false, null, null);
        store.ingest().commit(List.of(Fixtures.accepted(e, "req_" + n)));
        return e;
    }

    /** Runs the identity and attribution stages until both are caught up. */
    void processAll() {
        while (store.stages().identity().step(100) > 0 | store.stages().attribution().step(100) > 0) {
            // until both stages are caught up
        }
    }

    /** An event for the outbox alone (the outbox keeps its own copy; it need not be in the events table). */
    Event event(String name, Duration at) {
        n++;
        return new Event(Ids.event(), ws.id(), Source.ABLE, "req_" + n, Fixtures.T0.plus(at), Fixtures.T0.plus(at), name,
                List.of(id(IdentifierType.EMAIL, "kim@shop.io")), new Person("kim@shop.io", null, "Kim", null, null, null),
                null, new Commerce(new BigDecimal("12.50"), "EUR", "o-" + n, null, null, List.of()), null, false,
                Map.of("coupon", "SPRING"), null);
    }

    OutboxEntry pending(Destination d, Event e, Instant at) {
        return OutboxEntry.pending(d.id(), ws.id(), 1, "prof_1", "dd_" + e.id(), e, Map.of("email", "event", "fbc", "profile"), at);
    }

    static DeliveryAttempt sent(long outboxId, Instant at) {
        return new DeliveryAttempt(outboxId, at, 200, "{\"events_received\":1}", DeliveryStatus.SENT, null, null);
    }

    /** The event's delivery to the destination, as users see it. */
    Delivery delivery(Destination d, Event e) {
        return store.destinations().deliveries(ws.id(), List.of(e.id())).getOrDefault(e.id(), List.of()).stream()
                .filter(x -> x.destinationId().equals(d.id())).findFirst().orElseThrow();
    }

    /** Counts in DeliveryStatus order: pending, retrying, sent, skipped, dead. */
    static Map<DeliveryStatus, Long> counts(long... perStatus) {
        Map<DeliveryStatus, Long> out = new EnumMap<>(DeliveryStatus.class);
        for (DeliveryStatus s : DeliveryStatus.values()) out.put(s, perStatus[s.ordinal()]);
        return out;
    }
}
