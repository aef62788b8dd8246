package io.touchpoint.storage.jdbc.erasure;

import io.touchpoint.core.model.Identifier;
import io.touchpoint.core.model.IdentifierType;
import io.touchpoint.storage.jdbc.ledger.AttributionLedger;
import io.touchpoint.storage.jdbc.ledger.TrafficRollup;
import io.touchpoint.storage.jdbc.ledger.GraphReads;
import io.touchpoint.storage.jdbc.ledger.PersonErasure;
import io.touchpoint.storage.jdbc.sql.EventJson;
import io.touchpoint.storage.jdbc.sql.JdbcDatabase;
import io.touchpoint.storage.jdbc.sql.Rows;
import io.touchpoint.core.store.StoreException;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.locks.ReentrantLock;

import static io.touchpoint.storage.jdbc.sql.Rows.strings;
import static io.touchpoint.storage.jdbc.sql.Rows.update;

/**
 * Erasing a person: a profile and every profile merged into it. Their events go, with the events' attribution
 * rows and delivery outbox entries; their identifiers, merge log and profile rows go; and every events-log row
 * that names one of their identifiers ({@link PersonMatcher}) keeps its outcome but loses its payload, e-mail and
 * warnings (a dropped field's warning may quote what was sent), and its error message or event name where those name
 * them. The rows searched are the workspace's and those of
 * no workspace (requests refused before their workspace was known).
 *
 * <p>Refused requests have no event and their payload is text as sent (an e-mail in an array, malformed JSON, a
 * phone number alone), so the log is searched: one pass over it in commit order, in reads of at most
 * {@link #CHUNK} rows taken before the write so that neither ingest nor the identity processor waits for it, then,
 * inside the write, the rows committed meanwhile and any identifier linked meanwhile. The pass reads the whole
 * log, other workspaces' rows included (their text stays in the database), so its cost grows with the log: 6 to
 * 18 seconds per million rows of about 330 characters, on either store, measured on a 2-core machine shared with
 * other work; an erasure is rare. A request committed while the erasure runs may be missed, as one committed just
 * after it is kept: on PostgreSQL a row can commit after rows numbered above it, which the search has passed.
 * After the commit the database removes the copies its files keep of what was removed, where it can
 * ({@link JdbcDatabase#afterErasure}).
 */
public final class Erasure implements PersonErasure {
    /**
     * Events-log rows per read of the search, at most. PostgreSQL's driver holds a read's rows at once, and a
     * refused request's payload may reach about 1 MB, so this bounds the memory a read takes there.
     */
    static final int CHUNK = 200;
    /** SQLite hands rows over one at a time: a read there also ends once its rows' text is this long. */
    static final long CHUNK_CHARS = 16L << 20;
    /** Rows committed during the search that the write reads itself, rather than searching them again before it. */
    static final long LEFT_FOR_THE_WRITE = 10_000;
    private static final int CATCH_UP_ROUNDS = 5;

    private final JdbcDatabase db;
    private final ReentrantLock graphLock;
    private final Runnable removeFromSearchIndex;

    /**
     * @param graphLock             the identity graph's writers' lock, held for the write
     * @param removeFromSearchIndex takes the erased links out of the people search's index file, where there is one,
     *                              once the erasure committed
     */
    public Erasure(JdbcDatabase db, ReentrantLock graphLock, Runnable removeFromSearchIndex) {
        this.db = db;
        this.graphLock = graphLock;
        this.removeFromSearchIndex = removeFromSearchIndex;
    }

    /** The person's profiles and identifiers, as linked when read. */
    private record Person(String canonical, List<String> members, Set<Identifier> identifiers) {
    }

    /** An events-log row that names the person; whether its error message and its event name do too. */
    private record Hit(boolean message, boolean name) {
        Hit or(Hit other) {
            return new Hit(message || other.message, name || other.name);
        }
    }

    /** What one read of the search saw: whether rows may follow, and the last row's seq. */
    private record Chunk(boolean more, long lastSeq) {
    }

