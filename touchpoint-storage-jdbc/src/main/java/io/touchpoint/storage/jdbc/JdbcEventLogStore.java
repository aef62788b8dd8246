package io.touchpoint.storage.jdbc;

import io.touchpoint.core.store.EventLogEntry;
import io.touchpoint.core.store.EventLogQuery;
import io.touchpoint.core.store.EventLogStore;
import io.touchpoint.core.store.Page;

import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

final class JdbcEventLogStore implements EventLogStore {
    private static final String COLUMNS = "seq, request_id, item_index, workspace_id, received_at, endpoint, source,"
            + " outcome, http_status, error_code, error_param, error_message, event_name, email, event_id, payload";
    private final JdbcDatabase db;

    JdbcEventLogStore(JdbcDatabase db) {
        this.db = db;
    }

    @Override
    public Page<EventLogEntry> search(EventLogQuery q) {
        StringBuilder sql = new StringBuilder("SELECT " + COLUMNS + " FROM event_log WHERE 1 = 1");
        List<Object> params = new ArrayList<>();
        filter(sql, params, "workspace_id = ?", q.workspaceId());
        filter(sql, params, "outcome = ?", q.outcome() == null ? null : q.outcome().wireName());
        filter(sql, params, "event_name = ?", q.eventName());
        filter(sql, params, "email = ?", q.email() == null ? null : q.email().trim().toLowerCase(Locale.ROOT));
        filter(sql, params, "request_id = ?", q.requestId());
        filter(sql, params, "received_at >= ?", q.from());
        filter(sql, params, "received_at < ?", q.to());
        filter(sql, params, "seq < ?", q.before());
        sql.append(" ORDER BY seq DESC LIMIT ?");
        params.add(q.limit() + 1); // one more tells whether a next page exists
        return db.read(c -> {
            try (PreparedStatement ps = c.prepareStatement(sql.toString())) {
                Rows.setParams(ps, params.toArray());
                List<EventLogEntry> items = list(ps);
                String next = null;
                if (items.size() > q.limit()) {
                    items = items.subList(0, q.limit());
                    next = Long.toString(items.get(items.size() - 1).sequence());
                }
                return new Page<>(List.copyOf(items), next);
            }
        });
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
                        rs.getString("event_id"), rs.getString("payload")));
            }
        }
        return out;
    }
}
