package io.touchpoint.storage.jdbc.users;

import io.touchpoint.core.store.SessionStore;
import io.touchpoint.storage.jdbc.sql.JdbcDatabase;
import io.touchpoint.storage.jdbc.sql.Rows;
import io.touchpoint.storage.jdbc.sql.Sql;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.Optional;

public final class JdbcSessionStore implements SessionStore {
    private static final String COLUMNS = "id_hash, csrf_token, created_at, expires_at, user_id, admin_hash";
    private final JdbcDatabase db;

    public JdbcSessionStore(JdbcDatabase db) {
        this.db = db;
    }

    @Override
    public void create(StoredSession s) {
        Sql.update(db, "INSERT INTO sessions (" + COLUMNS + ") VALUES (?, ?, ?, ?, ?, ?)", s.idHash(), s.csrfToken(),
                s.createdAt(), s.expiresAt(), s.userId(), s.adminHash());
    }

    @Override
    public Optional<StoredSession> byIdHash(String idHash) {
        return Sql.one(db, "SELECT " + COLUMNS + " FROM sessions WHERE id_hash = ?", JdbcSessionStore::map, idHash);
    }

    @Override
    public boolean delete(String idHash) {
        return Sql.update(db, "DELETE FROM sessions WHERE id_hash = ?", idHash) == 1;
    }

    @Override
    public int deleteOfUser(String userId) {
        return Sql.update(db, "DELETE FROM sessions WHERE user_id = ?", userId);
    }

    @Override
    public int deleteExpired(Instant now) {
        return Sql.update(db, "DELETE FROM sessions WHERE expires_at <= ?", now);
    }

    private static StoredSession map(ResultSet rs) throws SQLException {
        return new StoredSession(rs.getString("id_hash"), rs.getString("csrf_token"), Rows.instant(rs, "created_at"),
                Rows.instant(rs, "expires_at"), rs.getString("user_id"), rs.getString("admin_hash"));
    }
}