    /** Runs a read of the search: on a pooled connection before the write, on the write's own inside it. */
    private interface Reader {
        Chunk read(JdbcDatabase.Work<Chunk> work) throws SQLException;
    }

    @Override
    public boolean erase(String ws, String profileId) {
        Optional<Person> before = db.read(c -> person(c, ws, profileId));
        if (before.isEmpty()) return false;
        Set<Identifier> searched = before.get().identifiers();
        PersonMatcher matcher = new PersonMatcher(searched);
        Map<Long, Hit> hits = new HashMap<>();
        Reader pooled = db::read;
        long upTo = latestLogSeq();
        try {
            search(pooled, ws, matcher, 0, upTo, hits);
            // rows committed during the search: searched again while many, so that the write has few left
            for (int round = 0; round < CATCH_UP_ROUNDS; round++) {
                long end = latestLogSeq();
                if (end - upTo <= LEFT_FOR_THE_WRITE) break;
                search(pooled, ws, matcher, upTo, end, hits);
                upTo = end;
            }
        } catch (SQLException e) {
            throw new StoreException("cannot search the events log for an erasure: " + e.getMessage(), e);
        }
        long searchedUpTo = upTo;
        boolean erased;
        graphLock.lock();
        try {
            erased = db.write(c -> eraseOn(c, ws, profileId, searched, searchedUpTo, hits));
        } finally {
            graphLock.unlock();
        }
        if (erased) {
            removeFromSearchIndex.run();
            db.afterErasure();
        }
        return erased;
    }

    private long latestLogSeq() {
        return db.read(c -> {
            try (PreparedStatement ps = c.prepareStatement("SELECT COALESCE(MAX(seq), 0) FROM event_log");
                 ResultSet rs = ps.executeQuery()) {
                return rs.next() ? rs.getLong(1) : 0L;
            }
        });
    }

