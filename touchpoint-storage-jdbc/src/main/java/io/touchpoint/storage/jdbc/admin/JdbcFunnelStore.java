package io.touchpoint.storage.jdbc.admin;

import io.touchpoint.core.model.Funnel;
import io.touchpoint.core.store.FunnelStore;
import io.touchpoint.storage.jdbc.sql.JdbcDatabase;
import io.touchpoint.storage.jdbc.sql.Rows;
import io.touchpoint.storage.jdbc.sql.Sql;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

public final class JdbcFunnelStore implements FunnelStore {
    private static final String COLUMNS = "id, workspace_id, name, mark, created_at, revoked_at";
    private static final String SELECT = "SELECT " + COLUMNS + " FROM funnels ";
    private final JdbcDatabase db;

    public JdbcFunnelStore(JdbcDatabase db) {
        this.db = db;
    }

    @Override
    public void create(Funnel f) {
        Sql.update(db, "INSERT INTO funnels (" + COLUMNS + ") VALUES (?, ?, ?, ?, ?, ?)",
                f.id(), f.workspaceId(), f.name(), f.mark(), f.createdAt(), f.revokedAt());
    }

    @Override
    public Optional<Funnel> byMark(String mark) {
        return Sql.one(db, SELECT + "WHERE mark = ?", JdbcFunnelStore::map, mark);
    }

    @Override
    public Optional<Funnel> byId(String funnelId) {
        return Sql.one(db, SELECT + "WHERE id = ?", JdbcFunnelStore::map, funnelId);
    }

    @Override
    public List<Funnel> list(String workspaceId) {
        return Sql.list(db, SELECT + "WHERE workspace_id = ? ORDER BY created_at, id", JdbcFunnelStore::map, workspaceId);
    }

    @Override
    public boolean revoke(String funnelId, Instant at) {
        return Sql.update(db, "UPDATE funnels SET revoked_at = ? WHERE id = ? AND revoked_at IS NULL", at, funnelId) == 1;
    }

    private static Funnel map(ResultSet rs) throws SQLException {
        return new Funnel(rs.getString("id"), rs.getString("workspace_id"), rs.getString("name"), rs.getString("mark"),
                Rows.instant(rs, "created_at"), Rows.instant(rs, "revoked_at"));
    }
}
