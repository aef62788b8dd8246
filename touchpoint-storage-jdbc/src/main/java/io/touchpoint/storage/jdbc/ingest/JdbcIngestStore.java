package io.touchpoint.storage.jdbc.ingest;

import io.touchpoint.core.ingest.StorableText;
import io.touchpoint.core.model.Event;
import io.touchpoint.core.model.Identifier;
import io.touchpoint.core.model.IdentifierType;
import io.touchpoint.core.store.EventLogEntry;
import io.touchpoint.core.store.IngestRecord;
import io.touchpoint.core.store.IngestResult;
import io.touchpoint.core.store.IngestLogStore;
import io.touchpoint.storage.jdbc.sql.ConsentColumn;
import io.touchpoint.storage.jdbc.sql.EventJson;
import io.touchpoint.storage.jdbc.sql.IdentifierLines;
import io.touchpoint.storage.jdbc.sql.JdbcDatabase;
import io.touchpoint.storage.jdbc.sql.Rows;
import io.touchpoint.core.store.StoreException;
import io.touchpoint.storage.jdbc.sql.WarningsColumn;

import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.stream.IntStream;

public final class JdbcIngestStore implements IngestLogStore {
    private static final List<String> EVENT_COLUMNS = List.of("id", "workspace_id", "source", "request_id",
            "received_at", "event_time", "name", "idempotency_key", "body", "log_partition");
    private static final List<String> LOG_COLUMNS = List.of("request_id", "item_index", "workspace_id", "received_at",
            "endpoint", "source", "outcome", "http_status", "error_code", "error_param", "error_message", "event_name",
            "email", "event_id", "payload", "warnings", "identifiers", "consent");
    /** Longer values are no identifier any sender can have (ingest caps them at 500 characters): not indexed. */
    static final int MAX_IDENTIFIER_CHARS = 500;
    private static final String SELECT_POSITION = "SELECT next_offset FROM ingest_log_positions WHERE log = ? AND log_partition = ?";
    private static final String UPDATE_POSITION = "UPDATE ingest_log_positions SET next_offset = ? WHERE log = ?"
            + " AND log_partition = ? AND next_offset = ?";
    private static final String INSERT_POSITION = "INSERT INTO ingest_log_positions (log, log_partition, next_offset) VALUES (?, ?, ?)";
    /** Below this, handing work to other threads costs more than it saves. */
    private static final int PARALLEL_ENCODE_MIN = 32;
    private final JdbcDatabase db;

    public JdbcIngestStore(JdbcDatabase db) {
        this.db = db;
    }

    @Override
    public List<IngestResult> commit(List<IngestRecord> batch) {
        return commitEncoded(encode(batch, batch.size() >= PARALLEL_ENCODE_MIN, null));
    }

    @Override
    public Encoded prepare(List<IngestRecord> records) {
        return encode(records, false, null);
    }

    @Override
    public List<IngestResult> commitPrepared(List<? extends Prepared> parts) {
        if (parts.size() == 1 && parts.get(0) instanceof Encoded one) return commitEncoded(one);
        List<IngestRecord> records = new ArrayList<>();
        List<Object[]> eventRows = new ArrayList<>();
        List<Object[]> logRows = new ArrayList<>();
        for (Prepared p : parts) {
            Encoded e = p instanceof Encoded done ? done : encode(p.records(), false, null);
            records.addAll(e.records());
            eventRows.addAll(Arrays.asList(e.eventRows()));
            logRows.addAll(Arrays.asList(e.logRows()));
        }
        return commitEncoded(new Encoded(records, eventRows.toArray(Object[][]::new), logRows.toArray(Object[][]::new)));
    }

    private List<IngestResult> commitEncoded(Encoded batch) {
        try {
            return commitOnce(batch, null).orElseThrow();
        } catch (StoreException e) {
            // another writer (a second ingest node on PostgreSQL) committed the same idempotency key between our
            // check and our insert: run again, and the check now sees its event and answers duplicate
            if (!Rows.isUniqueViolation(e)) throw e;
            return commitOnce(batch, null).orElseThrow();
        }
    }

    /**
     * Records with their rows as the tables take them: per record its {@code events} row (null for a log-only
     * record) and its {@code event_log} row as an accepted entry.
     */
    public record Encoded(List<IngestRecord> records, Object[][] eventRows, Object[][] logRows) implements Prepared {
    }

