package io.touchpoint.storage.jdbc.delivery;

import java.sql.Connection;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * Ages finished deliveries out of the outbox, the ledger and the payloads. The outbox has no index on time, and
 * another on every entry would slow routing; its ids grow with the time entries are made, so the entries made before
 * the cutoff are found by a binary search over the key and then read along it.
 */
final class LedgerRetention {
    private static final String FINISHED = "status IN ('sent', 'skipped', 'dead')";

    private LedgerRetention() {
    }

    static int purge(Connection c, Instant before, int limit) throws SQLException {
        long bound = lastMadeBefore(c, before);
        if (bound == 0) return 0;
        List<long[]> rows = Statements.list(c, "SELECT id, payload_id FROM delivery_outbox WHERE id <= ? AND " + FINISHED
                + " AND updated_at < ? ORDER BY id LIMIT ?", rs -> new long[]{rs.getLong(1), rs.getLong(2)}, bound, before, limit);
        List<Long> ids = new ArrayList<>(rows.size());
        List<Long> payloads = new ArrayList<>();
        for (long[] r : rows) {
            ids.add(r[0]);
            if (r[1] != 0) payloads.add(r[1]);
        }
        int deleted = 0;
        for (List<Long> chunk : Statements.chunks(ids)) {
            String in = "(" + Statements.marks(chunk.size()) + ")";
            // checked again as it deletes: a replay or another process's purge may have come between
            deleted += Statements.update(c, "DELETE FROM delivery_outbox WHERE id IN " + in + " AND " + FINISHED
                    + " AND updated_at < ?", Statements.params(chunk, before));
            Statements.update(c, "DELETE FROM delivery_attempts WHERE outbox_id IN " + in
                    + " AND NOT EXISTS (SELECT 1 FROM delivery_outbox o WHERE o.id = delivery_attempts.outbox_id)", chunk.toArray());
        }
        if (!payloads.isEmpty()) Payloads.dropUnused(c, payloads);
        return deleted;
    }

    /** The highest entry id whose entry was made before the time (0: none), in a few dozen reads by key. */
    private static long lastMadeBefore(Connection c, Instant before) throws SQLException {
        // asked one at a time, each is one step down the key; asked together, SQLite reads a whole index for them
        long lo = Statements.list(c, "SELECT MIN(id) FROM delivery_outbox", rs -> rs.getLong(1)).get(0);
        if (lo == 0) return 0; // no entries (ids start at 1)
        long hi = Statements.list(c, "SELECT MAX(id) FROM delivery_outbox", rs -> rs.getLong(1)).get(0);
        if (!madeBefore(c, lo, before)) return 0;
        if (madeBefore(c, hi, before)) return hi;
        while (hi - lo > 1) {
            long mid = lo + (hi - lo) / 2;
            if (madeBefore(c, mid, before)) lo = mid;
            else hi = mid;
        }
        return Statements.list(c, "SELECT id FROM delivery_outbox WHERE id >= ? ORDER BY id LIMIT 1", rs -> rs.getLong(1), lo)
                .get(0);
    }

    /** Whether the first entry at or after this id was made before the time. */
    private static boolean madeBefore(Connection c, long id, Instant before) throws SQLException {
        List<Instant> made = Statements.list(c, "SELECT created_at FROM delivery_outbox WHERE id >= ? ORDER BY id LIMIT 1",
                rs -> Statements.instant(rs, "created_at"), id);
        return !made.isEmpty() && made.get(0).isBefore(before);
    }
}
