package io.touchpoint.storage.jdbc.delivery;

import io.touchpoint.storage.jdbc.sql.JsonColumns;
import io.touchpoint.core.destinations.Delivery;
import io.touchpoint.core.destinations.DeliveryStatus;
import io.touchpoint.core.destinations.OutboxEntry;
import io.touchpoint.core.model.Event;
import io.touchpoint.core.store.DestinationStore.Replay;
import io.touchpoint.storage.jdbc.sql.EventJson;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/** The delivery outbox: one row per (destination, event), written by the stage, taken by senders, shown to users. */
final class OutboxRows {
    /** The statuses still to be sent, as the partial index delivery_outbox_due names them (the text must match). */
    static final String OPEN = "status IN ('pending', 'retrying')";
    private static final String ENTRY_COLUMNS = "id, destination_id, workspace_id, event_id, event_seq, profile_id, dedup_key,"
            + " payload_id, event_body, enriched_fields, status, skip_reason, attempts, created_at, next_attempt_at";
    private static final String DELIVERY = "SELECT o.id, o.destination_id, d.type, d.name, o.event_id, o.status,"
            + " o.skip_reason, o.attempts, o.last_status_code, o.last_response, o.enriched_fields, o.created_at,"
            + " o.next_attempt_at, o.sent_at FROM delivery_outbox o JOIN destinations d ON d.id = o.destination_id";

    private OutboxRows() {
    }

    /**
     * Inserts the entries not in the outbox yet, leaving those already there as they are, and moves the stage's
     * cursor (unless {@code cursor} is negative: one event handled out of order). Entries of a destination removed since the stage read the list are dropped; one removed while this
     * runs fails the foreign key, and the stage does its batch again.
     */
    static void enqueue(Connection c, List<OutboxEntry> entries, Payloads.Plan plan, long cursor) throws SQLException {
        Set<String> live = live(c, entries);
        boolean[] wanted = new boolean[entries.size()];
        for (int i = 0; i < wanted.length; i++) wanted[i] = live.contains(entries.get(i).destinationId());
        long[] payloads = Payloads.insert(c, plan, wanted);
        try (PreparedStatement ps = c.prepareStatement("INSERT INTO delivery_outbox (destination_id, workspace_id, event_id,"
                + " event_seq, event_time, profile_id, dedup_key, payload_id, enriched_fields, status, skip_reason, attempts,"
                + " created_at, next_attempt_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)"
                + " ON CONFLICT (destination_id, event_id) DO NOTHING")) {
            List<Long> used = new ArrayList<>();
            // the destinations of an event mostly share one map of field origins: written once
            Map<Map<String, String>, String> fields = new IdentityHashMap<>();
            for (int i = 0; i < entries.size(); i++) {
                OutboxEntry e = entries.get(i);
                if (!wanted[i]) continue;
                if (e.event() == null) throw new IllegalArgumentException("an outbox entry needs the event it sends");
                long payload = payloads[plan.of()[i]];
                Statements.bind(ps, e.destinationId(), e.workspaceId(), e.eventId(), e.eventSeq(), e.event().eventTime(),
                        e.profileId(), e.dedupKey(), payload, fields.computeIfAbsent(e.enrichedFields(), JsonColumns::map),
                        e.status().wireName(),
                        e.skipReason(), e.attempts(), e.createdAt(), e.nextAttemptAt(), e.createdAt());
                ps.addBatch();
                used.add(payload);
            }
            if (!used.isEmpty()) {
                int[] counts = ps.executeBatch();
                // an entry already there keeps its payload; the one made for it is not wanted
                for (int n : counts) {
                    if (n == 0) {
                        Payloads.dropUnused(c, used);
                        break;
                    }
                }
            }
        }
        if (cursor >= 0) Statements.update(c, "UPDATE delivery_cursor SET seq = ? WHERE id = 1", cursor);
    }

    private static Set<String> live(Connection c, List<OutboxEntry> entries) throws SQLException {
        Set<String> ids = new HashSet<>();
        for (OutboxEntry e : entries) ids.add(e.destinationId());
        Set<String> out = new HashSet<>();
        for (List<String> chunk : Statements.chunks(ids)) {
            out.addAll(Statements.list(c, "SELECT id FROM destinations WHERE id IN (" + Statements.marks(chunk.size()) + ")",
                    rs -> rs.getString(1), chunk.toArray()));
        }
        return out;
    }

