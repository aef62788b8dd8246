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
 * an append, and this stage moves them into the index that an identifier search reads, off the acknowledgement's
 * path. A search never waits for it: entries not moved yet are searched where they wait.
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
     * Moves pending identifiers into event_log_identifiers and clears them from their entries, oldest first along the
     * partial index of pending entries. Derived state (the column stays until the commit that moves it), so its commit
     * need not wait for the disk: one lost to a power cut leaves the entries pending, and the next step moves them.
     */
    @Override
    public int step(int limit) {
        return db.writeDerived(c -> {
            List<Object[]> pending = new ArrayList<>();
            // locked (PostgreSQL): an erasure that blanks one of these entries meanwhile waits for this step to commit
            // and then takes the index rows it wrote, or has blanked it first and it is not read
            try (PreparedStatement ps = c.prepareStatement("SELECT seq, workspace_id, received_at, identifiers FROM event_log"
                    + " WHERE identifiers IS NOT NULL ORDER BY seq LIMIT ?" + db.dialect().forUpdate())) {
                ps.setInt(1, limit);
                try (java.sql.ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) pending.add(new Object[]{rs.getLong(1), rs.getString(2), rs.getLong(3), rs.getString(4)});
                }
            }
            if (pending.isEmpty()) return 0;
            List<Object> rows = new ArrayList<>();
            for (Object[] p : pending) {
                if (p[1] == null) continue;
                for (String[] i : IdentifierLines.parse((String) p[3])) rows.addAll(List.of(p[1], i[0], i[1], p[2], p[0]));
            }
            insertIndexRows(c, rows);
            try (PreparedStatement clear = c.prepareStatement("UPDATE event_log SET identifiers = NULL WHERE seq = ?")) {
                for (Object[] p : pending) {
                    clear.setLong(1, (Long) p[0]);
                    clear.addBatch();
                }
                clear.executeBatch();
            }
            return pending.size();
        });
    }

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
