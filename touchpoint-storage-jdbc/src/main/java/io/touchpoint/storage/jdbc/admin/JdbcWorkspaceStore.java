package io.touchpoint.storage.jdbc.admin;

import io.touchpoint.core.consent.ConsentSettings;
import io.touchpoint.core.model.Workspace;
import io.touchpoint.core.model.WorkspaceSettings;
import io.touchpoint.core.store.DuplicateNameException;
import io.touchpoint.core.store.WorkspaceStore;
import io.touchpoint.storage.jdbc.sql.JdbcDatabase;
import io.touchpoint.storage.jdbc.sql.Rows;
import io.touchpoint.storage.jdbc.sql.Sql;
import io.touchpoint.core.store.StoreException;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.List;
import java.util.Optional;

public final class JdbcWorkspaceStore implements WorkspaceStore {
    private static final String COLUMNS =
            "id, name, pixel_key, created_at, time_zone, currency, phone_region, rate_limit_per_minute, consent_default,"
            + " consent_denied_regions, consent_limited_data_use_regions";
    private static final String SELECT = "SELECT " + COLUMNS + " FROM workspaces ";
    private final JdbcDatabase db;

    public JdbcWorkspaceStore(JdbcDatabase db) {
        this.db = db;
    }

    /** The unique name index decides, so two processes creating the same name at once cannot both succeed. */
    @Override
    public void create(Workspace w) {
        WorkspaceSettings s = w.settings();
        try {
            ConsentSettings c = s.consent();
            Sql.update(db, "INSERT INTO workspaces (" + COLUMNS + ") VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)", w.id(),
                    w.name(), w.pixelKey(), w.createdAt(), s.timeZone(), s.currency(), s.phoneRegion(),
                    s.rateLimitPerMinute(), c.defaultMode().wireName(), regions(c.deniedRegions()),
                    regions(c.limitedDataUseRegions()));
        } catch (StoreException e) {
            if (Rows.isUniqueViolation(e) && byName(w.name()).isPresent()) {
                throw new DuplicateNameException("a workspace named '" + w.name() + "' exists");
            }
            throw e;
        }
    }

    @Override
    public Optional<Workspace> byId(String id) {
        return Sql.one(db, SELECT + "WHERE id = ?", JdbcWorkspaceStore::map, id);
    }

    @Override
    public Optional<Workspace> byName(String name) {
        return Sql.one(db, SELECT + "WHERE name = ?", JdbcWorkspaceStore::map, name);
    }

    @Override
    public Optional<Workspace> byPixelKey(String pixelKey) {
        return Sql.one(db, SELECT + "WHERE pixel_key = ?", JdbcWorkspaceStore::map, pixelKey);
    }

    @Override
    public List<Workspace> list() {
        return Sql.list(db, SELECT + "ORDER BY created_at, id", JdbcWorkspaceStore::map);
    }

    @Override
    public boolean updateSettings(String workspaceId, WorkspaceSettings s) {
        ConsentSettings c = s.consent();
        return Sql.update(db, "UPDATE workspaces SET time_zone = ?, currency = ?, phone_region = ?, "
                + "rate_limit_per_minute = ?, consent_default = ?, consent_denied_regions = ?,"
                + " consent_limited_data_use_regions = ? WHERE id = ?", s.timeZone(), s.currency(), s.phoneRegion(),
                s.rateLimitPerMinute(), c.defaultMode().wireName(), regions(c.deniedRegions()),
                regions(c.limitedDataUseRegions()), workspaceId) == 1;
    }

    private static String regions(List<String> regions) {
        return String.join(",", regions);
    }

    /** A region list as stored; NULL (a workspace from before consent was a setting) is {@code fallback}. */
    private static List<String> regions(String column, List<String> fallback) {
        if (column == null) return fallback;
        return column.isEmpty() ? List.of() : List.of(column.split(","));
    }

    private static Workspace map(ResultSet rs) throws SQLException {
        ConsentSettings defaults = ConsentSettings.DEFAULTS;
        String mode = rs.getString("consent_default");
        ConsentSettings consent = new ConsentSettings(
                mode == null ? defaults.defaultMode() : ConsentSettings.DefaultMode.fromWireName(mode).orElseThrow(
                        () -> new StoreException("a stored consent default is not known: '" + mode + "'", null)),
                regions(rs.getString("consent_denied_regions"), defaults.deniedRegions()),
                regions(rs.getString("consent_limited_data_use_regions"), defaults.limitedDataUseRegions()));
        return new Workspace(rs.getString("id"), rs.getString("name"), rs.getString("pixel_key"),
                Rows.instant(rs, "created_at"), new WorkspaceSettings(rs.getString("time_zone"),
                rs.getString("currency"), rs.getString("phone_region"), rs.getInt("rate_limit_per_minute"), consent));
    }
}
