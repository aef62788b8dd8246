package io.touchpoint.storage.jdbc.admin;

import io.touchpoint.core.model.PixelSettings;
import io.touchpoint.core.store.PixelSettingsStore;
import io.touchpoint.storage.jdbc.sql.JdbcDatabase;

import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.util.Arrays;
import java.util.List;

public final class JdbcPixelSettingsStore implements PixelSettingsStore {
    private final JdbcDatabase db;

    public JdbcPixelSettingsStore(JdbcDatabase db) {
        this.db = db;
    }

    @Override
    public PixelSettings get(String workspaceId) {
        return db.read(c -> {
            try (PreparedStatement ps = c.prepareStatement(
                    "SELECT allowed_origins, domains, cookie_domains FROM pixel_settings WHERE workspace_id = ?")) {
                ps.setString(1, workspaceId);
                try (ResultSet rs = ps.executeQuery()) {
                    return rs.next() ? new PixelSettings(lines(rs.getString(1)), lines(rs.getString(2)), lines(rs.getString(3)))
                            : PixelSettings.DEFAULTS;
                }
            }
        });
    }

    @Override
    public void put(String workspaceId, PixelSettings s) {
        db.write(c -> {
            try (PreparedStatement ps = c.prepareStatement("INSERT INTO pixel_settings (workspace_id, allowed_origins,"
                    + " domains, cookie_domains) VALUES (?, ?, ?, ?) ON CONFLICT (workspace_id) DO UPDATE SET"
                    + " allowed_origins = excluded.allowed_origins, domains = excluded.domains,"
                    + " cookie_domains = excluded.cookie_domains")) {
                ps.setString(1, workspaceId);
                ps.setString(2, String.join("\n", s.allowedOrigins()));
                ps.setString(3, String.join("\n", s.domains()));
                ps.setString(4, String.join("\n", s.cookieDomains()));
                ps.executeUpdate();
            }
            return null;
        });
    }

    private static List<String> lines(String text) {
        return text == null || text.isEmpty() ? List.of() : Arrays.asList(text.split("\n"));
    }
}
