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
import io.touchpoint.core.stage.IdentityStage;
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
import java.util.OptionalLong;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.BooleanSupplier;

/**
 * The identity stage over SQL: runs the pure {@link IdentityResolver} against the stored graph and commits the
 * graph's changes in the write transaction that also advances the cursor, so a crash leaves either all of a batch
 * or none of it. Profile ids derive from the event that created the profile, so re-running a batch after a crash
 * creates the same ids.
 */
final class JdbcIdentityStage implements IdentityStage {
    private final JdbcDatabase db;
    private final JdbcSetAsideStore setAside;
    /** Held from a batch's read to its write; unmerge and erasure, the other graph writers, hold it too. */
    private final ReentrantLock graphLock;
    /** The stage's copy of the graph it has used; touched only under {@link #graphLock}. */
    private final IdentityGraphCache cache;
    /**
     * Batches above this size give way to a durable write that waits for the write lock (SQLite's one writer): a
     * large batch, taken while ingest is quiet, holds the lock for its whole write, so when ingest resumes midway it
     * is rolled back and redone at this size, which is short enough to hold the lock and always finishes.
     */
    static final int UNYIELDING_BATCH = 500;

    JdbcIdentityStage(JdbcDatabase db, JdbcSetAsideStore setAside, ReentrantLock graphLock, int cachedLinks) {
        this.db = db;
        this.setAside = setAside;
        this.graphLock = graphLock;
        this.cache = new IdentityGraphCache(cachedLinks, db);
    }

    static String profileIdFor(String eventId) {
        return "prof_" + (eventId.startsWith("evt_") ? eventId.substring(4) : eventId);
    }

    @Override
    public long cursor() {
        return db.read(JdbcIdentityStage::cursorOn);
    }

    private static long cursorOn(Connection c) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("SELECT seq FROM identity_cursor WHERE id = 1");
             ResultSet rs = ps.executeQuery()) {
            return rs.next() ? rs.getLong(1) : 0;
        }
    }

    @Override
    public long upstream() {
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
    public int step(int limit) {
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
                List<String> id = Rows.strings(c, "SELECT id FROM events WHERE seq = ?", seq);
                boolean resolved = !id.isEmpty()
                        && !Rows.strings(c, "SELECT profile_id FROM identity_event_profiles WHERE event_id = ?", id.get(0)).isEmpty();
                List<IdentityEvent> one = id.isEmpty() || resolved ? List.of() : readPart(c, at[0], seq - 1, 1, rails);
                return new Read(new Start(at[0], at[1], rails), !id.isEmpty(), one);
            });
            resolve(read.start(), read.events());
            db.write(c -> {
                claimCursor(c, read.start());
                cache.write(c, () -> false);
                JdbcSetAsideStore.clear(c, seq, SetAsideStore.Stage.IDENTITY);
                GraphReads.graphChanged(c);
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
            for (IdentityEvent e : events) rails.computeIfAbsent(e.workspaceId(), ws -> JdbcIdentityStore.guardrailsOn(c, ws));
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
        Rows.update(c, "UPDATE identity_cursor SET seq = ? WHERE id = 1", last);
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

    @Override
    public String name() {
        return SetAsideStore.Stage.IDENTITY.wireName();
    }

    @Override
    public OptionalLong next() {
        return setAside.next(SetAsideStore.Stage.IDENTITY);
    }
}
