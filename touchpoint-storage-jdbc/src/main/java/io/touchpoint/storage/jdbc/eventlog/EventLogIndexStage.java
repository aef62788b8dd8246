package io.touchpoint.storage.jdbc.eventlog;

import io.touchpoint.core.stage.Stage;
import io.touchpoint.storage.jdbc.sql.IdentifierLines;
import io.touchpoint.storage.jdbc.sql.JdbcDatabase;
import io.touchpoint.storage.jdbc.sql.Rows;

import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;

/**
 * The events log's index stage: ingest writes each entry's identifiers beside it, which costs the one ingest writer
 * an append, and this stage copies them into the index that an identifier search reads, off the acknowledgement's
 * path. A search never waits for it: entries after its cursor are searched where they wait.
 */
public final class EventLogIndexStage implements Stage {
    /** Entries per step while ingest is quiet. */
    static final int BATCH = 1_000;
    private final JdbcDatabase db;

    public EventLogIndexStage(JdbcDatabase db) {
        this.db = db;
    }

    @Override
    public String name() {
        return "event_log";
    }

    @Override
    public int quietBatch() {
        return BATCH;
    }

    /**
     * Moves the identifiers of the entries after the cursor into event_log_identifiers and moves the cursor past them,
     * oldest first along the log's key. An entry is pending while its seq is above the cursor, so the move writes no
     * entry a second time, and ingest keeps no index of the pending ones. Derived state, so its commit need not wait
     * for the disk: one lost to a power cut leaves the cursor where it was, and the next step moves the entries again
     * (their index rows are written once).
     */
    @Override
    public int step(int limit) {
        return db.writeDerived(c -> {
            // locked: two processes' steps take turns, the second starting from where the first left the cursor
            Long cursor = Rows.firstLong(c, "SELECT seq FROM " + CURSOR + " WHERE id = 1" + db.dialect().forUpdate());
            if (cursor == null) throw new IllegalStateException(CURSOR + " has no row: the store is not migrated");
            // bounded above by the newest entry, so the planner knows the range is short whatever its statistics say;
            // ingest takes the commit-order lock, so every entry up to it has committed
            Long last = Rows.firstLong(c, "SELECT MAX(seq) FROM event_log");
            if (last == null || last <= cursor) return 0;
            List<Object[]> pending = new ArrayList<>();
            // locked (PostgreSQL): an erasure that blanks one of these entries meanwhile waits for this step to commit
            // and then takes the index rows it wrote, or has blanked it first and it is read blank
            try (PreparedStatement ps = c.prepareStatement("SELECT seq, workspace_id, received_at, identifiers FROM event_log"
                    + " WHERE seq > ? AND seq <= ? ORDER BY seq LIMIT ?" + db.dialect().forUpdate())) {
                ps.setLong(1, cursor);
                ps.setLong(2, last);
                ps.setInt(3, limit);
                try (java.sql.ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) pending.add(new Object[]{rs.getLong(1), rs.getString(2), rs.getLong(3), rs.getString(4)});
                }
            }
            List<Object> rows = new ArrayList<>();
            for (Object[] p : pending) {
                if (p[1] == null || p[3] == null) continue;
                for (String[] i : IdentifierLines.parse((String) p[3])) rows.addAll(List.of(p[1], i[0], i[1], p[2], p[0]));
            }
            insertIndexRows(c, rows);
            // all of the range read: past its end too, over numbers no entry took (a rolled-back commit's)
            long moved = pending.size() < limit ? last : (Long) pending.get(pending.size() - 1)[0];
            Rows.update(c, "UPDATE " + CURSOR + " SET seq = ? WHERE id = 1", moved);
            return pending.size();
        });
    }

    /**
     * The table of the one row that holds the seq of the last entry moved. Ingest takes the commit-order lock
     * ({@link io.touchpoint.storage.jdbc.sql.SqlDialect#lockCommitOrder}), so no entry can commit later below it.
     */
    public static final String CURSOR = "event_log_index_cursor";

    /** Index rows per statement: one statement per row costs SQLite more than the row. */
    private static final int INDEX_ROWS_PER_INSERT = 100;

    private static void insertIndexRows(java.sql.Connection c, List<Object> rows) throws SQLException {
        int columns = 5;
        int count = rows.size() / columns;
        for (int first = 0; first < count; first += INDEX_ROWS_PER_INSERT) {
            int n = Math.min(INDEX_ROWS_PER_INSERT, count - first);
            try (PreparedStatement ps = c.prepareStatement("INSERT INTO event_log_identifiers (workspace_id, type, value,"
                    + " received_at, seq) VALUES " + String.join(", ", java.util.Collections.nCopies(n, "(?, ?, ?, ?, ?)"))
                    + " ON CONFLICT DO NOTHING")) {
                Rows.setParams(ps, rows.subList(first * columns, (first + n) * columns).toArray());
                ps.executeUpdate();
            }
        }
    }
}
