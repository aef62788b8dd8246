package io.touchpoint.storage.jdbc;

import io.touchpoint.core.model.Workspace;
import io.touchpoint.core.model.WorkspaceSettings;
import io.touchpoint.core.store.DuplicateNameException;
import io.touchpoint.core.store.WorkspaceStore;

import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

final class JdbcWorkspaceStore implements WorkspaceStore {
    private static final String COLUMNS =
            "id, name, pixel_key, created_at, time_zone, currency, phone_region, rate_limit_per_minute";
    private final JdbcDatabase db;

    JdbcWorkspaceStore(JdbcDatabase db) {
        this.db = db;
    }

    @Override
    public void create(Workspace w) {
        try {
            insert(w);
        } catch (StoreException e) {
            if (Rows.isUniqueViolation(e)) throw new DuplicateNameException("a workspace named '" + w.name() + "' exists");
            throw e;
        }
    }

    private void insert(Workspace w) {
        db.write(c -> {
            try (PreparedStatement ps = c.prepareStatement("SELECT 1 FROM workspaces WHERE name = ?")) {
                ps.setString(1, w.name());
                try (ResultSet rs = ps.executeQuery()) {
                    if (rs.next()) throw new DuplicateNameException("a workspace named '" + w.name() + "' exists");
                }
            }
            try (PreparedStatement ps = c.prepareStatement("INSERT INTO workspaces (" + COLUMNS
                    + ") VALUES (?, ?, ?, ?, ?, ?, ?, ?)")) {
                WorkspaceSettings s = w.settings();
                Rows.setParams(ps, w.id(), w.name(), w.pixelKey(), w.createdAt(), s.timeZone(), s.currency(),
                        s.phoneRegion(), s.rateLimitPerMinute());
                ps.executeUpdate();
            }
            return null;
        });
    }

    @Override
    public Optional<Workspace> byId(String id) {
        return one("id", id);
    }

    @Override
    public Optional<Workspace> byName(String name) {
        return one("name", name);
    }

    @Override
    public Optional<Workspace> byPixelKey(String pixelKey) {
        return one("pixel_key", pixelKey);
    }

    @Override
    public List<Workspace> list() {
        return db.read(c -> {
            try (PreparedStatement ps = c.prepareStatement("SELECT " + COLUMNS + " FROM workspaces ORDER BY created_at, id");
                 ResultSet rs = ps.executeQuery()) {
                List<Workspace> out = new ArrayList<>();
                while (rs.next()) out.add(map(rs));
                return out;
            }
        });
    }

    private Optional<Workspace> one(String column, String value) {
        return db.read(c -> {
            try (PreparedStatement ps = c.prepareStatement("SELECT " + COLUMNS + " FROM workspaces WHERE " + column + " = ?")) {
                ps.setString(1, value);
                try (ResultSet rs = ps.executeQuery()) {
                    return rs.next() ? Optional.of(map(rs)) : Optional.empty();
                }
            }
        });
    }

    private static Workspace map(ResultSet rs) throws SQLException {
        return new Workspace(rs.getString("id"), rs.getString("name"), rs.getString("pixel_key"),
                Rows.instant(rs, "created_at"), new WorkspaceSettings(rs.getString("time_zone"),
                rs.getString("currency"), rs.getString("phone_region"), rs.getInt("rate_limit_per_minute")));
    }
}
