package io.touchpoint.storage.jdbc.delivery;

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
import io.touchpoint.core.store.DestinationStore;
import io.touchpoint.core.store.SetAsideStore;
import io.touchpoint.core.touchpoint.Platform;
import io.touchpoint.storage.jdbc.ledger.JdbcSetAsideStore;
import io.touchpoint.storage.jdbc.sql.JdbcDatabase;
import io.touchpoint.storage.jdbc.sql.Rows;

import java.time.Instant;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;

/**
 * Destinations, their outbox and ledger over the SQL SQLite and PostgreSQL share. The delivery stage's entries and the
 * senders' attempts are committed as {@link JdbcDatabase#writeDerived} (on SQLite, without waiting for the disk), so
 * they never make an acknowledgement wait. That is safe because commits reach the disk in order: a power cut loses at
 * most the latest of them, together with the cursor they moved, and the stage routes those events again and the
 * senders send them again with the same deduplication key, which the platforms count once. Settings, removals and
 * replays, which a person asked for, are durable commits.
 */
public final class JdbcDestinationStore implements DestinationStore {
    private final JdbcDatabase db;

    public JdbcDestinationStore(JdbcDatabase db) {
        this.db = db;
    }

    @Override
    public void create(Destination destination) {
        db.write(c -> {
            DestinationRows.insert(c, destination);
            return null;
        });
    }

    @Override
    public Optional<Destination> find(String id) {
        return db.read(c -> DestinationRows.find(c, id));
    }

    @Override
    public List<Destination> list(String workspaceId) {
        return db.read(c -> DestinationRows.ofWorkspace(c, workspaceId));
    }

    @Override
    public List<Destination> enabled() {
        return db.read(DestinationRows::enabled);
    }

    /** Matched on id and workspace: a destination never moves to another workspace. */
    @Override
    public boolean update(Destination destination) {
        return db.write(c -> DestinationRows.update(c, destination));
    }

    @Override
    public boolean delete(String id) {
        return db.write(c -> DestinationRows.delete(c, id));
    }

    @Override
    public long cursor() {
        return db.read(c -> Statements.list(c, "SELECT seq FROM delivery_cursor WHERE id = 1", rs -> rs.getLong(1)).get(0));
    }

    @Override
    public Batch routable(long after, long upTo, int limit, Collection<String> names, boolean conversions) {
        return db.read(c -> StageReads.routable(c, after, upTo, limit, names, conversions));
    }

    @Override
    public Batch routableOn(Integer partition, long after, long upTo, int limit, Collection<String> names, boolean conversions) {
        return db.read(c -> StageReads.routableOn(c, partition, after, upTo, limit, names, conversions));
    }

    @Override
    public OptionalLong position(Integer partition) {
        Long seq = db.read(c -> PartitionPositions.position(c, partition));
        return seq == null ? OptionalLong.empty() : OptionalLong.of(seq);
    }

    @Override
    public OptionalLong attributedOn(Integer partition) {
        Long seq = db.read(c -> PartitionPositions.attributed(c, partition));
        return seq == null ? OptionalLong.empty() : OptionalLong.of(seq);
    }

    @Override
    public long frontier() {
        return db.read(c -> Rows.firstLong(c, PartitionPositions.FRONTIER));
    }

    @Override
    public boolean reached(long seq) {
        return db.read(c -> PartitionPositions.reached(c, seq));
    }

    @Override
    public List<List<Event>> histories(List<HistoryRead> reads, int recent, Collection<IdentifierType> signals) {
        if (reads.isEmpty()) return List.of();
        return db.read(c -> EnrichmentReads.histories(c, db.dialect().inProcess(), reads, recent, wireNames(signals)));
    }

    @Override
    public List<List<ProfileEvent>> profileHistories(List<HistoryRead> reads, int recent, Collection<IdentifierType> signals) {
        if (reads.isEmpty()) return List.of();
        return db.read(c -> EnrichmentReads.histories(c, db.dialect().inProcess(), reads, recent, wireNames(signals),
                ProfileEventJson::read, false));
    }

