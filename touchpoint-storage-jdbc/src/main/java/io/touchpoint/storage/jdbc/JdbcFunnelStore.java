package io.touchpoint.storage.jdbc;

import io.touchpoint.core.model.Funnel;
import io.touchpoint.core.store.FunnelStore;

import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

final class JdbcFunnelStore implements FunnelStore {
    private static final String COLUMNS = "id, workspace_id, name, mark, created_at, revoked_at";
    private final JdbcDatabase db;

    JdbcFunnelStore(JdbcDatabase db) {
        this.db = db;
    }

    @Override
    public void create(Funnel f) {
        db.write(c -> {
            try (PreparedStatement ps = c.prepareStatement("INSERT INTO funnels (" + COLUMNS + ") VALUES (?, ?, ?, ?, ?, ?)")) {
                Rows.setParams(ps, f.id(), f.workspaceId(), f.name(), f.mark(), f.createdAt(), f.revokedAt());
                ps.executeUpdate();
            }
            return null;
        });
    }

    @Override
    public Optional<Funnel> byMark(String mark) {
        return one("mark", mark);
    }

    @Override
    public Optional<Funnel> byId(String funnelId) {
        return one("id", funnelId);
    }

    @Override
    public List<Funnel> list(String workspaceId) {
        return db.read(c -> {
            try (PreparedStatement ps = c.prepareStatement("SELECT " + COLUMNS
                    + " FROM funnels WHERE workspace_id = ? ORDER BY created_at, id")) {
                ps.setString(1, workspaceId);
                try (ResultSet rs = ps.executeQuery()) {
                    List<Funnel> out = new ArrayList<>();
                    while (rs.next()) out.add(map(rs));
                    return out;
                }
            }
        });
    }

    @Override
    public boolean revoke(String funnelId, Instant at) {
        return db.write(c -> {
            try (PreparedStatement ps = c.prepareStatement(
                    "UPDATE funnels SET revoked_at = ? WHERE id = ? AND revoked_at IS NULL")) {
                Rows.setParams(ps, at, funnelId);
                return ps.executeUpdate() == 1;
            }
        });
    }

    private Optional<Funnel> one(String column, String value) {
        return db.read(c -> {
            try (PreparedStatement ps = c.prepareStatement("SELECT " + COLUMNS + " FROM funnels WHERE " + column + " = ?")) {
                ps.setString(1, value);
                try (ResultSet rs = ps.executeQuery()) {
                    return rs.next() ? Optional.of(map(rs)) : Optional.empty();
                }
            }
        });
    }

    private static Funnel map(ResultSet rs) throws SQLException {
        return new Funnel(rs.getString("id"), rs.getString("workspace_id"), rs.getString("name"), rs.getString("mark"),
                Rows.instant(rs, "created_at"), Rows.instant(rs, "revoked_at"));
    }
}