    static List<OutboxEntry> due(Connection c, String destinationId, Instant now, int limit) throws SQLException {
        List<Row> rows = Statements.list(c, "SELECT " + ENTRY_COLUMNS + " FROM delivery_outbox WHERE destination_id = ? AND " + OPEN
                + " AND next_attempt_at <= ? ORDER BY next_attempt_at, id LIMIT ?", OutboxRows::row, destinationId, now, limit);
        List<Long> ids = new ArrayList<>();
        for (Row r : rows) {
            if (r.payloadId() != 0) ids.add(r.payloadId());
        }
        Map<Long, Event> events = Payloads.read(c, ids);
        List<OutboxEntry> out = new ArrayList<>(rows.size());
        for (Row r : rows) {
            Event event = r.payloadId() != 0 ? events.get(r.payloadId()) : EventJson.read(r.ownBody());
            if (event == null) throw new IllegalStateException("outbox entry " + r.id() + " lost its payload " + r.payloadId());
            out.add(r.entry(event));
        }
        return out;
    }

    static Instant nextDue(Connection c, String destinationId) throws SQLException {
        return Statements.list(c, "SELECT MIN(next_attempt_at) AS next FROM delivery_outbox WHERE destination_id = ? AND " + OPEN,
                rs -> Statements.instant(rs, "next"), destinationId).get(0);
    }

    /**
     * Counted per destination along the (destination, status) index, so only open entries are read; asked of the
     * whole table, SQLite's planner would count every entry in that index.
     */
    static long openCount(Connection c) throws SQLException {
        return Statements.list(c, "SELECT COUNT(*) FROM delivery_outbox WHERE destination_id IN (SELECT id FROM destinations)"
                + " AND " + OPEN, rs -> rs.getLong(1)).get(0);
    }

    /**
     * When a destination's oldest open entry was queued, or null. Ids grow with time, so it is the open entry with the
     * least id: asked per status, each a seek in the (destination, status, id) index, where asked for both statuses at
     * once SQLite would read every open entry.
     */
    static Instant oldestOpenAt(Connection c, String destinationId) throws SQLException {
        Long oldest = null;
        for (String status : List.of("pending", "retrying")) {
            Long id = Statements.list(c, "SELECT MIN(id) AS id FROM delivery_outbox WHERE destination_id = ? AND status = ?",
                    rs -> rs.getObject("id") == null ? null : rs.getLong("id"), destinationId, status).get(0);
            if (id != null && (oldest == null || id < oldest)) oldest = id;
        }
        if (oldest == null) return null;
        return Statements.list(c, "SELECT created_at FROM delivery_outbox WHERE id = ?", rs -> Statements.instant(rs, "created_at"),
                oldest).get(0);
    }

    /** The least {@link #oldestOpenAt(Connection, String)} of every destination, or null. */
    static Instant oldestOpenAt(Connection c) throws SQLException {
        Instant oldest = null;
        for (String id : Statements.list(c, "SELECT id FROM destinations", rs -> rs.getString(1))) {
            Instant at = oldestOpenAt(c, id);
            if (at != null && (oldest == null || at.isBefore(oldest))) oldest = at;
        }
        return oldest;
    }

    static Map<String, List<Delivery>> deliveries(Connection c, String workspaceId, List<String> eventIds) throws SQLException {
        Map<String, List<Delivery>> out = new LinkedHashMap<>();
        for (List<String> chunk : Statements.chunks(new LinkedHashSet<>(eventIds))) {
            for (Delivery d : Statements.list(c, DELIVERY + " WHERE o.workspace_id = ? AND o.event_id IN ("
                    + Statements.marks(chunk.size()) + ") ORDER BY o.id", OutboxRows::delivery, Statements.params(List.of(workspaceId), chunk.toArray()))) {
                out.computeIfAbsent(d.eventId(), k -> new ArrayList<>()).add(d);
            }
        }
        return out;
    }

    static java.util.Optional<Delivery> one(Connection c, long outboxId) throws SQLException {
        return Statements.list(c, DELIVERY + " WHERE o.id = ?", OutboxRows::delivery, outboxId).stream().findFirst();
    }

