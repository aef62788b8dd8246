package io.touchpoint.storage.jdbc.ledger;

import io.touchpoint.core.ingest.StorableText;
import io.touchpoint.core.store.SetAsideStore;
import io.touchpoint.storage.jdbc.sql.JdbcDatabase;
import io.touchpoint.storage.jdbc.sql.Rows;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;

/** Set-aside events in {@code set_aside_events}, beside the cursor table of each stage. */
public final class JdbcSetAsideStore implements SetAsideStore {
    private static final String COLUMNS = "event_id, workspace_id, seq, stage, error, set_aside_at, tries";
    /** An error kept is at most this long: a driver's message may quote a whole statement. */
    static final int MAX_ERROR_CHARS = 2000;
    private final JdbcDatabase db;

    public JdbcSetAsideStore(JdbcDatabase db) {
        this.db = db;
    }

    /** The cursor table of each stage. */
    private static String cursorTable(Stage stage) {
        return switch (stage) {
            case IDENTITY -> "identity_cursor";
            case ATTRIBUTION -> "attribution_cursor";
            case DELIVERY -> "delivery_cursor";
        };
    }

    /** The query for the next event's sequence of each stage, as its own batch would read it. */
    private static String nextSql(Stage stage) {
        return switch (stage) {
            case IDENTITY -> "SELECT MIN(seq) FROM events WHERE seq > (SELECT seq FROM identity_cursor WHERE id = 1)";
            case ATTRIBUTION -> "SELECT MIN(e.seq) FROM events e JOIN identity_event_profiles ep ON ep.event_id = e.id"
                    + " WHERE e.seq > (SELECT seq FROM attribution_cursor WHERE id = 1)"
                    + " AND e.seq <= (" + GraphReads.IDENTITY_FRONTIER + ")";
            case DELIVERY -> "SELECT MIN(seq) FROM events WHERE seq > (SELECT seq FROM delivery_cursor WHERE id = 1)"
                    + " AND seq <= (" + AttributionLedger.ATTRIBUTION_FRONTIER + ")";
        };
    }

    @Override
    public OptionalLong next(Stage stage) {
        return db.read(c -> {
            try (PreparedStatement ps = c.prepareStatement(nextSql(stage)); ResultSet rs = ps.executeQuery()) {
                if (!rs.next()) return OptionalLong.empty();
                long seq = rs.getLong(1);
                return rs.wasNull() ? OptionalLong.empty() : OptionalLong.of(seq);
            }
        });
    }

    @Override
    public boolean setAside(Stage stage, long seq, String error, int tries) {
        String kept = keep(error);
        return db.write(c -> {
            List<String[]> event = new ArrayList<>();
            try (PreparedStatement ps = c.prepareStatement("SELECT id, workspace_id, log_partition FROM events WHERE seq = ?")) {
                ps.setLong(1, seq);
                try (ResultSet rs = ps.executeQuery()) {
                    if (rs.next()) event.add(new String[]{rs.getString(1), rs.getString(2), rs.getString(3)});
                }
            }
            // an identity event erased meanwhile is not there to fail the stage's next step again
            if (event.isEmpty() && stage == Stage.IDENTITY) return true;
            String partition = event.isEmpty() ? null : event.get(0)[2];
            // the cursor row first: it serialises this with the stage's own batches, which take it too
            if (!moveCursorPast(c, stage, seq, partition)) return false;
            if (event.isEmpty()) return true; // erased meanwhile: nothing to record, and nothing left to skip
            Rows.update(c, "DELETE FROM set_aside_events WHERE event_id = ? AND stage = ?", event.get(0)[0], stage.wireName());
            Rows.update(c, "INSERT INTO set_aside_events (" + COLUMNS + ") VALUES (?, ?, ?, ?, ?, ?, ?)",
                    event.get(0)[0], event.get(0)[1], seq, stage.wireName(), kept, System.currentTimeMillis(), tries);
            return true;
        });
    }

    /**
     * Moves the stage's cursor past {@code seq}. An event of a log partition (Kafka mode) moves
     * its partition's position, and the global cursor only when it is the very next event after it the stage would
     * take (the global cursor follows every event without Kafka, and only those without a partition in Kafka mode,
     * which cannot lie before it then); attribution takes resolved events only, identity and delivery every event.
     */
    private static boolean moveCursorPast(Connection c, Stage stage, long seq, String partition) throws SQLException {
        String table = cursorTable(stage);
        if (partition == null) return Rows.update(c, "UPDATE " + table + " SET seq = ? WHERE id = 1 AND seq < ?", seq, seq) == 1;
        String between = stage != Stage.ATTRIBUTION ? "SELECT 1 FROM events e"
                : "SELECT 1 FROM events e JOIN identity_event_profiles ep ON ep.event_id = e.id";
        int global = Rows.update(c, "UPDATE " + table + " SET seq = ? WHERE id = 1 AND seq < ?"
                + " AND NOT EXISTS (" + between + " WHERE e.seq > " + table + ".seq AND e.seq < ?)", seq, seq, seq);
        int own = Rows.update(c, "UPDATE stage_partition_cursors SET seq = ? WHERE stage = ? AND log_partition = ?"
                + " AND seq < ?", seq, stage.wireName(), Integer.parseInt(partition), seq);
        return global + own > 0;
    }

