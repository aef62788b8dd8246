package io.touchpoint.storage.jdbc.eventlog;

import io.touchpoint.core.model.Identifier;
import io.touchpoint.core.model.IdentifierType;
import io.touchpoint.core.store.EventLogCursor;
import io.touchpoint.core.store.EventLogEntry;
import io.touchpoint.core.store.EventLogQuery;
import io.touchpoint.core.store.EventLogStore;
import io.touchpoint.core.store.Page;
import io.touchpoint.storage.jdbc.sql.ConsentColumn;
import io.touchpoint.storage.jdbc.sql.IdentifierLines;
import io.touchpoint.storage.jdbc.sql.JdbcDatabase;
import io.touchpoint.storage.jdbc.sql.Rows;
import io.touchpoint.storage.jdbc.sql.Sql;
import io.touchpoint.storage.jdbc.sql.WarningsColumn;

import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;

public final class JdbcEventLogStore implements EventLogStore {
    private static final String COLUMNS = "seq, request_id, item_index, workspace_id, received_at, endpoint, source,"
            + " outcome, http_status, error_code, error_param, error_message, event_name, email, event_id, payload,"
            + " warnings, consent";
    private final JdbcDatabase db;

    public JdbcEventLogStore(JdbcDatabase db) {
        this.db = db;
    }

    /**
     * Newest first by (received_at, seq); every filter has an index ending in those columns (schema V3), so a
     * page reads about {@code limit} index entries however large the log. A request id names at most a batch
     * (1,000 rows): those are read by their own index and filtered here. A tail poll walks the primary key up
     * from its cursor, so it reads what was committed since, however large the log.
     */
    @Override
    public Page<EventLogEntry> search(EventLogQuery q) {
        boolean tail = q.newerThan() != null;
        if (q.identifier() != null) return byIdentifier(q, q.identifier(), tail);
        // every entry's email is among its identifiers, normalised alike: the email filter reads that index, and the
        // log keeps no index of its own for it (only a search across all workspaces, which that index lacks, scans)
        String email = normalizedEmail(q);
        if (email != null && q.workspaceId() != null && q.requestId() == null) {
            return byIdentifier(q, new Identifier(IdentifierType.EMAIL, email), tail);
        }
        if (q.requestId() != null) return page(byRequestId(q.workspaceId(), q.requestId()).stream()
                .filter(e -> matches(q, e))
                .sorted(tail ? OLDEST_COMMIT_FIRST : NEWEST_FIRST).limit(q.limit() + 1L).toList(), q.limit(), tail);
        StringBuilder sql = new StringBuilder("SELECT " + COLUMNS + " FROM "
                + (tail ? db.dialect().primaryKeyScan("event_log") : "event_log") + " WHERE 1 = 1");
        List<Object> params = new ArrayList<>();
        filter(sql, params, "workspace_id = ?", q.workspaceId());
        filter(sql, params, "outcome = ?", q.outcome() == null ? null : q.outcome().wireName());
        filter(sql, params, "event_name = ?", q.eventName());
        filter(sql, params, "email = ?", normalizedEmail(q));
        filter(sql, params, "received_at >= ?", q.from());
        filter(sql, params, "received_at < ?", q.to());
        filter(sql, params, "seq > ?", q.newerThan());
        if (q.after() != null) {
            // strictly below the previous page's last (received_at, seq), written so an index range applies
            sql.append(" AND received_at <= ? AND (received_at < ? OR seq < ?)");
            params.add(q.after().receivedAt());
            params.add(q.after().receivedAt());
            params.add(q.after().sequence());
        }
        sql.append(tail ? " ORDER BY seq LIMIT ?" : " ORDER BY received_at DESC, seq DESC LIMIT ?");
        params.add(q.limit() + 1); // one more tells whether a next page exists
        return db.read(c -> {
            try (PreparedStatement ps = c.prepareStatement(sql.toString())) {
                Rows.setParams(ps, params.toArray());
                return page(list(ps), q.limit(), tail);
            }
        });
    }

    /**
     * The entries that carried an identifier: one range of event_log_identifiers' key (workspace, type, value,
     * received_at, seq), newest first, each joined to its entry by seq, and the entries whose identifiers the log
     * indexer may not have copied there yet (those after its cursor, {@link EventLogIndexStage}). An entry is read in
     * one place or the other, never both, as the cursor read first divides them. The other filters apply to both.
     */
    private Page<EventLogEntry> byIdentifier(EventLogQuery q, Identifier identifier, boolean tail) {
        return db.read(c -> {
            // every entry up to the cursor is in the index, and every entry keeps its identifiers: read from a cursor
            // that moves meanwhile, the two parts still split the log between them without a gap or an overlap
            long cursor, last;
            try (PreparedStatement ps = c.prepareStatement("SELECT (SELECT seq FROM " + EventLogIndexStage.CURSOR
                    + " WHERE id = 1), (SELECT MAX(seq) FROM event_log)"); java.sql.ResultSet rs = ps.executeQuery()) {
                rs.next();
                cursor = rs.getLong(1);
                last = rs.getLong(2); // 0 in an empty log
            }
            List<Object> params = new ArrayList<>();
            StringBuilder indexed = new StringBuilder("SELECT " + PREFIXED_COLUMNS + " FROM event_log_identifiers i JOIN event_log l"
                    + " ON l.seq = i.seq WHERE i.workspace_id = ? AND i.type = ? AND i.value = ? AND i.seq <= ?");
            params.addAll(List.of(q.workspaceId(), identifier.type().wireName(), identifier.value(), cursor));
            identifierFilters(indexed, params, q, "i.", "l.");
            // along the log's key from the cursor, a range of the newest few: another index of the log (the
            // workspace's, its times') would read far more of it
            StringBuilder pending = new StringBuilder("SELECT " + PREFIXED_COLUMNS + " FROM " + db.dialect().keyRange("event_log", "l")
                    + " AND l.identifiers IS NOT NULL AND l.workspace_id = ? AND " + db.dialect().contains("l.identifiers"));
            params.addAll(List.of(cursor, last, q.workspaceId(), IdentifierLines.needle(identifier.type().wireName(), identifier.value())));
            identifierFilters(pending, params, q, "l.", "l.");
            String sql = indexed + " UNION ALL " + pending + (tail ? " ORDER BY seq LIMIT ?" : " ORDER BY received_at DESC, seq DESC LIMIT ?");
            params.add(q.limit() + 1);
            try (PreparedStatement ps = c.prepareStatement(sql)) {
                Rows.setParams(ps, params.toArray());
                return page(list(ps), q.limit(), tail);
            }
        });
    }