    private boolean eraseOn(Connection c, String ws, String profileId, Set<Identifier> searched, long upTo,
                            Map<Long, Hit> hits) throws SQLException {
        GraphReads.graphChanged(c, ws); // first: an identity batch of the workspace commits before or fails after
        Optional<Person> found = person(c, ws, profileId);
        if (found.isEmpty()) return false;
        AttributionLedger.lockStage(c);
        Person person = found.get();
        Reader here = work -> work.run(c);
        Set<Identifier> late = new HashSet<>(person.identifiers());
        late.removeAll(searched);
        // linked (or merged in) since the search read the profile: the log is searched for them here
        if (!late.isEmpty()) search(here, ws, new PersonMatcher(late), 0, upTo, hits);
        search(here, ws, new PersonMatcher(person.identifiers()), upTo, Long.MAX_VALUE, hits);

        List<String> events = new ArrayList<>();
        for (String m : person.members()) {
            events.addAll(strings(c, "SELECT event_id FROM identity_event_profiles WHERE profile_id = ?", m));
        }
        AttributionLedger.forgetEvents(c, events);
        TrafficRollup.forgetProfiles(c, person.members());
        // the events log's identifier index names the person by value: every identifier the person's events carried
        // and every one linked to the person goes from it, for all the workspace's entries (below, once the entries are
        // blanked: on PostgreSQL a log indexer step moving one of them commits first, and its index rows are then seen)
        Set<Identifier> indexed = new HashSet<>(person.identifiers());
        for (String e : events) {
            for (String body : strings(c, "SELECT body FROM events WHERE id = ?", e)) indexed.addAll(EventJson.read(body).identifiers());
        }
        // a value no store can hold was never indexed (and PostgreSQL refuses it as a parameter)
        indexed.removeIf(i -> !io.touchpoint.core.ingest.StorableText.storable(i.value()));
        for (String e : events) {
            // by request id, which the events log is indexed on (a request names at most a batch)
            for (String requestId : strings(c, "SELECT request_id FROM events WHERE id = ?", e)) {
                update(c, "UPDATE event_log SET payload = NULL, email = NULL, warnings = NULL, identifiers = NULL"
                        + " WHERE request_id = ? AND event_id = ?", requestId, e);
            }
            update(c, "DELETE FROM events WHERE id = ? AND workspace_id = ?", e, ws);
            update(c, "DELETE FROM set_aside_events WHERE event_id = ?", e);
            update(c, "DELETE FROM identity_event_profiles WHERE event_id = ?", e);
            // the outbox keeps a copy of the enriched event, e-mail included, and the ledger the platforms' answers
            update(c, "DELETE FROM delivery_attempts WHERE outbox_id IN (SELECT id FROM delivery_outbox"
                    + " WHERE workspace_id = ? AND event_id = ?)", ws, e);
            update(c, "DELETE FROM delivery_outbox WHERE workspace_id = ? AND event_id = ?", ws, e);
            update(c, "DELETE FROM delivery_payloads WHERE workspace_id = ? AND event_id = ?", ws, e);
        }
        // the email column is indexed: rows that name an address there are found without reading payloads
        for (Identifier i : person.identifiers()) {
            if (i.type() != IdentifierType.EMAIL) continue;
            update(c, "UPDATE event_log SET payload = NULL, email = NULL, warnings = NULL, identifiers = NULL"
                    + " WHERE workspace_id = ? AND email = ?", ws, i.value());
        }
        List<Object[]> hitRows = indexRowsOf(c, hits.keySet());
        blank(c, hits);
        for (Identifier i : indexed) {
            update(c, "DELETE FROM event_log_identifiers WHERE workspace_id = ? AND type = ? AND value = ?", ws, i.type().wireName(), i.value());
        }
        if (!hitRows.isEmpty()) {
            try (PreparedStatement delete = c.prepareStatement("DELETE FROM event_log_identifiers WHERE workspace_id = ? AND type = ?"
                    + " AND value = ? AND received_at = ? AND seq = ?")) {
                for (Object[] row : hitRows) {
                    Rows.setParams(delete, row);
                    delete.addBatch();
                }
                delete.executeBatch();
            }
        }
        for (String m : person.members()) {
            update(c, "DELETE FROM identity_links WHERE profile_id = ?", m);
            update(c, "DELETE FROM identity_merges WHERE survivor_id = ? OR absorbed_id = ?", m, m);
        }
        update(c, "DELETE FROM identity_profiles WHERE canonical_id = ?", person.canonical());
        update(c, "DELETE FROM identity_people WHERE canonical_id = ?", person.canonical());
        return true;
    }

