package io.touchpoint.storage.jdbc;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.touchpoint.core.identity.Guardrails;
import io.touchpoint.core.identity.IdentityResolver;
import io.touchpoint.core.identity.Profile;
import io.touchpoint.core.identity.Resolution;
import io.touchpoint.core.model.Event;
import io.touchpoint.core.model.Identifier;
import io.touchpoint.core.model.IdentifierType;
import io.touchpoint.core.store.IdentityStore;
import io.touchpoint.core.store.SetAsideStore;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.BooleanSupplier;

/**
 * The identity graph over SQL. {@link #processNext} runs the pure {@link IdentityResolver} against the stored
 * graph inside the write transaction that also advances the cursor, so a crash leaves either all of a batch or
 * none of it. Profile ids derive from the event that created the profile, so re-running a batch after a crash
 * creates the same ids.
 */
final class JdbcIdentityStore implements IdentityStore {
    private static final ObjectMapper JSON = new ObjectMapper();
    private final JdbcDatabase db;
    /** Held by the processor from its read to its write, and by unmerge and erasure, the other graph writers. */
    private final ReentrantLock graphLock = new ReentrantLock();
    /** The processor's copy of the graph it has used; touched only under {@link #graphLock}. */
    private final IdentityGraphCache cache;
    private final Erasure erasure;
    /**
     * Batches above this size give way to a durable write that waits for the write lock (SQLite's one writer): a
     * large batch, taken while ingest is quiet, holds the lock for its whole write, so when ingest resumes midway it
     * is rolled back and redone at this size, which is short enough to hold the lock and always finishes.
     */
    static final int UNYIELDING_BATCH = 500;

    JdbcIdentityStore(JdbcDatabase db, int cachedLinks) {
        this.db = db;
        this.cache = new IdentityGraphCache(cachedLinks, db);
        this.erasure = new Erasure(db, graphLock);
    }

    static String profileIdFor(String eventId) {
        return "prof_" + (eventId.startsWith("evt_") ? eventId.substring(4) : eventId);
    }

    @Override
    public long cursor() {
        return db.read(JdbcIdentityStore::cursorOn);
    }

