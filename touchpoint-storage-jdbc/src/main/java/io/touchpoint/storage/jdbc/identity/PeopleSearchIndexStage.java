package io.touchpoint.storage.jdbc.identity;

import io.touchpoint.core.stage.Stage;
import io.touchpoint.storage.jdbc.sql.JdbcDatabase;
import io.touchpoint.storage.jdbc.sql.Rows;

/**
 * The people search's index stage: where the database's trigram index costs far less written in large batches
 * (SQLite's FTS5, {@link io.touchpoint.storage.jdbc.sql.SqlDialect#linkSearchPending}), the identity stage's new
 * links wait in {@code identity_link_search_pending}, and each step moves the oldest of them into the index. A search
 * reads the waiting links too, so it never waits for this stage. Where the database keeps the index itself, a step has
 * nothing to do.
 */
public final class PeopleSearchIndexStage implements Stage {
    /** Links per step while ingest is quiet: FTS5 writes a segment per step, cheaper per link the larger it is. */
    static final int BATCH = 20_000;
    private final JdbcDatabase db;

    public PeopleSearchIndexStage(JdbcDatabase db) {
        this.db = db;
    }

    @Override
    public String name() {
        return "people_search";
    }

    @Override
    public int quietBatch() {
        return BATCH;
    }

    /**
     * Moves up to {@code limit} of the oldest waiting links into the index and deletes them from the queue, in one
     * transaction, so a link erased meanwhile is in neither. Derived state: a commit lost to a power cut leaves the
     * links waiting, and the next step moves them again.
     */
    @Override
    public int step(int limit) {
        if (!db.dialect().linkSearchPending()) return 0;
        return db.writeDerived(c -> {
            Long last = Rows.firstLong(c, "SELECT MAX(id) FROM (SELECT id FROM identity_link_search_pending ORDER BY id LIMIT ?)",
                    limit);
            if (last == null) return 0;
            Rows.update(c, "INSERT INTO identity_link_search (value, profile_id, type, value_length)"
                    + " SELECT value, profile_id, type, length(value) FROM identity_link_search_pending WHERE id <= ? ORDER BY id", last);
            return Rows.update(c, "DELETE FROM identity_link_search_pending WHERE id <= ?", last);
        });
    }
}
