package io.touchpoint.storage.jdbc;

import io.touchpoint.core.model.Event;
import io.touchpoint.core.store.EventStore;

import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.util.Optional;

final class JdbcEventStore implements EventStore {
    private final JdbcDatabase db;

    JdbcEventStore(JdbcDatabase db) {
        this.db = db;
    }

    @Override
    public Optional<Event> find(String workspaceId, String eventId) {
        return db.read(c -> {
            try (PreparedStatement ps = c.prepareStatement("SELECT body FROM events WHERE workspace_id = ? AND id = ?")) {
                ps.setString(1, workspaceId);
                ps.setString(2, eventId);
                try (ResultSet rs = ps.executeQuery()) {
                    return rs.next() ? Optional.of(EventJson.read(rs.getString(1))) : Optional.empty();
                }
            }
        });
    }

    @Override
    public long count(String workspaceId) {
        return db.read(c -> {
            try (PreparedStatement ps = c.prepareStatement("SELECT COUNT(*) FROM events WHERE workspace_id = ?")) {
                ps.setString(1, workspaceId);
                try (ResultSet rs = ps.executeQuery()) {
                    return rs.next() ? rs.getLong(1) : 0L;
                }
            }
        });
    }
}
