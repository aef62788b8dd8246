package io.touchpoint.storage.jdbc;

import io.touchpoint.core.store.SettingsStore;

import java.util.Optional;

final class JdbcSettingsStore implements SettingsStore {
    private final JdbcDatabase db;

    JdbcSettingsStore(JdbcDatabase db) {
        this.db = db;
    }

    @Override
    public Optional<String> get(String key) {
        return Sql.one(db, "SELECT value FROM settings WHERE key = ?", rs -> rs.getString(1), key);
    }

    @Override
    public void put(String key, String value) {
        Sql.update(db, "INSERT INTO settings (key, value) VALUES (?, ?) ON CONFLICT (key) DO UPDATE SET value = excluded.value",
                key, value);
    }

    @Override
    public boolean putIfAbsent(String key, String value) {
        return Sql.update(db, "INSERT INTO settings (key, value) VALUES (?, ?) ON CONFLICT (key) DO NOTHING", key, value) == 1;
    }
}