    private static Optional<Person> person(Connection c, String ws, String profileId) throws SQLException {
        Optional<String> canonical = GraphReads.canonicalOn(c, ws, profileId);
        if (canonical.isEmpty()) return Optional.empty();
        List<String> members = strings(c, "SELECT id FROM identity_profiles WHERE canonical_id = ?", canonical.get());
        Set<Identifier> identifiers = new HashSet<>();
        try (PreparedStatement ps = c.prepareStatement("SELECT type, value FROM identity_links WHERE profile_id = ?")) {
            for (String m : members) {
                ps.setString(1, m);
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        Optional<IdentifierType> type = IdentifierType.fromWireName(rs.getString(1));
                        if (type.isPresent()) identifiers.add(new Identifier(type.get(), rs.getString(2)));
                    }
                }
            }
        }
        return Optional.of(new Person(canonical.get(), members, identifiers));
    }

    /**
     * Searches the rows after {@code after} up to {@code upTo} in commit order, along the primary key, which every
     * store keeps as its plan: PostgreSQL without statistics plans a read filtered by workspace as a sort of all the
     * rows that pass the filter, on every read. Rows of other workspaces are read but their text is not sent.
     */
    private void search(Reader reader, String ws, PersonMatcher m, long after, long upTo, Map<Long, Hit> hits)
            throws SQLException {
        String sql = "SELECT seq, " + mine("payload") + ", " + mine("email") + ", " + mine("error_message") + ", "
                + mine("event_name") + " FROM " + db.dialect().primaryKeyScan("event_log") + " WHERE seq > ? AND seq <= ? ORDER BY seq LIMIT " + CHUNK;
        long seq = after;
        while (true) {
            List<Object> params = new ArrayList<>();
            for (int i = 0; i < 4; i++) {
                params.add(ws);
                params.add(ws);
            }
            params.add(seq);
            params.add(upTo);
            Chunk chunk = reader.read(c -> readChunk(c, sql, params.toArray(), m, hits));
            if (!chunk.more()) return;
            seq = chunk.lastSeq();
        }
    }

    /** {@code column} of a row of the workspace or of no workspace, else null. */
    private static String mine(String column) {
        return "CASE WHEN COALESCE(workspace_id, ?) = ? THEN " + column + " END";
    }

    private static Chunk readChunk(Connection c, String sql, Object[] params, PersonMatcher m, Map<Long, Hit> hits)
            throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(sql)) {
            Rows.setParams(ps, params);
            int rows = 0;
            long chars = 0;
            long seq = 0;
            try (ResultSet rs = ps.executeQuery()) {
                while (chars < CHUNK_CHARS && rs.next()) {
                    rows++;
                    seq = rs.getLong(1);
                    String payload = rs.getString(2);
                    chars += payload == null ? 0 : payload.length();
                    boolean message = m.namedIn(rs.getString(4));
                    boolean name = m.namedIn(rs.getString(5));
                    if (message || name || m.namedIn(payload) || m.namedIn(rs.getString(3))) {
                        hits.merge(seq, new Hit(message, name), Hit::or);
                    }
                }
            }
            return new Chunk(rows == CHUNK || chars >= CHUNK_CHARS, seq);
        }
    }

    /**
     * The index rows of the entries about to be blanked (those still waiting for the log indexer lose their identifiers
     * with the blanking): the email each names and, for an accepted entry, its event's identifiers (the event is
     * someone else's: the person's own went above); each as {workspace, type, value, received_at, seq}.
     */
    private static List<Object[]> indexRowsOf(Connection c, Set<Long> seqs) throws SQLException {
        List<Object[]> out = new ArrayList<>();
        if (seqs.isEmpty()) return out;
        try (PreparedStatement read = c.prepareStatement("SELECT workspace_id, email, event_id, received_at FROM event_log"
                + " WHERE seq = ?");
             PreparedStatement body = c.prepareStatement("SELECT body FROM events WHERE id = ?")) {
            for (long seq : seqs) {
                read.setLong(1, seq);
                try (ResultSet rs = read.executeQuery()) {
                    if (!rs.next() || rs.getString(1) == null) continue;
                    Set<Identifier> carried = new HashSet<>();
                    String email = rs.getString(2);
                    if (email != null) carried.add(new Identifier(IdentifierType.EMAIL, email.strip().toLowerCase(java.util.Locale.ROOT)));
                    String eventId = rs.getString(3);
                    if (eventId != null) {
                        body.setString(1, eventId);
                        try (ResultSet b = body.executeQuery()) {
                            if (b.next()) carried.addAll(EventJson.read(b.getString(1)).identifiers());
                        }
                    }
                    carried.removeIf(i -> !io.touchpoint.core.ingest.StorableText.storable(i.value()));
                    for (Identifier i : carried) out.add(new Object[]{rs.getString(1), i.type().wireName(), i.value(), rs.getLong(4), seq});
                }
            }
        }
        return out;
    }

    private static void blank(Connection c, Map<Long, Hit> hits) throws SQLException {
        if (hits.isEmpty()) return;
        try (PreparedStatement ps = c.prepareStatement("UPDATE event_log SET payload = NULL, email = NULL, warnings = NULL,"
                + " identifiers = NULL,"
                + " error_message = CASE WHEN ? = 1 THEN NULL ELSE error_message END,"
                + " event_name = CASE WHEN ? = 1 THEN NULL ELSE event_name END WHERE seq = ?")) {
            for (Map.Entry<Long, Hit> h : hits.entrySet()) {
                ps.setInt(1, h.getValue().message() ? 1 : 0);
                ps.setInt(2, h.getValue().name() ? 1 : 0);
                ps.setLong(3, h.getKey());
                ps.addBatch();
            }
            ps.executeBatch();
        }
    }
}
