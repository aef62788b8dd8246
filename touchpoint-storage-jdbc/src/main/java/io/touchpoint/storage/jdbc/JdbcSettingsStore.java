package io.touchpoint.storage.jdbc;

import io.touchpoint.core.store.SettingsStore;

import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.util.Optional;

final class JdbcSettingsStore implements SettingsStore {
    private final JdbcDatabase db;

    JdbcSettingsStore(JdbcDatabase db) {
        this.db = db;
    }

    @Override
    public Optional<String> get(String key) {
        return db.read(c -> {
            try (PreparedStatement ps = c.prepareStatement("SELECT value FROM settings WHERE key = ?")) {
                ps.setString(1, key);
                try (ResultSet rs = ps.executeQuery()) {
                    return rs.next() ? Optional.of(rs.getString(1)) : Optional.empty();
                }
            }
        });
    }

    @Override
    public void put(String key, String value) {
        db.write(c -> {
            try (PreparedStatement ps = c.prepareStatement(
                    "INSERT INTO settings (key, value) VALUES (?, ?) ON CONFLICT (key) DO UPDATE SET value = excluded.value")) {
                ps.setString(1, key);
                ps.setString(2, value);
                ps.executeUpdate();
            }
            return null;
        });
    }

    @Override
    public boolean putIfAbsent(String key, String value) {
        return db.write(c -> {
            try (PreparedStatement ps = c.prepareStatement(
                    "INSERT INTO settings (key, value) VALUES (?, ?) ON CONFLICT (key) DO NOTHING")) {
                ps.setString(1, key);
                ps.setString(2, value);
                return ps.executeUpdate() == 1;
            }
        });
    }
}