    /** The query's other filters; {@code keyed} prefixes received_at and seq (the index's when it has them). */
    private static void identifierFilters(StringBuilder sql, List<Object> params, EventLogQuery q, String keyed, String entry) {
        filter(sql, params, entry + "outcome = ?", q.outcome() == null ? null : q.outcome().wireName());
        filter(sql, params, entry + "event_name = ?", q.eventName());
        filter(sql, params, entry + "email = ?", normalizedEmail(q));
        filter(sql, params, entry + "request_id = ?", q.requestId());
        filter(sql, params, keyed + "received_at >= ?", q.from());
        filter(sql, params, keyed + "received_at < ?", q.to());
        filter(sql, params, keyed + "seq > ?", q.newerThan());
        if (q.after() != null) {
            sql.append(" AND " + keyed + "received_at <= ? AND (" + keyed + "received_at < ? OR " + keyed + "seq < ?)");
            params.add(q.after().receivedAt());
            params.add(q.after().receivedAt());
            params.add(q.after().sequence());
        }
    }

    private static final String PREFIXED_COLUMNS = String.join(", ", java.util.Arrays.stream(COLUMNS.split(",\\s*"))
            .map(col -> "l." + col).toList());

    private static final Comparator<EventLogEntry> NEWEST_FIRST = Comparator
            .comparing(EventLogEntry::receivedAt).thenComparingLong(EventLogEntry::sequence).reversed();

    private static final Comparator<EventLogEntry> OLDEST_COMMIT_FIRST = Comparator.comparingLong(EventLogEntry::sequence);

    /** A tail poll has no next page: the next poll starts from its last entry. */
    private static Page<EventLogEntry> page(List<EventLogEntry> items, int limit, boolean tail) {
        if (tail) return new Page<>(List.copyOf(items.subList(0, Math.min(limit, items.size()))), null);
        if (items.size() <= limit) return new Page<>(List.copyOf(items), null);
        List<EventLogEntry> shown = items.subList(0, limit);
        return new Page<>(List.copyOf(shown), EventLogCursor.after(shown.get(limit - 1)).toString());
    }

    private static boolean matches(EventLogQuery q, EventLogEntry e) {
        String email = normalizedEmail(q);
        return (q.outcome() == null || q.outcome() == e.outcome())
                && (q.eventName() == null || q.eventName().equals(e.eventName()))
                && (email == null || email.equals(e.email()))
                && (q.from() == null || !e.receivedAt().isBefore(q.from()))
                && (q.to() == null || e.receivedAt().isBefore(q.to()))
                && (q.after() == null || q.after().isNewerThan(e))
                && (q.newerThan() == null || e.sequence() > q.newerThan());
    }

    private static String normalizedEmail(EventLogQuery q) {
        return q.email() == null ? null : q.email().trim().toLowerCase(Locale.ROOT);
    }

    @Override
    public long latestSequence() {
        return Sql.one(db, "SELECT MAX(seq) AS latest FROM event_log", rs -> rs.getLong("latest")).orElse(0L);
    }

    @Override
    public List<EventLogEntry> byRequestId(String workspaceId, String requestId) {
        return db.read(c -> {
            String sql = "SELECT " + COLUMNS + " FROM event_log WHERE request_id = ?"
                    + (workspaceId == null ? "" : " AND workspace_id = ?") + " ORDER BY item_index";
            try (PreparedStatement ps = c.prepareStatement(sql)) {
                if (workspaceId == null) Rows.setParams(ps, requestId);
                else Rows.setParams(ps, requestId, workspaceId);
                return list(ps);
            }
        });
    }

    private static void filter(StringBuilder sql, List<Object> params, String condition, Object value) {
        if (value == null) return;
        sql.append(" AND ").append(condition);
        params.add(value);
    }

    private static List<EventLogEntry> list(PreparedStatement ps) throws SQLException {
        List<EventLogEntry> out = new ArrayList<>();
        try (ResultSet rs = ps.executeQuery()) {
            while (rs.next()) {
                out.add(new EventLogEntry(rs.getLong("seq"), rs.getString("request_id"), rs.getInt("item_index"),
                        rs.getString("workspace_id"), Rows.instant(rs, "received_at"), rs.getString("endpoint"),
                        rs.getString("source"),
                        EventLogEntry.Outcome.valueOf(rs.getString("outcome").toUpperCase(Locale.ROOT)),
                        rs.getInt("http_status"), rs.getString("error_code"), rs.getString("error_param"),
                        rs.getString("error_message"), rs.getString("event_name"), rs.getString("email"),
                        rs.getString("event_id"), rs.getString("payload"), WarningsColumn.read(rs.getString("warnings")),
                        ConsentColumn.read(rs.getString("consent"))));
            }
        }
        return out;
    }
}
