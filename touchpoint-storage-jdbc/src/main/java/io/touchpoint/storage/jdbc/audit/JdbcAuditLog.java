package io.touchpoint.storage.jdbc.audit;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.touchpoint.core.audit.Actor;
import io.touchpoint.core.audit.AuditCursor;
import io.touchpoint.core.audit.AuditEntry;
import io.touchpoint.core.audit.AuditQuery;
import io.touchpoint.core.audit.Target;
import io.touchpoint.core.store.AuditLog;
import io.touchpoint.core.store.Page;
import io.touchpoint.storage.jdbc.sql.JdbcDatabase;
import io.touchpoint.storage.jdbc.sql.Rows;
import io.touchpoint.storage.jdbc.sql.Sql;

import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The audit log in one table, {@code audit_log}, numbered in append order. Reads go newest first by (at, id); the
 * indexes (at, id), (workspace_id, at, id) and (action, at, id) serve the page and its usual filters, and the
 * purge walks the first one from its old end. A family of actions ({@code token.*}) is a LIKE on the action's
 * start rather than a range, since PostgreSQL compares text by the database's collation, which may skip dots.
 */
public final class JdbcAuditLog implements AuditLog {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final TypeReference<Map<String, Object>> DETAIL = new TypeReference<>() {
    };
    private static final String COLUMNS = "id, at, actor_kind, actor_id, actor_label, client_address, request_id,"
            + " workspace_id, action, target_kind, target_id, detail";
    private final JdbcDatabase db;

    public JdbcAuditLog(JdbcDatabase db) {
        this.db = db;
    }

    @Override
    public AuditEntry append(AuditEntry e) {
        String detail = json(e.detail());
        return db.write(c -> {
            try (PreparedStatement ps = c.prepareStatement("INSERT INTO audit_log (at, actor_kind, actor_id, actor_label,"
                    + " client_address, request_id, workspace_id, action, target_kind, target_id, detail)"
                    + " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)", new String[] {"id"})) {
                Rows.setParams(ps, e.at(), e.actor().kind().wireName(), e.actor().id(), e.actor().label(), e.clientAddress(),
                        e.requestId(), e.workspaceId(), e.action(), e.target() == null ? null : e.target().kind(),
                        e.target() == null ? null : e.target().id(), detail);
                ps.executeUpdate();
                try (ResultSet keys = ps.getGeneratedKeys()) {
                    if (!keys.next()) throw new SQLException("the database gave no id for the audit entry");
                    return e.withId(keys.getLong(1));
                }
            }
        });
    }

    @Override
    public Page<AuditEntry> search(AuditQuery q) {
        StringBuilder sql = new StringBuilder("SELECT " + COLUMNS + " FROM audit_log WHERE 1 = 1");
        List<Object> params = new ArrayList<>();
        filter(sql, params, "at >= ?", q.from());
        filter(sql, params, "at < ?", q.to());
        filter(sql, params, "actor_kind = ?", q.actorKind() == null ? null : q.actorKind().wireName());
        filter(sql, params, "actor_id = ?", q.actorId());
        filter(sql, params, "workspace_id = ?", q.workspaceId());
        if (q.actionPrefix().isPresent()) {
            // '_' (in set_aside.*) is escaped, or LIKE would take it for any one character
            filter(sql, params, "action LIKE ? ESCAPE '\\'", q.actionPrefix().get().replace("_", "\\_") + "%");
        } else {
            filter(sql, params, "action = ?", q.action());
        }
        if (q.after() != null) {
            sql.append(" AND at <= ? AND (at < ? OR id < ?)"); // written so that an index range applies
            params.add(q.after().at());
            params.add(q.after().at());
            params.add(q.after().id());
        }
        sql.append(" ORDER BY at DESC, id DESC LIMIT ?");
        params.add(q.limit() + 1); // one more tells whether a next page exists
        List<AuditEntry> items = Sql.list(db, sql.toString(), JdbcAuditLog::map, params.toArray());
        if (items.size() <= q.limit()) return new Page<>(List.copyOf(items), null);
        List<AuditEntry> shown = List.copyOf(items.subList(0, q.limit()));
        return new Page<>(shown, AuditCursor.after(shown.get(shown.size() - 1)).toString());
    }

    @Override
    public int purge(Instant before) {
        return Sql.update(db, "DELETE FROM audit_log WHERE at < ?", before);
    }

    private static void filter(StringBuilder sql, List<Object> params, String condition, Object value) {
        if (value == null) return;
        sql.append(" AND ").append(condition);
        params.add(value);
    }

    private static AuditEntry map(ResultSet rs) throws SQLException {
        String targetKind = rs.getString("target_kind");
        String kindName = rs.getString("actor_kind");
        Actor.Kind kind = Actor.Kind.fromWireName(kindName)
                .orElseThrow(() -> new SQLException("unknown actor kind in the audit log: " + kindName));
        return new AuditEntry(rs.getLong("id"), Rows.instant(rs, "at"),
                new Actor(kind, rs.getString("actor_id"), rs.getString("actor_label")), rs.getString("client_address"),
                rs.getString("request_id"), rs.getString("workspace_id"), rs.getString("action"),
                targetKind == null ? null : new Target(targetKind, rs.getString("target_id")), detail(rs.getString("detail")));
    }

    private static String json(Map<String, Object> detail) {
        try {
            return JSON.writeValueAsString(detail);
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException("an audit entry's detail must be plain JSON values: " + e.getOriginalMessage(), e);
        }
    }

    private static Map<String, Object> detail(String json) throws SQLException {
        try {
            return JSON.readValue(json, DETAIL);
        } catch (JsonProcessingException e) {
            throw new SQLException("unreadable audit entry detail: " + e.getOriginalMessage(), e);
        }
    }
}