    @Override
    public List<SetAsideEvent> list(String workspaceId, int limit) {
        String where = workspaceId == null ? "" : " WHERE workspace_id = ?";
        Object[] params = workspaceId == null ? new Object[]{limit} : new Object[]{workspaceId, limit};
        return db.read(c -> query(c, "SELECT " + COLUMNS + " FROM set_aside_events" + where
                + " ORDER BY set_aside_at DESC, seq DESC LIMIT ?", params));
    }

    @Override
    public List<SetAsideEvent> of(String workspaceId, String eventId) {
        return workspaceId == null
                ? db.read(c -> query(c, "SELECT " + COLUMNS + " FROM set_aside_events WHERE event_id = ? ORDER BY seq", eventId))
                : db.read(c -> query(c, "SELECT " + COLUMNS + " FROM set_aside_events WHERE event_id = ? AND workspace_id = ?"
                + " ORDER BY seq", eventId, workspaceId));
    }

    @Override
    public Map<String, List<SetAsideEvent>> ofEvents(String workspaceId, Collection<String> eventIds) {
        if (eventIds.isEmpty()) return Map.of();
        Map<String, List<SetAsideEvent>> out = new HashMap<>();
        List<String> ids = List.copyOf(eventIds);
        for (int from = 0; from < ids.size(); from += 500) {
            List<String> chunk = ids.subList(from, Math.min(ids.size(), from + 500));
            List<Object> params = new ArrayList<>(chunk);
            params.add(workspaceId);
            for (SetAsideEvent e : db.read(c -> query(c, "SELECT " + COLUMNS + " FROM set_aside_events WHERE event_id IN ("
                    + String.join(", ", Collections.nCopies(chunk.size(), "?")) + ") AND workspace_id = ?", params.toArray()))) {
                out.computeIfAbsent(e.eventId(), k -> new ArrayList<>()).add(e);
            }
        }
        return out;
    }

    @Override
    public long count(Stage stage) {
        return db.read(c -> {
            try (PreparedStatement ps = c.prepareStatement("SELECT COUNT(*) FROM set_aside_events WHERE stage = ?")) {
                ps.setString(1, stage.wireName());
                try (ResultSet rs = ps.executeQuery()) {
                    return rs.next() ? rs.getLong(1) : 0L;
                }
            }
        });
    }

    @Override
    public void failedAgain(String eventId, Stage stage, String error) {
        String kept = keep(error);
        long now = System.currentTimeMillis();
        db.write(c -> {
            if (Rows.update(c, "UPDATE set_aside_events SET tries = tries + 1, error = ?, set_aside_at = ?"
                    + " WHERE event_id = ? AND stage = ?", kept, now, eventId, stage.wireName()) == 1) return null;
            // a later stage a retry ran the event through failed: it gets its own record, its cursor already past
            Rows.update(c, "INSERT INTO set_aside_events (" + COLUMNS + ") SELECT id, workspace_id, seq, ?, ?, ?, 1"
                    + " FROM events WHERE id = ?", stage.wireName(), kept, now, eventId);
            return null;
        });
    }

    /** Clears an event's record of one stage, in the transaction of the retry that handled it. */
    public static void clear(Connection c, long seq, Stage stage) throws SQLException {
        Rows.update(c, "DELETE FROM set_aside_events WHERE seq = ? AND stage = ?", seq, stage.wireName());
    }

    /** An error as it can be stored and shown: bounded, with nothing a store cannot hold. */
    private static String keep(String error) {
        String e = error == null || error.isBlank() ? "unknown error" : error;
        return StorableText.escape(e.length() <= MAX_ERROR_CHARS ? e : e.substring(0, MAX_ERROR_CHARS) + "…");
    }

    private static List<SetAsideEvent> query(Connection c, String sql, Object... params) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(sql)) {
            Rows.setParams(ps, params);
            try (ResultSet rs = ps.executeQuery()) {
                List<SetAsideEvent> out = new ArrayList<>();
                while (rs.next()) {
                    out.add(new SetAsideEvent(rs.getString(1), rs.getString(2), rs.getLong(3),
                            Stage.fromWireName(rs.getString(4)).orElseThrow(), rs.getString(5),
                            Instant.ofEpochMilli(rs.getLong(6)), rs.getInt(7)));
                }
                return out;
            }
        }
    }
}
