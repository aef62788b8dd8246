package io.touchpoint.storage.jdbc;

import io.touchpoint.core.model.Event;
import io.touchpoint.core.store.EventLogEntry;
import io.touchpoint.core.store.IngestRecord;
import io.touchpoint.core.store.IngestResult;
import io.touchpoint.core.store.IngestStore;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

final class JdbcIngestStore implements IngestStore {
    private static final String INSERT_EVENT = "INSERT INTO events (id, workspace_id, source, request_id, received_at,"
            + " event_time, name, idempotency_key, body) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)";
    private static final String INSERT_LOG = "INSERT INTO event_log (request_id, item_index, workspace_id, received_at,"
            + " endpoint, source, outcome, http_status, error_code, error_param, error_message, event_name, email,"
            + " event_id, payload) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)";
    private final JdbcDatabase db;

    JdbcIngestStore(JdbcDatabase db) {
        this.db = db;
    }

    @Override
    public List<IngestResult> commit(List<IngestRecord> batch) {
        try {
            return commitOnce(batch);
        } catch (StoreException e) {
            // another writer (a second ingest node on PostgreSQL) committed the same idempotency key between our
            // check and our insert: run again, and the check now sees its event and answers duplicate
            if (!Rows.isUniqueViolation(e)) throw e;
            return commitOnce(batch);
        }
    }

    private List<IngestResult> commitOnce(List<IngestRecord> batch) {
        return db.write(c -> {
            List<IngestResult> results = new ArrayList<>(batch.size());
            Map<String, String> keysInBatch = new HashMap<>();
            try (PreparedStatement events = c.prepareStatement(INSERT_EVENT);
                 PreparedStatement logs = c.prepareStatement(INSERT_LOG)) {
                for (IngestRecord r : batch) {
                    EventLogEntry log = r.log();
                    Event e = r.event();
                    IngestResult result;
                    if (e == null) {
                        result = new IngestResult.Logged();
                    } else {
                        String first = e.idempotencyKey() == null ? null
                                : firstWithKey(c, keysInBatch, e.workspaceId(), e.idempotencyKey());
                        if (first != null) {
                            result = new IngestResult.Duplicate(first);
                            log = log.asDuplicateOf(first);
                        } else {
                            addEvent(events, e);
                            if (e.idempotencyKey() != null) keysInBatch.put(key(e.workspaceId(), e.idempotencyKey()), e.id());
                            result = new IngestResult.Stored(e.id());
                        }
                    }
                    addLog(logs, log);
                    results.add(result);
                }
                events.executeBatch();
                logs.executeBatch();
            }
            return results;
        });
    }

    private static String key(String workspaceId, String idempotencyKey) {
        return workspaceId + '\n' + idempotencyKey;
    }

    private static String firstWithKey(Connection c, Map<String, String> keysInBatch, String workspaceId,
                                       String idempotencyKey) throws SQLException {
        String inBatch = keysInBatch.get(key(workspaceId, idempotencyKey));
        if (inBatch != null) return inBatch;
        try (PreparedStatement ps = c.prepareStatement(
                "SELECT id FROM events WHERE workspace_id = ? AND idempotency_key = ?")) {
            ps.setString(1, workspaceId);
            ps.setString(2, idempotencyKey);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next() ? rs.getString(1) : null;
            }
        }
    }

    private static void addEvent(PreparedStatement ps, Event e) throws SQLException {
        Rows.setParams(ps, e.id(), e.workspaceId(), e.source().wireName(), e.requestId(), e.receivedAt(),
                e.eventTime(), e.name(), e.idempotencyKey(), EventJson.write(e));
        ps.addBatch();
    }

    private static void addLog(PreparedStatement ps, EventLogEntry l) throws SQLException {
        Rows.setParams(ps, l.requestId(), l.itemIndex(), l.workspaceId(), l.receivedAt(), l.endpoint(), l.source(),
                l.outcome().wireName(), l.httpStatus(), l.errorCode(), l.errorParam(), l.errorMessage(),
                l.eventName(), l.email(), l.eventId(), l.payload());
        ps.addBatch();
    }
}
