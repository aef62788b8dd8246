package io.touchpoint.storage.jdbc.delivery;

import io.touchpoint.core.destinations.DeliveryAttempt;
import io.touchpoint.core.destinations.DeliveryStatus;
import io.touchpoint.core.destinations.DestinationStats;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;

/** The ledger of attempts: every try at every outbox entry, kept with what it came to. */
final class LedgerRows {
    private LedgerRows() {
    }

    /**
     * Moves each entry to its attempt's outcome and adds the attempt to the ledger, in two statement batches (a
     * sender's batch of attempts costs two round trips, not two per attempt). An entry removed meanwhile (its
     * destination deleted while a sender was at it) is passed over: there is nothing left to record against.
     */
    static void record(Connection c, List<DeliveryAttempt> attempts) throws SQLException {
        int[] moved;
        try (PreparedStatement ps = c.prepareStatement("UPDATE delivery_outbox SET status = ?, attempts = attempts + 1,"
                + " next_attempt_at = COALESCE(?, next_attempt_at), last_status_code = ?, last_response = ?,"
                + " skip_reason = ?, updated_at = ?, sent_at = COALESCE(?, sent_at) WHERE id = ?")) {
            for (DeliveryAttempt a : attempts) {
                Statements.bind(ps, a.outcome().wireName(), a.outcome() == DeliveryStatus.RETRYING ? a.nextAttemptAt() : null,
                        a.statusCode(), a.response(), a.reason(), a.attemptedAt(),
                        a.outcome() == DeliveryStatus.SENT ? a.attemptedAt() : null, a.outboxId());
                ps.addBatch();
            }
            moved = ps.executeBatch();
        }
        try (PreparedStatement ps = c.prepareStatement("INSERT INTO delivery_attempts (outbox_id, destination_id, attempted_at,"
                + " status_code, response, outcome, reason, next_attempt_at) VALUES (?, (SELECT destination_id FROM"
                + " delivery_outbox WHERE id = ?), ?, ?, ?, ?, ?, ?)")) {
            boolean any = false;
            for (int i = 0; i < attempts.size(); i++) {
                if (moved[i] == 0) continue;
                DeliveryAttempt a = attempts.get(i);
                Statements.bind(ps, a.outboxId(), a.outboxId(), a.attemptedAt(), a.statusCode(), a.response(),
                        a.outcome().wireName(), a.reason(), a.nextAttemptAt());
                ps.addBatch();
                any = true;
            }
            if (any) ps.executeBatch();
        }
    }

    static List<DeliveryAttempt> attempts(Connection c, long outboxId) throws SQLException {
        return Statements.list(c, "SELECT outbox_id, attempted_at, status_code, response, outcome, reason, next_attempt_at"
                + " FROM delivery_attempts WHERE outbox_id = ? ORDER BY id", LedgerRows::attempt, outboxId);
    }

    /**
     * Counts from the outbox's (destination, status) index; the last failure and the last success from the ledger's
     * (destination, outcome, time) index, each one step down an index rather than a read of the whole ledger.
     */
    static DestinationStats stats(Connection c, String destinationId) throws SQLException {
        Map<DeliveryStatus, Long> counts = new EnumMap<>(DeliveryStatus.class);
        for (DeliveryStatus s : DeliveryStatus.values()) counts.put(s, 0L);
        for (Object[] r : Statements.list(c, "SELECT status, COUNT(*) FROM delivery_outbox WHERE destination_id = ? GROUP BY status",
                rs -> new Object[]{rs.getString(1), rs.getLong(2)}, destinationId)) {
            counts.put(OutboxRows.status((String) r[0]), (Long) r[1]);
        }
        DeliveryAttempt failure = null;
        long failureId = 0;
        for (DeliveryStatus outcome : List.of(DeliveryStatus.RETRYING, DeliveryStatus.DEAD)) {
            for (Object[] r : Statements.list(c, "SELECT id, outbox_id, attempted_at, status_code, response, outcome, reason,"
                            + " next_attempt_at FROM delivery_attempts WHERE destination_id = ? AND outcome = ?"
                            + " ORDER BY attempted_at DESC, id DESC LIMIT 1",
                    rs -> new Object[]{rs.getLong("id"), attempt(rs)}, destinationId, outcome.wireName())) {
                DeliveryAttempt a = (DeliveryAttempt) r[1];
                if (failure == null || a.attemptedAt().isAfter(failure.attemptedAt())
                        || a.attemptedAt().equals(failure.attemptedAt()) && (Long) r[0] > failureId) {
                    failure = a;
                    failureId = (Long) r[0];
                }
            }
        }
        Instant lastSent = Statements.list(c, "SELECT MAX(attempted_at) AS sent FROM delivery_attempts WHERE destination_id = ?"
                + " AND outcome = 'sent'", rs -> Statements.instant(rs, "sent"), destinationId).get(0);
        return new DestinationStats(counts, failure == null ? null : failure.attemptedAt(),
                failure == null ? null : describe(failure), lastSent, OutboxRows.oldestOpenAt(c, destinationId));
    }

    /** "HTTP 400: <the platform's answer>" when an answer came; else why not (refused, timed out). */
    static String describe(DeliveryAttempt a) {
        if (a.statusCode() > 0) return "HTTP " + a.statusCode() + (a.response() == null ? "" : ": " + a.response());
        return a.reason() != null ? a.reason() : a.response();
    }

    private static DeliveryAttempt attempt(ResultSet rs) throws SQLException {
        return new DeliveryAttempt(rs.getLong("outbox_id"), Statements.instant(rs, "attempted_at"), rs.getInt("status_code"),
                rs.getString("response"), OutboxRows.status(rs.getString("outcome")), rs.getString("reason"),
                Statements.instant(rs, "next_attempt_at"));
    }
}
