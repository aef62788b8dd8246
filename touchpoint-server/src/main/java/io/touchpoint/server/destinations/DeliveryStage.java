package io.touchpoint.server.destinations;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.touchpoint.core.attribution.models.AttributionModel;
import io.touchpoint.core.touchpoint.Platform;
import io.touchpoint.core.destinations.DeliveryMode;
import io.touchpoint.core.destinations.DeliveryRules;
import io.touchpoint.core.destinations.Destination;
import io.touchpoint.core.destinations.Enrichment;
import io.touchpoint.core.destinations.OutboxEntry;
import io.touchpoint.core.destinations.ProfileEvent;
import io.touchpoint.core.model.Event;
import io.touchpoint.core.stage.SequenceStage;
import io.touchpoint.core.store.DestinationStore;
import io.touchpoint.core.store.SetAsideStore;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.Set;

/**
 * The delivery stage, after attribution: for each event the attribution stage has committed, decides which of its
 * workspace's destinations take it, enriches it from the profile, and writes one outbox entry per (event,
 * destination) — to send, or skipped with the reason — in the transaction that moves its cursor. The senders
 * ({@link DeliveryDispatcher}) take it from there. It follows the attribution stage's cursor.
 */
public final class DeliveryStage implements SequenceStage {
    private static final Logger LOG = LoggerFactory.getLogger(DeliveryStage.class);
    public static final int DEFAULT_BATCH = 500;
    /** How far back a profile's events are read for enrichment: the longest click window of any platform. */
    static final Duration HISTORY = Duration.ofDays(90);
    /**
     * The profile's latest events read per conversion, besides those where its click ids, cookies and contact details
     * were first seen: the browser context (address, user agent, landing page) comes from these.
     */
    static final int RECENT_EVENTS = 16;
    private static final long DESTINATIONS_TTL_MILLIS = 1000;

    private final DestinationStore store;
    private final SequenceStage attribution;
    private final SetAsideStore setAside;
    private final Clock clock;
    private final Runnable enqueued;
    private List<Destination> destinations = List.of();
    private long destinationsReadAt;
    private volatile boolean destinationsStale = true;

    /**
     * @param attribution the stage this one follows
     * @param enqueued    told after a step stored entries to send (wakes the senders)
     */
    public DeliveryStage(DestinationStore store, SequenceStage attribution, SetAsideStore setAside, Clock clock, Runnable enqueued) {
        this.store = store;
        this.attribution = attribution;
        this.setAside = setAside;
        this.clock = clock;
        this.enqueued = enqueued;
    }

    @Override
    public String name() {
        return SetAsideStore.Stage.DELIVERY.wireName();
    }

    @Override
    public int quietBatch() {
        return DEFAULT_BATCH;
    }

    @Override
    public long cursor() {
        return store.cursor();
    }

    @Override
    public long upstream() {
        return attribution.cursor();
    }

    /** Handles up to {@code limit} events after the cursor; answers how many it looked at. */
    @Override
    public int step(int limit) {
        return step(store.cursor(), attribution.cursor(), limit, sequence);
    }

    /** Where a step reads its events and stores its entries: the whole sequence, or in Kafka mode one track of it. */
    interface Track {
        DestinationStore.Batch read(long from, long upTo, int limit, Wanted wanted);

        /** Stores the entries and moves the position from {@code from} to {@code to}; false when it had moved meanwhile. */
        boolean store(List<OutboxEntry> entries, long from, long to);

        /** What a step that read {@code batch} after {@code from} reports it handled. */
        int handled(long from, DestinationStore.Batch batch);
    }

    /** The whole sequence behind the stage's one cursor, without Kafka. */
    private final Track sequence = new Track() {
        @Override
        public DestinationStore.Batch read(long from, long upTo, int limit, Wanted wanted) {
            return store.routable(from, upTo, limit, wanted.names(), wanted.conversions());
        }

        @Override
        public boolean store(List<OutboxEntry> entries, long from, long to) {
            store.enqueue(entries, to);
            return true;
        }

        @Override
        public int handled(long from, DestinationStore.Batch batch) {
            return (int) Math.max(1, batch.lastSeq() - from);
        }
    };

    /** One batch of a track after {@code from} up to {@code upTo}; 0 when there was none or the position moved meanwhile. */
    int step(long from, long upTo, int limit, Track track) {
        if (from >= upTo) return 0;
        List<Destination> all = destinations();
        if (all.isEmpty()) {
            // nothing to route: the cursor keeps up without reading events
            return track.store(List.of(), from, upTo) ? (int) Math.min(Integer.MAX_VALUE, upTo - from) : 0;
        }
        DestinationStore.Batch batch = track.read(from, upTo, limit, Wanted.by(all));
        List<OutboxEntry> entries = route(batch.events(), all, clock.instant());
        if (!track.store(entries, from, batch.lastSeq())) return 0;
        if (entries.stream().anyMatch(e -> e.status().open())) enqueued.run();
        return track.handled(from, batch);
    }

    /**
     * The event a step of one would route: the first wanted one after the cursor; when even reading it fails (its
     * stored body no longer reads), the first event after the cursor, which is that one or one the step skips.
     */
    @Override
    public OptionalLong next() {
        long from = store.cursor();
        long upTo = attribution.cursor();
        try {
            Wanted wanted = Wanted.by(destinations());
            DestinationStore.Batch one = store.routable(from, upTo, 1, wanted.names(), wanted.conversions());
            if (!one.events().isEmpty()) return OptionalLong.of(one.events().get(0).seq());
        } catch (RuntimeException e) {
            LOG.debug("the next event to route does not read: {}", e.getMessage());
        }
        return setAside.next(SetAsideStore.Stage.DELIVERY);
    }

