package io.touchpoint.storage.jdbc.attribution;

import io.touchpoint.core.stage.AttributionStage;
import io.touchpoint.core.store.SetAsideStore;
import io.touchpoint.storage.jdbc.ledger.GraphReads;
import io.touchpoint.storage.jdbc.ledger.JdbcSetAsideStore;
import io.touchpoint.storage.jdbc.sql.JdbcDatabase;
import io.touchpoint.storage.jdbc.sql.Sql;

import java.util.OptionalLong;

/** The attribution stage over SQL: each step is one {@link AttributionBatch} on its write transaction. */
public final class JdbcAttributionStage implements AttributionStage {
    /** Events and merges per step: a step recomputes the credits of every profile they touch. */
    static final int BATCH = 200;
    private final JdbcDatabase db;
    private final JdbcSetAsideStore setAside;

    public JdbcAttributionStage(JdbcDatabase db, JdbcSetAsideStore setAside) {
        this.db = db;
        this.setAside = setAside;
    }

    @Override
    public String name() {
        return SetAsideStore.Stage.ATTRIBUTION.wireName();
    }

    @Override
    public int step(int limit) {
        // derived state committed with its cursor (as the identity stage's): a commit lost to a power cut is redone
        return db.writeDerived(c -> AttributionBatch.run(db, c, limit, -1));
    }

    @Override
    public int quietBatch() {
        return BATCH;
    }

    @Override
    public long cursor() {
        return Sql.one(db, "SELECT seq FROM attribution_cursor WHERE id = 1", rs -> rs.getLong(1)).orElseThrow();
    }

    @Override
    public long upstream() {
        return Sql.one(db, GraphReads.IDENTITY_FRONTIER, rs -> rs.getLong(1)).orElseThrow();
    }

    @Override
    public OptionalLong next() {
        return setAside.next(SetAsideStore.Stage.ATTRIBUTION);
    }

    @Override
    public boolean processOne(long seq) {
        // durable: no cursor moves with it, so nothing would redo it after a power cut
        return db.write(c -> {
            int handled = AttributionBatch.run(db, c, 1, seq);
            if (handled > 0) JdbcSetAsideStore.clear(c, seq, SetAsideStore.Stage.ATTRIBUTION);
            return handled;
        }) > 0;
    }
}
