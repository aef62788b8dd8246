package io.touchpoint.core.store;

import io.touchpoint.core.attribution.models.AttributionModel;
import io.touchpoint.core.destinations.Delivery;
import io.touchpoint.core.destinations.DeliveryAttempt;
import io.touchpoint.core.destinations.DeliveryStatus;
import io.touchpoint.core.destinations.Destination;
import io.touchpoint.core.destinations.DestinationStats;
import io.touchpoint.core.destinations.OutboxEntry;
import io.touchpoint.core.destinations.ProfileEvent;
import io.touchpoint.core.model.Event;
import io.touchpoint.core.model.IdentifierType;
import io.touchpoint.core.touchpoint.Platform;

import java.time.Instant;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;

/**
 * Destinations, the durable outbox of their deliveries and the ledger of every attempt (docs/DESTINATIONS.md). The delivery stage
 * reads what the attribution stage has committed and writes outbox entries with its cursor in one transaction;
 * senders take due entries per destination and record each attempt.
 */
public interface DestinationStore {
    // --- destinations

    /** Stores a new destination (its id chosen by the caller). */
    void create(Destination destination);

    Optional<Destination> find(String id);

    /** The workspace's destinations, oldest first. */
    List<Destination> list(String workspaceId);

    /** Every enabled destination of every workspace: what the stage routes to and the senders serve. */
    List<Destination> enabled();

    /** Replaces the stored destination of the same id; false when there is none. */
    boolean update(Destination destination);

    /** Removes the destination and its outbox entries and ledger; false when there was none. */
    boolean delete(String id);

    // --- the delivery stage

    /** The last event sequence the delivery stage has handled. */
    long cursor();

    /** An event the stage may route: its sequence, the event, its profile (canonical id) and whether it is a conversion. */
    record Routable(long seq, Event event, String profileId, boolean conversion) {
    }

    /**
     * Up to {@code limit} events after {@code after} up to and including {@code upTo} (the attribution stage's cursor)
     * in sequence order, whose names are in {@code names} or that are conversions when {@code conversions}; with the
     * sequence of the last event looked at (which may be past the last returned, when the rest were not wanted).
     */
    Batch routable(long after, long upTo, int limit, Collection<String> names, boolean conversions);

    record Batch(List<Routable> events, long lastSeq) {
    }

    // --- the delivery stage by ingest log partition (Kafka mode): a track is a partition, or null for the events
    // stored without the log

    /** {@link #routable} of one track: the events of the partition, or those stored without the log. */
    Batch routableOn(Integer partition, long after, long upTo, int limit, Collection<String> names, boolean conversions);

    /** The stage's position on a track (the global cursor for null); empty when nothing was stored from the partition. */
    OptionalLong position(Integer partition);

    /** How far the attribution stage has gone on a track: what the delivery stage may route up to there. */
    OptionalLong attributedOn(Integer partition);

    /**
     * Stores the entries and moves the track's position from {@code from} to {@code to}, in one transaction; false,
     * storing nothing, when the position is no longer at {@code from} (another process routed that stretch).
     */
    boolean enqueueOn(Integer partition, List<OutboxEntry> entries, long from, long to);

    /** Every event up to this sequence is routed: the global cursor, and just below the first unrouted event of each partition. */
    long frontier();

    /** Whether the stage has passed the event: its partition's position, or the global cursor for an event without one. */
    boolean reached(long seq);

    /**
     * What enrichment reads the browser's click ids, cookies, address and forms from: of the profile's events (all
     * devices merged into it), its {@code recent} latest up to sequence {@code upToSeq}, and the event where each of
     * its identifiers of the {@code signals} types was first seen; those from {@code from} up to {@code to}, most
     * recent first.
     */
    default List<Event> profileEvents(String workspaceId, String profileId, long upToSeq, Instant from, Instant to, int recent,
                                      Collection<IdentifierType> signals) {
        return histories(List.of(new HistoryRead(workspaceId, profileId, upToSeq, from, to)), recent, signals).get(0);
    }

