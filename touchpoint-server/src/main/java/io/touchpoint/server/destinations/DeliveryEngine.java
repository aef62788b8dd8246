package io.touchpoint.server.destinations;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.touchpoint.core.admin.Destinations;
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
import io.touchpoint.core.stage.SequenceStage;
import io.touchpoint.core.store.Store;
import io.touchpoint.server.processing.StageRunner;
import io.touchpoint.server.destinations.platforms.Ga4Client;
import io.touchpoint.server.destinations.platforms.GoogleAdsClient;
import io.touchpoint.server.destinations.platforms.MetaClient;
import io.touchpoint.server.destinations.platforms.PlatformClient;
import io.touchpoint.server.destinations.platforms.PlatformHttp;
import io.touchpoint.server.destinations.platforms.SendResult;
import io.touchpoint.server.destinations.platforms.TikTokClient;
import io.touchpoint.server.destinations.platforms.WebhookClient;

import java.math.BigDecimal;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Supplier;

/**
 * Delivery put together: the platform clients, the delivery stage that fills the outbox and the senders that empty
 * it; started after the attribution stage and stopped after it, so what it credited is routed before shutdown.
 */
public final class DeliveryEngine implements DestinationRoutes.Delivery, AutoCloseable {
    private final Store store;
    private final Clock clock;
    private final Map<DestinationType, PlatformClient> clients = new EnumMap<>(DestinationType.class);
    private final DeliveryStage stage;
    private final StageRunner runner;
    private final DeliveryDispatcher dispatcher;

    /** @param owned Kafka mode: the ingest log partitions this process routes, those its store writer holds; else null */
    public DeliveryEngine(Store store, Destinations destinations, RetryPolicy policy, PlatformHttp http, Clock clock,
                          MeterRegistry metrics, StageRunner.Ingest ingest, Supplier<Set<Integer>> owned) {
        this.store = store;
        this.clock = clock;
        clients.put(DestinationType.META, new MetaClient(http));
        clients.put(DestinationType.GOOGLE_ADS, new GoogleAdsClient(http, clock));
        clients.put(DestinationType.TIKTOK, new TikTokClient(http));
        clients.put(DestinationType.GA4, new Ga4Client(http));
        clients.put(DestinationType.WEBHOOK, new WebhookClient(http, clock, new WebhookBodies(store)::body));
        this.dispatcher = new DeliveryDispatcher(store.destinations(), destinations, clients, policy, clock, metrics,
                new SendingPace(ingest));
        this.stage = new DeliveryStage(store.destinations(), store.stages().attribution(), store.setAside(), clock, dispatcher::wake);
        SequenceStage routing = owned == null ? stage : new DeliveryByPartition(stage, store.destinations(),
                store.stages().attribution(), store.setAside(), owned);
        this.runner = StageRunner.of(routing, metrics, ingest).settingAsideIn(store.setAside()).timed()
                .lag("Events attributed whose outbox entries are not written, set-aside ones included").build();
        Gauge.builder("touchpoint.delivery.outbox.open", store.destinations(), s -> s.openCount())
                .description("Deliveries waiting to be sent or retried").register(metrics);
        Gauge.builder("touchpoint.delivery.oldest.open.age", store.destinations(), s -> s.oldestOpenAt()
                        .map(at -> Math.max(0, Duration.between(at, clock.instant()).toMillis() / 1000.0)).orElse(0.0))
                .baseUnit("seconds")
                .description("How long the longest-waiting open delivery of any destination has waited since it was queued; 0 when none waits")
                .register(metrics);
    }

    public void start() {
        runner.start();
        dispatcher.start();
    }

    public DeliveryStage stage() {
        return stage;
    }

    public DeliveryDispatcher dispatcher() {
        return dispatcher;
    }

    @Override
    public void changed(String destinationId) {
        stage.destinationsChanged();
        runner.wake();
        dispatcher.sync();
        dispatcher.resume(destinationId);
    }

    @Override
    public SendResult test(Destinations.Opened opened, String eventName, String testEventCode) {
        Destination d = opened.destination();
        if (testEventCode != null) {
            Map<String, String> settings = new HashMap<>(d.settings());
            settings.put("test_event_code", testEventCode);
            d = new Destination(d.id(), d.workspaceId(), d.type(), d.name(), settings, d.sealedSecrets(), d.events(),
                    d.eventMap(), d.mode(), d.model(), d.baseUrl(), d.enabled(), d.createdAt(), d.updatedAt());
        }
        return clients.get(d.type()).test(d, opened.secrets(), sample(d, eventName));
    }

    /** A made-up conversion with every field a platform matches on, so the test shows what a real one would get. */
    private OutboxEntry sample(Destination d, String eventName) {
        Instant now = clock.instant();
        String id = "evt_test_" + now.toEpochMilli();
        String currency = store.workspaces().byIdOrName(d.workspaceId()).map(w -> w.settings().currency()).orElse("USD");
        Event e = new Event(id, d.workspaceId(), Source.COMETLY, "req_test", now, now, eventName,
                List.of(new Identifier(IdentifierType.EMAIL, "test@example.com"),
                        new Identifier(IdentifierType.PHONE, "16505551212"),
                        new Identifier(IdentifierType.GCLID, "Touchpoint-test-gclid"),
                        new Identifier(IdentifierType.FBP, "fb.1." + now.toEpochMilli() + ".1234567890"),
                        new Identifier(IdentifierType.TTCLID, "touchpoint-test-ttclid")),
                new Person("test@example.com", "16505551212", "Test", "Person", null, Map.of()),
                new Context("203.0.113.7", "Mozilla/5.0 (Touchpoint test event)", "https://example.com/touchpoint-test",
                        null, null, null),
                new Commerce(new BigDecimal("1.00"), currency, "test-" + now.toEpochMilli(), null, null, List.of()),
                id, false, Map.of("touchpoint_test", true), "{}");
        return new OutboxEntry(0, d.id(), d.workspaceId(), id, 0, "prf_test", id, e, Map.of(),
                io.touchpoint.core.destinations.DeliveryStatus.PENDING, null, 0, now, now);
    }

    /** Stops the stage (routing what was credited), then the senders; what is left waits in the outbox for the next start. */
    @Override
    public void close() {
        runner.close();
        dispatcher.close();
    }
}
