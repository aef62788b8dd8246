package io.touchpoint.storage.jdbc;

import io.touchpoint.core.model.Event;
import io.touchpoint.core.store.EventStore;

import java.util.Optional;

final class JdbcEventStore implements EventStore {
    private final JdbcDatabase db;

    JdbcEventStore(JdbcDatabase db) {
        this.db = db;
    }

    @Override
    public Optional<Event> find(String workspaceId, String eventId) {
        return Sql.one(db, "SELECT body FROM events WHERE workspace_id = ? AND id = ?",
                rs -> EventJson.read(rs.getString(1)), workspaceId, eventId);
    }

    @Override
    public long count(String workspaceId) {
        return Sql.one(db, "SELECT COUNT(*) FROM events WHERE workspace_id = ?", rs -> rs.getLong(1), workspaceId)
                .orElse(0L);
    }
}