    /** One conversion's enrichment read: see {@link #profileEvents}. */
    record HistoryRead(String workspaceId, String profileId, long upToSeq, Instant from, Instant to) {
    }

    /**
     * {@link #profileEvents} for each of a step's conversions at once, answered in the order of {@code reads}: reading
     * them together costs one query per table instead of several per conversion.
     */
    List<List<Event>> histories(List<HistoryRead> reads, int recent, Collection<IdentifierType> signals);

    /**
     * {@link #histories} as enrichment reads them: of each event only what enrichment takes ({@link ProfileEvent#of}),
     * which a store can read without building the whole event, and without the event at the read's {@code upToSeq},
     * the conversion being enriched, which enrichment never takes from.
     */
    List<List<ProfileEvent>> profileHistories(List<HistoryRead> reads, int recent, Collection<IdentifierType> signals);

    /** The conversion's stored credit per platform under {@code model} (rule-based models only); empty when none. */
    default Map<Platform, Double> credits(String eventId, AttributionModel model) {
        return credits(List.of(eventId), model).getOrDefault(eventId, Map.of());
    }

    /**
     * {@link #credits(String, AttributionModel)} of several conversions at once, by event id; a conversion credited
     * nothing has no entry.
     */
    Map<String, Map<Platform, Double>> credits(Collection<String> eventIds, AttributionModel model);

    /**
     * Stores the entries (an entry whose (destination, event) is already in the outbox is left as it is) and moves the
     * stage's cursor to {@code cursor}, in one transaction.
     */
    void enqueue(List<OutboxEntry> entries, long cursor);

    /**
     * Stores the entries of one event handled out of sequence order (a set-aside event, retried) and clears the
     * event's set-aside record of the delivery stage, in one transaction; the cursor stays.
     */
    void enqueueOne(List<OutboxEntry> entries, long seq);

    // --- senders

    /** Open entries of the destination due at {@code now}, oldest first, at most {@code limit}. */
    List<OutboxEntry> due(String destinationId, Instant now, int limit);

    /** When the destination's next open entry is due; empty when it has none. */
    Optional<Instant> nextDue(String destinationId);

    /** Records each attempt in the ledger and moves its entry to the attempt's outcome, in one transaction. */
    void record(List<DeliveryAttempt> attempts);

    // --- what users see

    /** The deliveries of these events (events-log entries, receipts), grouped by event id. */
    Map<String, List<Delivery>> deliveries(String workspaceId, Collection<String> eventIds);

    /** The destination's most recent deliveries, optionally of one status, newest first. */
    List<Delivery> recent(String destinationId, DeliveryStatus status, int limit);

    /** One outbox entry's delivery, by its id. */
    Optional<Delivery> delivery(long outboxId);

    /** Every attempt of one outbox entry, oldest first. */
    List<DeliveryAttempt> attempts(long outboxId);

    DestinationStats stats(String destinationId);

    /** Open entries across all destinations (the delivery backlog metric). */
    long openCount();

    /** When the longest-waiting open entry of any destination was first queued; empty when none is open. */
    Optional<Instant> oldestOpenAt();

    // --- retention

    /**
     * Removes up to {@code limit} finished entries (sent, skipped or dead) last moved before {@code before}, oldest
     * first, with their attempts and the payloads no entry sends any more, in one transaction; returns how many
     * entries went. Open entries stay whatever their age.
     */
    int purgeFinished(Instant before, int limit);

    // --- replay

    /**
     * Puts the destination's entries back to pending, due at {@code now}, with their tries counted afresh: those of
     * the given events, or of the given status, or whose event time is in [from, to). Returns how many.
     */
    int replay(String destinationId, Replay selection, Instant now);

    /** Which entries a replay takes: exactly one of the three is set. */
    record Replay(List<String> eventIds, DeliveryStatus status, Instant from, Instant to) {
        public static Replay events(List<String> ids) {
            return new Replay(List.copyOf(ids), null, null, null);
        }

        public static Replay status(DeliveryStatus status) {
            return new Replay(null, status, null, null);
        }

        public static Replay range(Instant from, Instant to) {
            return new Replay(null, null, from, to);
        }
    }
}