    static List<Delivery> recent(Connection c, String destinationId, DeliveryStatus status, int limit) throws SQLException {
        if (status == null) {
            return Statements.list(c, DELIVERY + " WHERE o.destination_id = ? ORDER BY o.id DESC LIMIT ?",
                    OutboxRows::delivery, destinationId, limit);
        }
        return Statements.list(c, DELIVERY + " WHERE o.destination_id = ? AND o.status = ? ORDER BY o.id DESC LIMIT ?",
                OutboxRows::delivery, destinationId, status.wireName(), limit);
    }

    /**
     * Back to pending, due now, tries counted afresh. A range leaves skipped entries alone: a skip is a rule's
     * decision, which replaying a period should not undo; naming the events or the status takes them too.
     */
    static int replay(Connection c, String destinationId, Replay r, Instant now) throws SQLException {
        String reset = "UPDATE delivery_outbox SET status = 'pending', attempts = 0, next_attempt_at = ?, skip_reason = NULL,"
                + " updated_at = ? WHERE destination_id = ? AND ";
        if (r.status() != null) return Statements.update(c, reset + "status = ?", now, now, destinationId, r.status().wireName());
        if (r.eventIds() == null) {
            return Statements.update(c, reset + "event_time >= ? AND event_time < ? AND status <> 'skipped'",
                    now, now, destinationId, r.from(), r.to());
        }
        int n = 0;
        for (List<String> chunk : Statements.chunks(new LinkedHashSet<>(r.eventIds()))) {
            n += Statements.update(c, reset + "event_id IN (" + Statements.marks(chunk.size()) + ")",
                    Statements.params(List.of(now, now, destinationId), chunk.toArray()));
        }
        return n;
    }

    /** Refuses a selection that is not exactly one of event ids, a status, or a range with both ends. */
    static void check(Replay r) {
        int set = (r.eventIds() != null ? 1 : 0) + (r.status() != null ? 1 : 0) + (r.from() != null || r.to() != null ? 1 : 0);
        if (set != 1) throw new IllegalArgumentException("a replay takes event ids, a status or a time range: exactly one");
        if (r.eventIds() == null && r.status() == null && (r.from() == null || r.to() == null)) {
            throw new IllegalArgumentException("a replay's time range needs both ends");
        }
    }

    static DeliveryStatus status(String wireName) {
        return DeliveryStatus.fromWireName(wireName)
                .orElseThrow(() -> new IllegalStateException("stored delivery status " + wireName + " is unknown"));
    }

    /** An entry as read, before its event: the shared payload it sends, or (entries from before payloads) its own body. */
    private record Row(long id, String destinationId, String workspaceId, String eventId, long eventSeq, String profileId,
                       String dedupKey, long payloadId, String ownBody, Map<String, String> enrichedFields,
                       DeliveryStatus status, String skipReason, int attempts, Instant createdAt, Instant nextAttemptAt) {
        OutboxEntry entry(Event event) {
            return new OutboxEntry(id, destinationId, workspaceId, eventId, eventSeq, profileId, dedupKey, event, enrichedFields,
                    status, skipReason, attempts, createdAt, nextAttemptAt);
        }
    }

    private static Row row(ResultSet rs) throws SQLException {
        return new Row(rs.getLong("id"), rs.getString("destination_id"), rs.getString("workspace_id"),
                rs.getString("event_id"), rs.getLong("event_seq"), rs.getString("profile_id"), rs.getString("dedup_key"),
                rs.getLong("payload_id"), rs.getString("event_body"), JsonColumns.map(rs.getString("enriched_fields")),
                status(rs.getString("status")), rs.getString("skip_reason"), rs.getInt("attempts"),
                Statements.instant(rs, "created_at"), Statements.instant(rs, "next_attempt_at"));
    }

    /** A final delivery shows no next attempt: the column keeps the last one, which no sender will act on. */
    private static Delivery delivery(ResultSet rs) throws SQLException {
        DeliveryStatus status = status(rs.getString(6));
        return new Delivery(rs.getLong(1), rs.getString(2), DestinationRows.type(rs.getString(3)), rs.getString(4),
                rs.getString(5), status, rs.getString(7), rs.getInt(8), rs.getInt(9), rs.getString(10),
                JsonColumns.map(rs.getString(11)), Instant.ofEpochMilli(rs.getLong(12)),
                status.open() ? Instant.ofEpochMilli(rs.getLong(13)) : null, Statements.instant(rs, "sent_at"));
    }
}
