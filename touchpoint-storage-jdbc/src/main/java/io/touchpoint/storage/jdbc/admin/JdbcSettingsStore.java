package io.touchpoint.storage.jdbc.admin;

import io.touchpoint.core.store.SettingsStore;
import io.touchpoint.storage.jdbc.sql.JdbcDatabase;
import io.touchpoint.storage.jdbc.sql.Sql;

import java.util.Optional;

public final class JdbcSettingsStore implements SettingsStore {
    private final JdbcDatabase db;

    public JdbcSettingsStore(JdbcDatabase db) {
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