    private static List<String> wireNames(Collection<IdentifierType> types) {
        return types.stream().map(IdentifierType::wireName).toList();
    }

    @Override
    public Map<String, Map<Platform, Double>> credits(Collection<String> eventIds, AttributionModel model) {
        StageReads.checkRuleBased(model);
        if (eventIds.isEmpty()) return Map.of();
        return db.read(c -> StageReads.credits(c, eventIds, model));
    }

    @Override
    public void enqueueOne(List<OutboxEntry> entries, long seq) {
        Payloads.Plan plan = Payloads.plan(entries);
        db.write(c -> {
            OutboxRows.enqueue(c, entries, plan, -1); // -1: the cursor stays
            JdbcSetAsideStore.clear(c, seq, SetAsideStore.Stage.DELIVERY);
            return null;
        });
    }

    @Override
    public void enqueue(List<OutboxEntry> entries, long cursor) {
        Payloads.Plan plan = Payloads.plan(entries); // pure CPU: done before the write lock is taken
        db.writeDerived(c -> {
            OutboxRows.enqueue(c, entries, plan, cursor);
            PartitionPositions.followGlobal(c, cursor);
            return null;
        });
    }

    /** Committed as {@link #enqueue} is: a commit lost to a power cut leaves the position where it was, and the track routes again. */
    @Override
    public boolean enqueueOn(Integer partition, List<OutboxEntry> entries, long from, long to) {
        Payloads.Plan plan = Payloads.plan(entries);
        return db.writeDerived(c -> {
            if (!PartitionPositions.claim(c, partition, from, to)) return false;
            OutboxRows.enqueue(c, entries, plan, -1); // -1: the claim moved the position
            return true;
        });
    }

    @Override
    public List<OutboxEntry> due(String destinationId, Instant now, int limit) {
        return db.read(c -> OutboxRows.due(c, destinationId, now, limit));
    }

    @Override
    public Optional<Instant> nextDue(String destinationId) {
        return Optional.ofNullable(db.read(c -> OutboxRows.nextDue(c, destinationId)));
    }

    @Override
    public void record(List<DeliveryAttempt> attempts) {
        if (attempts.isEmpty()) return;
        db.writeDerived(c -> {
            LedgerRows.record(c, attempts);
            return null;
        });
    }

    @Override
    public Map<String, List<Delivery>> deliveries(String workspaceId, Collection<String> eventIds) {
        if (eventIds.isEmpty()) return Map.of();
        return db.read(c -> OutboxRows.deliveries(c, workspaceId, List.copyOf(eventIds)));
    }

    @Override
    public List<Delivery> recent(String destinationId, DeliveryStatus status, int limit) {
        return db.read(c -> OutboxRows.recent(c, destinationId, status, limit));
    }

    @Override
    public java.util.Optional<Delivery> delivery(long outboxId) {
        return db.read(c -> OutboxRows.one(c, outboxId));
    }

    @Override
    public List<DeliveryAttempt> attempts(long outboxId) {
        return db.read(c -> LedgerRows.attempts(c, outboxId));
    }

    @Override
    public DestinationStats stats(String destinationId) {
        return db.read(c -> LedgerRows.stats(c, destinationId));
    }

    @Override
    public long openCount() {
        return db.read(OutboxRows::openCount);
    }

    @Override
    public Optional<Instant> oldestOpenAt() {
        return Optional.ofNullable(db.read(OutboxRows::oldestOpenAt));
    }

    /** A derived commit like the attempts': a purge a power cut undoes is done again at the next turn. */
    @Override
    public int purgeFinished(Instant before, int limit) {
        return db.writeDerived(c -> LedgerRetention.purge(c, before, limit));
    }

    @Override
    public int replay(String destinationId, Replay selection, Instant now) {
        OutboxRows.check(selection);
        return db.write(c -> OutboxRows.replay(c, destinationId, selection, now));
    }
}