    private static long cursorOn(Connection c) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("SELECT seq FROM identity_cursor WHERE id = 1");
             ResultSet rs = ps.executeQuery()) {
            return rs.next() ? rs.getLong(1) : 0;
        }
    }

    @Override
    public long latestSequence() {
        return db.read(c -> {
            try (PreparedStatement ps = c.prepareStatement("SELECT COALESCE(MAX(seq), 0) FROM events");
                 ResultSet rs = ps.executeQuery()) {
                return rs.next() ? rs.getLong(1) : 0L;
            }
        });
    }

    /**
     * Reads the events after the cursor and the part of the graph they touch that {@link #cache} does not hold on a
     * read connection, resolves them in memory, then takes the write transaction only to write the changed rows and
     * the cursor. Only this store writes the identity tables, and {@link #graphLock} keeps unmerge and erasure out
     * between the read and the write. The cursor update is conditional on the cursor and graph version read: a
     * second processor on the same database (another node) or an unmerge or erasure anywhere makes this write fail,
     * and the batch is read again with the cache cleared, so neither a batch nor a stale copy is applied twice. A batch
     * over {@link #PART} events is read, resolved and written in parts, the write on a thread of its own beside the
     * resolution of the next part ({@link #resolveAndWriteInParts}).
     * A batch larger than {@link #UNYIELDING_BATCH} that finds a durable write waiting for the lock after sending a
     * chunk of its rows rolls back and is redone at that size, so this may answer fewer than were waiting.
     */
    @Override
    public int processNext(int limit) {
        int size = limit;
        for (int attempt = 0; ; attempt++) {
            graphLock.lock();
            try {
                return processOnce(size, size > UNYIELDING_BATCH ? db::durableWriteWaiting : () -> false);
            } catch (IdentityGraphCache.GaveWay e) {
                // an acknowledgement is waiting on this write lock: it goes first, and the batch is redone short
                cache.clear();
                size = UNYIELDING_BATCH;
            } catch (CursorMoved e) {
                cache.clear();
                if (attempt >= 3) throw new StoreException("the identity cursor keeps moving under this processor", e);
            } catch (RuntimeException | Error e) {
                cache.clear(); // it may hold part of a load or a batch that never committed
                throw e;
            } finally {
                graphLock.unlock();
            }
        }
    }

    /**
     * Resolves one event against the graph as it is now, outside sequence order, with the cache cleared before and
     * after: the write moves no cursor, so it adds one to the graph version and every processor drops its copy.
     */
    @Override
    public boolean processOne(long seq) {
        graphLock.lock();
        try {
            cache.clear();
            Map<String, Guardrails> rails = new HashMap<>();
            record Read(Start start, boolean stored, List<IdentityEvent> events) {
            }
            Read read = db.read(c -> {
                long[] at = cursorAndVersion(c);
                List<String> id = strings(c, "SELECT id FROM events WHERE seq = ?", seq);
                boolean resolved = !id.isEmpty()
                        && !strings(c, "SELECT profile_id FROM identity_event_profiles WHERE event_id = ?", id.get(0)).isEmpty();
                List<IdentityEvent> one = id.isEmpty() || resolved ? List.of() : readPart(c, at[0], seq - 1, 1, rails);
                return new Read(new Start(at[0], at[1], rails), !id.isEmpty(), one);
            });
            resolve(read.start(), read.events());
            db.write(c -> {
                claimCursor(c, read.start());
                cache.write(c, () -> false);
                JdbcSetAsideStore.clear(c, seq, SetAsideStore.Stage.IDENTITY);
                graphChanged(c);
                return null;
            });
            return read.stored();
        } finally {
            cache.clear();
            graphLock.unlock();
        }
    }

    private static long[] cursorAndVersion(Connection c) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("SELECT seq, graph_version FROM identity_cursor WHERE id = 1");
             ResultSet rs = ps.executeQuery()) {
            if (!rs.next()) throw new StoreException("the identity cursor row is missing", null);
            return new long[]{rs.getLong(1), rs.getLong(2)};
        }
    }

    /** A batch larger than this is read, resolved and written in parts of this size, the write of one beside the next. */
    static final int PART = 1000;

    /** The cursor and graph version a batch started from, and the guardrails of the workspaces it met. */
    private record Start(long cursor, long graphVersion, Map<String, Guardrails> rails) {
    }

    private int processOnce(int limit, BooleanSupplier giveWay) {
        Map<String, Guardrails> rails = new HashMap<>();
        record FirstRead(Start start, List<IdentityEvent> events) {
        }
        FirstRead read = db.read(c -> {
            long[] at = cursorAndVersion(c);
            long cursor = at[0];
            long version = at[1];
            if (!cache.isAt(cursor, version)) cache.clear();
            return new FirstRead(new Start(cursor, version, rails), readPart(c, cursor, cursor, Math.min(limit, PART), rails));
        });
        List<IdentityEvent> events = read.events();
        if (events.isEmpty()) return 0;
        Start start = read.start();
        long last;
        int done;
        if (limit > PART && events.size() == PART) {
            Handled handled = resolveAndWriteInParts(start, events, limit, giveWay);
            done = handled.events();
            last = handled.last();
        } else {
            last = events.get(events.size() - 1).seq();
            resolve(start, events);
            // derived state with its cursor: a commit lost to a power cut is redone from the event log
            done = db.writeDerived(c -> {
                claimCursor(c, start);
                cache.write(c, giveWay);
                moveCursor(c, last);
                return events.size();
            });
        }
        cache.committed(last, start.graphVersion());
        return done;
    }

    /**
     * Up to {@code limit} events after {@code after}, with the part of the graph they touch that {@link #cache} does
     * not hold and the guardrails of workspaces not met yet in this batch.
     */
    private List<IdentityEvent> readPart(Connection c, long cursor, long after, int limit, Map<String, Guardrails> rails)
            throws SQLException {
        List<IdentityEvent> events = new ArrayList<>();
        try (PreparedStatement ps = c.prepareStatement("SELECT seq, id, workspace_id, received_at, event_time, body FROM events"
                + " WHERE seq > ? ORDER BY seq LIMIT ?")) {
            ps.setLong(1, after);
            ps.setInt(2, limit);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    events.add(IdentityEvent.of(rs.getLong(1), rs.getString(2), rs.getString(3), rs.getLong(4), rs.getLong(5),
                            rs.getString(6)));
                }
            }
        }
        if (!events.isEmpty()) {
            cache.load(c, events, cursor);
            for (IdentityEvent e : events) rails.computeIfAbsent(e.workspaceId(), ws -> guardrailsOn(c, ws));
        }
        return events;
    }

    private void resolve(Start start, List<IdentityEvent> events) {
        for (IdentityEvent e : events) {
            Resolution r = IdentityResolver.resolve(cache.view(e.workspaceId()), start.rails().get(e.workspaceId()), e.input(),
                    () -> profileIdFor(e.id()));
            cache.apply(e, r);
        }
    }

    /**
     * Takes the cursor row for this transaction, if it is still where the batch read it and at the graph version it
     * read: otherwise another processor, an unmerge or an erasure came between, and the batch is read again.
     */
    private static void claimCursor(Connection c, Start start) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("UPDATE identity_cursor SET seq = seq WHERE id = 1 AND seq = ? AND graph_version = ?")) {
            ps.setLong(1, start.cursor());
            ps.setLong(2, start.graphVersion());
            if (ps.executeUpdate() != 1) throw new CursorMoved();
        }
    }

    private static void moveCursor(Connection c, long last) throws SQLException {
        update(c, "UPDATE identity_cursor SET seq = ? WHERE id = 1", last);
    }

    /**
     * A large batch in parts of {@link #PART} events: this thread reads a part (its events and the graph they touch),
     * resolves it and seals its rows while a thread of the batch writes the parts before it, in the batch's one
     * transaction. A part needs nothing those writes change: every identifier and cluster an earlier part touched is
     * held complete in {@link #cache}, and nothing is evicted before the batch commits, so what a part still reads from
     * the store (the state before the batch) is what it would read after them. Any failure on either side rolls the
     * whole batch back.
     */
    private Handled resolveAndWriteInParts(Start start, List<IdentityEvent> first, int limit, BooleanSupplier giveWay) {
        LinkedBlockingQueue<Object> parts = new LinkedBlockingQueue<>(PARTS_AHEAD);
        record End(long last) {
        }
        AtomicReference<Throwable> failure = new AtomicReference<>();
        Thread writer = Thread.ofPlatform().daemon().name("identity-batch-writer").start(() -> {
            try {
                // the write lock only once there is something to write
                Object firstRows = take(parts);
                if (!(firstRows instanceof IdentityGraphCache.PendingRows)) return;
                db.writeDerived(c -> {
                    claimCursor(c, start);
                    for (Object part = firstRows; ; part = take(parts)) {
                        if (part instanceof End end) {
                            moveCursor(c, end.last());
                            return null;
                        }
                        if (part instanceof Throwable t) throw new Abandoned(t); // the resolving side failed: roll back
                        // waiting for this part held the lock without sending anything: an ingest commit may wait
                        if (part != firstRows && giveWay.getAsBoolean()) throw new IdentityGraphCache.GaveWay();
                        cache.write(c, (IdentityGraphCache.PendingRows) part, giveWay);
                    }
                });
            } catch (Throwable t) {
                failure.set(t);
            }
        });
        int done = 0;
        long last = start.cursor();
        try {
            List<IdentityEvent> part = first;
            while (!part.isEmpty() && failure.get() == null) {
                resolve(start, part);
                hand(parts, cache.seal(), writer);
                done += part.size();
                last = part.get(part.size() - 1).seq();
                if (part.size() < PART || done >= limit) break;
                long after = last;
                int size = Math.min(PART, limit - done);
                part = db.read(c -> readPart(c, start.cursor(), after, size, start.rails()));
            }
            hand(parts, new End(last), writer);
        } catch (RuntimeException | Error e) {
            hand(parts, e, writer);
            join(writer);
            throw e;
        }
        join(writer);
        Throwable t = failure.get();
        if (t instanceof RuntimeException e) throw e;
        if (t instanceof Error e) throw e;
        if (t != null) throw new StoreException("the identity batch write failed: " + t.getMessage(), t);
        return new Handled(done, last);
    }

    /** How many events a batch in parts handled, and the sequence number of the last. */
    private record Handled(int events, long last) {
    }

    /** The other side of a batch written in parts failed; its own exception is the one reported. */
    private static final class Abandoned extends RuntimeException {
        Abandoned(Throwable cause) {
            super("abandoned: " + cause, null, false, false);
        }
    }

    /**
     * Sealed parts waiting for the write thread at most: the writes are the slower side, and a large batch would
     * otherwise hold all its rows in memory at once.
     */
    static final int PARTS_AHEAD = 8;

    /** Queues {@code part} for {@code writer}, waiting for room while it is still running (once it ended, nobody reads). */
    private static void hand(LinkedBlockingQueue<Object> parts, Object part, Thread writer) {
        boolean interrupted = false;
        try {
            while (true) {
                try {
                    if (parts.offer(part, 20, TimeUnit.MILLISECONDS) || !writer.isAlive()) return;
                } catch (InterruptedException e) {
                    interrupted = true; // the write thread still needs this part (or the End) to end its transaction
                }
            }
        } finally {
            if (interrupted) Thread.currentThread().interrupt();
        }
    }

    private static Object take(LinkedBlockingQueue<Object> parts) {
        try {
            return parts.take();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new StoreException("interrupted while writing an identity batch", e);
        }
    }

    private static void join(Thread t) {
        boolean interrupted = false;
        while (true) {
            try {
                t.join();
                break;
            } catch (InterruptedException e) {
                interrupted = true; // the write must end (commit or roll back) before the batch's state is decided
            }
        }
        if (interrupted) Thread.currentThread().interrupt();
    }

    /** Marks the graph changed by something other than the processor, so every processor's cached copy is dropped. */
    static void graphChanged(Connection c) throws SQLException {
        update(c, "UPDATE identity_cursor SET graph_version = graph_version + 1 WHERE id = 1");
    }

    /** Another processor committed a batch between this one's read and its write. */
    private static final class CursorMoved extends RuntimeException {
        CursorMoved() {
            super("the identity cursor moved", null, false, false);
        }
    }

    @Override
    public int quietBatch() {
        return db.quietIdentityBatch();
    }

    static int update(Connection c, String sql, Object... params) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(sql)) {
            Rows.setParams(ps, params);
            return ps.executeUpdate();
        }
    }

    static List<String> strings(Connection c, String sql, Object... params) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(sql)) {
            Rows.setParams(ps, params);
            try (ResultSet rs = ps.executeQuery()) {
                List<String> out = new ArrayList<>();
                while (rs.next()) out.add(rs.getString(1));
                return out;
            }
        }
    }

    // ---- guardrails ----

    @Override
    public Guardrails guardrails(String workspaceId) {
        return db.read(c -> guardrailsOn(c, workspaceId));
    }

    private static Guardrails guardrailsOn(Connection c, String ws) {
        try {
            List<String> json = strings(c, "SELECT settings FROM identity_guardrails WHERE workspace_id = ?", ws);
            return json.isEmpty() ? Guardrails.DEFAULTS : readGuardrails(json.get(0));
        } catch (SQLException e) {
            throw new StoreException("cannot read guardrails: " + e.getMessage(), e);
        }
    }

    @Override
    public void putGuardrails(String workspaceId, Guardrails g) {
        String json = writeGuardrails(g);
        db.write(c -> update(c, "INSERT INTO identity_guardrails (workspace_id, settings) VALUES (?, ?)"
                + " ON CONFLICT (workspace_id) DO UPDATE SET settings = excluded.settings", workspaceId, json));
    }

    static String writeGuardrails(Guardrails g) {
        ObjectNode o = JSON.createObjectNode();
        ObjectNode limits = o.putObject("limits");
        new TreeMap<>(g.limits()).forEach((t, n) -> limits.put(t.wireName(), n));
        var blocked = o.putArray("blockedValues");
        new TreeSet<>(g.blockedValues()).forEach(blocked::add);
        o.put("defaultBlocklist", g.defaultBlocklist());
        o.put("maxProfilesPerValue", g.maxProfilesPerValue());
        o.put("fingerprintWindowSeconds", g.fingerprintWindow().toSeconds());
        return o.toString();
    }

    static Guardrails readGuardrails(String json) {
        try {
            JsonNode o = JSON.readTree(json);
            Map<IdentifierType, Integer> limits = new EnumMap<>(IdentifierType.class);
            o.path("limits").fields().forEachRemaining(f ->
                    IdentifierType.fromWireName(f.getKey()).ifPresent(t -> limits.put(t, f.getValue().asInt())));
            Set<String> blocked = new LinkedHashSet<>();
            o.path("blockedValues").forEach(v -> blocked.add(v.asText()));
            return new Guardrails(limits, blocked, o.path("defaultBlocklist").asBoolean(true),
                    o.path("maxProfilesPerValue").asInt(Guardrails.DEFAULT_MAX_PROFILES_PER_VALUE),
                    Duration.ofSeconds(o.path("fingerprintWindowSeconds").asLong(Guardrails.DEFAULT_FINGERPRINT_WINDOW.toSeconds())));
        } catch (Exception e) {
            throw new StoreException("stored guardrails are unreadable: " + e.getMessage(), e);
        }
    }

    // ---- queries ----

    static Optional<String> canonicalOn(Connection c, String ws, String profileId) throws SQLException {
        List<String> r = strings(c, "SELECT canonical_id FROM identity_profiles WHERE workspace_id = ? AND id = ?", ws, profileId);
        return r.isEmpty() ? Optional.empty() : Optional.of(r.get(0));
    }

    @Override
    public Optional<String> findProfile(String workspaceId, Identifier asked) {
        // a fingerprint is stored with the ip it was seen from (fingerprint|ip); asking for the bare one finds any
        Identifier identifier = asked.type() == IdentifierType.FINGERPRINT ? asked : IdentityResolver.linkKey(asked, null);
        boolean fingerprint = identifier.type() == IdentifierType.FINGERPRINT && !identifier.value().contains("|");
        String sql = "SELECT p.canonical_id FROM identity_links l JOIN identity_profiles p ON p.id = l.profile_id"
                + " WHERE l.workspace_id = ? AND l.type = ? AND " + (fingerprint ? "(l.value = ? OR substr(l.value, 1, ?) = ?)" : "l.value = ?")
                + " ORDER BY p.created_seq LIMIT 1";
        Object[] params = fingerprint
                ? new Object[]{workspaceId, identifier.type().wireName(), identifier.value(), identifier.value().length() + 1, identifier.value() + "|"}
                : new Object[]{workspaceId, identifier.type().wireName(), identifier.value()};
        return db.read(c -> {
            List<String> r = strings(c, sql, params);
            return r.isEmpty() ? Optional.<String>empty() : Optional.of(r.get(0));
        });
    }

    @Override
    public Optional<Profile> profile(String workspaceId, String profileId) {
        return db.read(c -> {
            Optional<String> canonical = canonicalOn(c, workspaceId, profileId);
            if (canonical.isEmpty()) return Optional.<Profile>empty();
            String id = canonical.get();
            Instant createdAt;
            try (PreparedStatement ps = c.prepareStatement("SELECT created_at FROM identity_profiles WHERE id = ?")) {
                ps.setString(1, id);
                try (ResultSet rs = ps.executeQuery()) {
                    rs.next();
                    createdAt = Instant.ofEpochMilli(rs.getLong(1));
                }
            }
            List<String> members = strings(c, "SELECT id FROM identity_profiles WHERE canonical_id = ? AND id <> ? ORDER BY created_seq", id, id);
            List<Profile.LinkedIdentifier> ids = new ArrayList<>();
            try (PreparedStatement ps = c.prepareStatement("SELECT l.type, l.value, l.profile_id, l.rule, l.event_id, l.first_seen_at,"
                    + " l.last_seen_at FROM identity_profiles p JOIN identity_links l ON l.profile_id = p.id"
                    + " WHERE p.canonical_id = ? ORDER BY l.first_seen_at, l.type, l.value")) {
                ps.setString(1, id);
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        IdentifierType t = IdentifierType.fromWireName(rs.getString(1)).orElseThrow();
                        ids.add(new Profile.LinkedIdentifier(new Identifier(t, rs.getString(2)), rs.getString(3), rs.getString(4),
                                rs.getString(5), Instant.ofEpochMilli(rs.getLong(6)), Instant.ofEpochMilli(rs.getLong(7))));
                    }
                }
            }
            return Optional.of(new Profile(id, workspaceId, createdAt, members, ids, mergesOn(c, id)));
        });
    }

    private static List<Profile.MergeRecord> mergesOn(Connection c, String canonical) throws SQLException {
        List<Profile.MergeRecord> out = new ArrayList<>();
        try (PreparedStatement ps = c.prepareStatement("SELECT id, survivor_id, absorbed_id, via_type, via_value, rule, outcome,"
                + " event_id, merged_at, undone_at FROM identity_merges WHERE survivor_id IN"
                + " (SELECT id FROM identity_profiles WHERE canonical_id = ?) OR absorbed_id IN"
                + " (SELECT id FROM identity_profiles WHERE canonical_id = ?) ORDER BY id")) {
            ps.setString(1, canonical);
            ps.setString(2, canonical);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    IdentifierType t = IdentifierType.fromWireName(rs.getString(4)).orElseThrow();
                    out.add(new Profile.MergeRecord(rs.getLong(1), rs.getString(2), rs.getString(3), new Identifier(t, rs.getString(5)),
                            rs.getString(6), rs.getString(7), rs.getString(8), Instant.ofEpochMilli(rs.getLong(9)),
                            Rows.instant(rs, "undone_at")));
                }
            }
        }
        return out;
    }

    @Override
    public List<Event> journey(String workspaceId, String profileId) {
        return db.read(c -> {
            Optional<String> canonical = canonicalOn(c, workspaceId, profileId);
            if (canonical.isEmpty()) return List.<Event>of();
            List<Event> out = new ArrayList<>();
            for (String body : strings(c, "SELECT e.body FROM identity_profiles p JOIN identity_event_profiles ep ON ep.profile_id = p.id"
                    + " JOIN events e ON e.id = ep.event_id WHERE p.canonical_id = ? ORDER BY e.event_time, e.seq", canonical.get())) {
                out.add(EventJson.read(body));
            }
            return out;
        });
    }

    @Override
    public Optional<String> profileOfEvent(String workspaceId, String eventId) {
        return Optional.ofNullable(profilesOfEvents(workspaceId, List.of(eventId)).get(eventId));
    }

    @Override
    public Map<String, String> profilesOfEvents(String workspaceId, List<String> eventIds) {
        if (eventIds.isEmpty()) return Map.of();
        return db.read(c -> {
            Map<String, String> out = new HashMap<>();
            String marks = String.join(", ", java.util.Collections.nCopies(eventIds.size(), "?"));
            List<Object> params = new ArrayList<>();
            params.add(workspaceId);
            params.addAll(eventIds);
            try (PreparedStatement ps = c.prepareStatement("SELECT ep.event_id, p.canonical_id FROM identity_event_profiles ep"
                    + " JOIN identity_profiles p ON p.id = ep.profile_id WHERE ep.workspace_id = ? AND ep.event_id IN (" + marks + ")")) {
                Rows.setParams(ps, params.toArray());
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) out.put(rs.getString(1), rs.getString(2));
                }
            }
            return out;
        });
    }

    // ---- unmerge and erasure ----

    @Override
    public boolean unmerge(String workspaceId, long mergeId) {
        graphLock.lock();
        try {
            return unmergeLocked(workspaceId, mergeId);
        } finally {
            graphLock.unlock();
        }
    }

    private boolean unmergeLocked(String workspaceId, long mergeId) {
        return db.write(c -> {
            String absorbed;
            try (PreparedStatement ps = c.prepareStatement("SELECT absorbed_id FROM identity_merges WHERE id = ? AND workspace_id = ?"
                    + " AND outcome = ? AND undone_at IS NULL")) {
                Rows.setParams(ps, mergeId, workspaceId, Profile.MergeRecord.MERGED);
                try (ResultSet rs = ps.executeQuery()) {
                    if (!rs.next()) return false;
                    absorbed = rs.getString(1);
                }
            }
            update(c, "UPDATE identity_profiles SET merged_into = NULL, canonical_id = ? WHERE id = ?", absorbed, absorbed);
            // everything merged (directly or not) into the absorbed profile follows it back out
            List<String> frontier = List.of(absorbed);
            while (!frontier.isEmpty()) {
                List<String> next = new ArrayList<>();
                for (String p : frontier) {
                    next.addAll(strings(c, "SELECT id FROM identity_profiles WHERE merged_into = ?", p));
                }
                for (String p : next) update(c, "UPDATE identity_profiles SET canonical_id = ? WHERE id = ?", absorbed, p);
                frontier = next;
            }
            update(c, "UPDATE identity_merges SET undone_at = ? WHERE id = ?", System.currentTimeMillis(), mergeId);
            graphChanged(c);
            return true;
        });
    }

    /** Erases the person ({@link Erasure}); it takes {@link #graphLock} for its write. */
    @Override
    public boolean erase(String workspaceId, String profileId) {
        return erasure.erase(workspaceId, profileId);
    }

    @Override
    public Map<String, Set<String>> partition(String workspaceId) {
        return db.read(c -> {
            Map<String, Set<String>> out = new TreeMap<>();
            try (PreparedStatement ps = c.prepareStatement("SELECT p.canonical_id, l.type, l.value FROM identity_links l"
                    + " JOIN identity_profiles p ON p.id = l.profile_id WHERE l.workspace_id = ?")) {
                ps.setString(1, workspaceId);
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) out.computeIfAbsent(rs.getString(1), k -> new TreeSet<>()).add(rs.getString(2) + ":" + rs.getString(3));
                }
            }
            return out;
        });
    }
}
