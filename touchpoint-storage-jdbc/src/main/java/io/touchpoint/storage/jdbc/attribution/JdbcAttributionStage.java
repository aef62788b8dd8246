package io.touchpoint.storage.jdbc.attribution;

import io.touchpoint.core.stage.AttributionStage;
import io.touchpoint.core.stage.PartitionTurns;
import io.touchpoint.core.store.SetAsideStore;
import io.touchpoint.storage.jdbc.ledger.AttributionLedger;
import io.touchpoint.storage.jdbc.ledger.GraphReads;
import io.touchpoint.storage.jdbc.ledger.JdbcSetAsideStore;
import io.touchpoint.storage.jdbc.sql.JdbcDatabase;
import io.touchpoint.storage.jdbc.sql.Rows;
import io.touchpoint.storage.jdbc.sql.Sql;

import java.util.Objects;
import java.util.OptionalLong;
import java.util.Set;
import java.util.function.Supplier;

/**
 * The attribution stage over SQL: each step is one {@link AttributionBatch} on its write transaction. In Kafka mode
 * ({@link #byPartition}) the steps take, in turn, the events stored without a partition and those of each partition
 * this process holds, each behind its own position, committed with the batch's credits.
 */
public final class JdbcAttributionStage implements AttributionStage {
    /** Events and merges per step: a step recomputes the credits of every profile they touch. */
    static final int BATCH = 200;
    private final JdbcDatabase db;
    private final JdbcSetAsideStore setAside;
    /** Kafka mode only (else null): the ingest log partitions this process steps, those its store writer holds. */
    private final Supplier<Set<Integer>> owned;
    private final PartitionTurns turns = new PartitionTurns();

    public JdbcAttributionStage(JdbcDatabase db, JdbcSetAsideStore setAside) {
        this(db, setAside, null);
    }

    private JdbcAttributionStage(JdbcDatabase db, JdbcSetAsideStore setAside, Supplier<Set<Integer>> owned) {
        this.db = db;
        this.setAside = setAside;
        this.owned = owned;
    }

    @Override
    public AttributionStage byPartition(Supplier<Set<Integer>> owned) {
        return new JdbcAttributionStage(db, setAside, Objects.requireNonNull(owned));
    }

    @Override
    public String name() {
        return SetAsideStore.Stage.ATTRIBUTION.wireName();
    }

    @Override
    public int step(int limit) {
        // derived state committed with its cursor (as the identity stage's): a commit lost to a power cut is redone
        if (owned == null) return db.writeDerived(c -> AttributionBatch.run(db, c, limit, -1, AttributionBatch.Track.EVERY));
        return turns.step(owned.get(), p -> db.writeDerived(c -> AttributionBatch.run(db, c, limit, -1, AttributionBatch.Track.of(p))));
    }

    @Override
    public int quietBatch() {
        return BATCH;
    }

    /** Every event up to this one is attributed ({@link AttributionLedger#ATTRIBUTION_FRONTIER}), in either mode. */
    @Override
    public long cursor() {
        return Sql.one(db, AttributionLedger.ATTRIBUTION_FRONTIER, rs -> rs.getLong(1)).orElseThrow();
    }

    @Override
    public long upstream() {
        return Sql.one(db, GraphReads.IDENTITY_FRONTIER, rs -> rs.getLong(1)).orElseThrow();
    }

    /** Kafka mode: the next resolved event of the track the last step was on. */
    @Override
    public OptionalLong next() {
        if (owned == null) return setAside.next(SetAsideStore.Stage.ATTRIBUTION);
        Integer partition = turns.current();
        String resolved = "SELECT MIN(e.seq) FROM events e JOIN identity_event_profiles ep ON ep.event_id = e.id";
        String sql = partition == null
                ? resolved + " WHERE e.log_partition IS NULL AND e.seq > (SELECT seq FROM attribution_cursor WHERE id = 1)"
                + " AND e.seq <= (SELECT seq FROM identity_cursor WHERE id = 1)"
                : resolved + " WHERE e.log_partition = ? AND e.seq > (SELECT seq FROM stage_partition_cursors WHERE stage = 'attribution'"
                + " AND log_partition = ?) AND e.seq <= (SELECT seq FROM stage_partition_cursors WHERE stage = 'identity'"
                + " AND log_partition = ?)";
        Object[] params = partition == null ? new Object[0] : new Object[]{partition, partition, partition};
        Long next = db.read(c -> Rows.firstLong(c, sql, params));
        return next == null ? OptionalLong.empty() : OptionalLong.of(next);
    }

    @Override
    public boolean processOne(long seq) {
        // durable: no cursor moves with it, so nothing would redo it after a power cut
        AttributionBatch.Track track = owned == null ? AttributionBatch.Track.EVERY : AttributionBatch.Track.UNPARTITIONED;
        return db.write(c -> {
            int handled = AttributionBatch.run(db, c, 1, seq, track);
            if (handled > 0) JdbcSetAsideStore.clear(c, seq, SetAsideStore.Stage.ATTRIBUTION);
            return handled;
        }) > 0;
    }
}