    @Override
    public long logPosition(String log, int partition) {
        Long next = db.read(c -> {
            try (PreparedStatement ps = c.prepareStatement(SELECT_POSITION)) {
                Rows.setParams(ps, log, partition);
                try (ResultSet rs = ps.executeQuery()) {
                    return rs.next() ? rs.getLong(1) : null;
                }
            }
        });
        return next == null ? 0 : next;
    }

    @Override
    public Optional<List<IngestResult>> commitFromLog(String log, int partition, long from, long to, List<IngestRecord> batch) {
        if (to < from) throw new IllegalArgumentException("a log position moves forward");
        LogMove move = new LogMove(log, partition, from, to);
        Encoded encoded = encode(batch, batch.size() >= PARALLEL_ENCODE_MIN, move.partition());
        try {
            return commitOnce(encoded, move);
        } catch (StoreException e) {
            if (!Rows.isUniqueViolation(e)) throw e;
            return commitOnce(encoded, move); // a key (or the partition's first position) committed by another writer
        }
    }

    /** A partition of an ingest log moving from one position to the next with the records between. */
    private record LogMove(String log, int partition, long from, long to) {
    }

    /**
     * Moves the partition's position in the open transaction; false when it is not at {@code from}. The row is locked
     * until the commit, so of two processes holding the same partition for a moment, the second waits and then finds it
     * moved.
     */
    private static boolean move(java.sql.Connection c, LogMove m) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(UPDATE_POSITION)) {
            Rows.setParams(ps, m.to(), m.log(), m.partition(), m.from());
            if (ps.executeUpdate() == 1) return true;
        }
        if (m.from() != 0) return false;
        try (PreparedStatement ps = c.prepareStatement(SELECT_POSITION)) {
            Rows.setParams(ps, m.log(), m.partition());
            try (ResultSet rs = ps.executeQuery()) {
                if (rs.next()) return false;
            }
        }
        try (PreparedStatement ps = c.prepareStatement(INSERT_POSITION)) {
            Rows.setParams(ps, m.log(), m.partition(), m.to());
            ps.executeUpdate(); // a unique violation: another writer's first batch of this partition came first
        }
        // the stages' positions in the partition exist from its first event on: the stages after them wait for them
        Rows.update(c, "INSERT INTO stage_partition_cursors (stage, log_partition, seq) VALUES ('identity', ?, 0), ('attribution', ?, 0),"
                + " ('delivery', ?, 0) ON CONFLICT (stage, log_partition) DO NOTHING", m.partition(), m.partition(), m.partition());
        return true;
    }

    private Optional<List<IngestResult>> commitOnce(Encoded encoded, LogMove logMove) {
        List<IngestRecord> batch = encoded.records();
        return db.write(c -> {
            if (logMove != null && !move(c, logMove)) return Optional.<List<IngestResult>>empty();
            db.dialect().lockCommitOrder(c);
            String[] stored = storedWithKeys(c, batch);
            List<IngestResult> results = new ArrayList<>(batch.size());
            List<Object[]> events = new ArrayList<>(batch.size());
            List<Object[]> logs = new ArrayList<>(batch.size());
            Map<String, String> keysInBatch = new HashMap<>();
            for (int i = 0; i < batch.size(); i++) {
                IngestRecord r = batch.get(i);
                Event e = r.event();
                Object[] logRow = encoded.logRows()[i];
                IngestResult result;
                if (e == null) {
                    result = new IngestResult.Logged();
                } else {
                    String first = e.idempotencyKey() == null ? null
                            : stored[i] != null ? stored[i] : keysInBatch.get(key(e.workspaceId(), e.idempotencyKey()));
                    if (first != null) {
                        result = new IngestResult.Duplicate(first);
                        // rare: the row is built again from the entry rather than patched column by column
                        logRow = logRow(r.log().asDuplicateOf(first), identifiers(r.log(), e));
                    } else {
                        events.add(encoded.eventRows()[i]);
                        if (e.idempotencyKey() != null) keysInBatch.put(key(e.workspaceId(), e.idempotencyKey()), e.id());
                        result = new IngestResult.Stored(e.id());
                    }
                }
                logs.add(logRow);
                results.add(result);
            }
            db.dialect().insertRows(c, "events", EVENT_COLUMNS, events);
            db.dialect().insertRows(c, "event_log", LOG_COLUMNS, logs);
            return Optional.of(results);
        });
    }

    private static String key(String workspaceId, String idempotencyKey) {
        return workspaceId + '\n' + idempotencyKey;
    }

    /** For each record, the id of the event already stored with its event's idempotency key; null where none is. */
    private String[] storedWithKeys(java.sql.Connection c, List<IngestRecord> batch) throws SQLException {
        List<Integer> at = new ArrayList<>();
        List<String> workspaceIds = new ArrayList<>();
        List<String> keys = new ArrayList<>();
        for (int i = 0; i < batch.size(); i++) {
            Event e = batch.get(i).event();
            if (e == null || e.idempotencyKey() == null) continue;
            at.add(i);
            workspaceIds.add(e.workspaceId());
            keys.add(e.idempotencyKey());
        }
        String[] stored = new String[batch.size()];
        if (keys.isEmpty()) return stored;
        List<String> ids = db.dialect().eventIdsWithKeys(c, workspaceIds, keys);
        for (int k = 0; k < at.size(); k++) stored[at.get(k)] = ids.get(k);
        return stored;
    }

    /** Each record's rows, in parallel for large batches: serialising is pure CPU and needs no transaction. */
    private static Encoded encode(List<IngestRecord> records, boolean parallel, Integer partition) {
        Object[][] eventRows = new Object[records.size()][];
        Object[][] logRows = new Object[records.size()][];
        IntStream indexes = IntStream.range(0, records.size());
        if (parallel) indexes = indexes.parallel();
        indexes.forEach(i -> {
            IngestRecord r = records.get(i);
            if (r.event() != null) eventRows[i] = eventRow(r.event(), partition);
            logRows[i] = logRow(r.log(), identifiers(r.log(), r.event()));
        });
        return new Encoded(List.copyOf(records), eventRows, logRows);
    }

    /** {@code partition}: the ingest log partition the event came from, which the stages of Kafka mode follow; null without the log. */
    private static Object[] eventRow(Event e, Integer partition) {
        return new Object[]{e.id(), e.workspaceId(), e.source().wireName(), e.requestId(), e.receivedAt().toEpochMilli(),
                e.eventTime().toEpochMilli(), e.name(), e.idempotencyKey(), EventJson.write(e), partition};
    }

    /**
     * What the entry's {@code identifiers} column holds until the log indexer moves it into event_log_identifiers,
     * by which {@code ?identifier=} finds the entry: its event's identifiers as stored (accepted and
     * duplicate entries) and the email it names, trimmed and lower-cased; null when none. Written here beside the row,
     * an append, not as index rows, whose random places would cost the one ingest writer as much again as the row.
     */
    static String identifiers(EventLogEntry l, Event e) {
        if (l.workspaceId() == null) return null;
        Set<String> lines = new java.util.LinkedHashSet<>();
        if (e != null) {
            for (Identifier i : e.identifiers()) add(lines, i.type().wireName(), i.value());
        }
        if (l.email() != null) add(lines, IdentifierType.EMAIL.wireName(), l.email().strip().toLowerCase(Locale.ROOT));
        return lines.isEmpty() ? null : IdentifierLines.join(lines);
    }

    private static void add(Set<String> lines, String type, String value) {
        // a value no store can hold (U+0000, an unpaired surrogate) cannot be asked for either: ingest refuses it, and
        // an event that has one anyway (written by other means) is logged without it rather than not at all
        if (value == null || value.isEmpty() || value.length() > MAX_IDENTIFIER_CHARS || !StorableText.storable(value)
                || !IdentifierLines.fits(value)) {
            return;
        }
        lines.add(IdentifierLines.line(type, value));
    }

    private static Object[] logRow(EventLogEntry l, String identifiers) {
        return new Object[]{l.requestId(), l.itemIndex(), l.workspaceId(), l.receivedAt().toEpochMilli(), l.endpoint(),
                l.source(), l.outcome().wireName(), l.httpStatus(), l.errorCode(), l.errorParam(), l.errorMessage(),
                l.eventName(), l.email(), l.eventId(), l.payload(), WarningsColumn.write(l.warnings()),
                identifiers, ConsentColumn.write(l.consent())};
    }
}