    /**
     * Routes one event out of sequence order (a set-aside event, retried, or one that an earlier stage set aside
     * and has now handled): its outbox entries are stored and its delivery set-aside record cleared, the cursor
     * stays. False when the event is not stored, or the stage has not reached it yet (it routes it in order then):
     * in Kafka mode, its partition's position has not.
     */
    @Override
    public boolean processOne(long seq) {
        if (!store.reached(seq)) return false;
        List<Destination> all = destinations();
        Wanted wanted = Wanted.by(all);
        DestinationStore.Batch batch = store.routable(seq - 1, seq, 1, wanted.names(), wanted.conversions());
        List<OutboxEntry> entries = route(batch.events(), all, clock.instant());
        store.enqueueOne(entries, seq);
        if (entries.stream().anyMatch(e -> e.status().open())) enqueued.run();
        return batch.lastSeq() == seq;
    }

    /**
     * The outbox entries of these events. What enrichment reads (each profile's events, the stored credits) is read
     * for all of them at once, one query per table, before any is routed.
     */
    List<OutboxEntry> route(List<DestinationStore.Routable> events, List<Destination> all, Instant now) {
        List<List<Destination>> targets = new ArrayList<>(events.size());
        List<DestinationStore.HistoryRead> reads = new ArrayList<>();
        Map<AttributionModel, Set<String>> attributed = new HashMap<>();
        for (DestinationStore.Routable r : events) {
            Event event = r.event();
            List<Destination> mine = all.stream().filter(d -> d.workspaceId().equals(event.workspaceId())
                    && d.takes(event.name(), r.conversion())).toList();
            targets.add(mine);
            if (mine.isEmpty()) continue;
            if (r.profileId() != null) {
                reads.add(new DestinationStore.HistoryRead(event.workspaceId(), r.profileId(), r.seq(),
                        event.eventTime().minus(HISTORY), event.eventTime()));
            }
            for (Destination d : mine) {
                if (d.mode() == DeliveryMode.ATTRIBUTED) attributed.computeIfAbsent(d.model(), m -> new HashSet<>()).add(event.id());
            }
        }
        List<List<ProfileEvent>> histories = store.profileHistories(reads, RECENT_EVENTS, Enrichment.SIGNALS);
        Map<AttributionModel, Map<String, Map<Platform, Double>>> credits = new HashMap<>();
        attributed.forEach((model, ids) -> credits.put(model, store.credits(ids, model)));
        List<OutboxEntry> out = new ArrayList<>();
        int read = 0;
        for (int i = 0; i < events.size(); i++) {
            if (targets.get(i).isEmpty()) continue;
            DestinationStore.Routable r = events.get(i);
            List<ProfileEvent> history = r.profileId() == null ? List.of() : histories.get(read++);
            route(r, targets.get(i), history, credits, now, out);
        }
        return out;
    }

    private static void route(DestinationStore.Routable r, List<Destination> targets, List<ProfileEvent> history,
                              Map<AttributionModel, Map<String, Map<Platform, Double>>> credits, Instant now,
                              List<OutboxEntry> out) {
        Event event = r.event();
        String key = DeliveryRules.dedupKey(event);
        // destinations with the same click window enrich alike, and different windows mostly too: one instance each,
        // so storing the entries writes one body and one map of field origins for them
        Map<Duration, Enrichment.Enriched> byWindow = new HashMap<>();
        List<Enrichment.Enriched> distinct = new ArrayList<>();
        for (Destination d : targets) {
            Enrichment.Enriched e = byWindow.computeIfAbsent(d.type().clickWindow(),
                    w -> shared(distinct, Enrichment.enrichFrom(event, history, w)));
            Map<Platform, Double> credit = d.mode() == DeliveryMode.ATTRIBUTED
                    ? credits.get(d.model()).getOrDefault(event.id(), Map.of()) : Map.of();
            Optional<String> skip = DeliveryRules.skipReason(d, e.event(), credit, now);
            out.add(skip.isPresent()
                    ? OutboxEntry.skipped(d.id(), d.workspaceId(), r.seq(), r.profileId(), key, e.event(), e.fields(), skip.get(), now)
                    : OutboxEntry.pending(d.id(), d.workspaceId(), r.seq(), r.profileId(), key, e.event(), e.fields(), now));
        }
    }

    /** The one already made that equals {@code e}, else {@code e} with its field origins immutable (entries keep them so). */
    private static Enrichment.Enriched shared(List<Enrichment.Enriched> distinct, Enrichment.Enriched e) {
        for (Enrichment.Enriched d : distinct) {
            if (d.equals(e)) return d;
        }
        Enrichment.Enriched made = new Enrichment.Enriched(e.event(), Map.copyOf(e.fields()));
        distinct.add(made);
        return made;
    }

    /** The event names some destination takes, and whether some destination takes every conversion. */
    record Wanted(Set<String> names, boolean conversions) {
        static Wanted by(List<Destination> all) {
            Set<String> names = new HashSet<>();
            boolean conversions = false;
            for (Destination d : all) {
                if (d.events() == null) conversions = true;
                else names.addAll(d.events());
            }
            return new Wanted(names, conversions);
        }
    }

    /** The enabled destinations, read again at most once a second (one added from the command line shows up so). */
    List<Destination> destinations() {
        long now = System.currentTimeMillis();
        if (destinationsStale || now - destinationsReadAt >= DESTINATIONS_TTL_MILLIS) {
            destinationsStale = false;
            destinations = store.enabled();
            destinationsReadAt = now;
        }
        return destinations;
    }

    /** Reads the enabled destinations afresh on the next step (one was added, changed or removed here). */
    public void destinationsChanged() {
        destinationsStale = true;
    }
}
