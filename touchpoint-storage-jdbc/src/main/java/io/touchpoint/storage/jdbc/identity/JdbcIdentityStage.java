package io.touchpoint.storage.jdbc.identity;

import io.touchpoint.core.identity.Guardrails;
import io.touchpoint.core.identity.IdentityResolver;
import io.touchpoint.core.identity.Profile;
import io.touchpoint.core.identity.Resolution;
import io.touchpoint.core.stage.IdentityStage;
import io.touchpoint.core.store.SetAsideStore;
import io.touchpoint.storage.jdbc.ledger.GraphReads;
import io.touchpoint.storage.jdbc.ledger.JdbcSetAsideStore;
import io.touchpoint.storage.jdbc.sql.JdbcDatabase;
import io.touchpoint.storage.jdbc.sql.Rows;
import io.touchpoint.core.store.StoreException;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.BooleanSupplier;

/**
 * The identity stage over SQL: runs the pure {@link IdentityResolver} against the stored graph and commits the
 * graph's changes in the write transaction that also advances the cursor, so a crash leaves either all of a batch
 * or none of it. Profile ids derive from the event that created the profile, so re-running a batch after a crash
 * creates the same ids.
 */
public final class JdbcIdentityStage implements IdentityStage {
    private final JdbcDatabase db;
    private final JdbcSetAsideStore setAside;
    /** Held from a batch's read to its write; unmerge and erasure, the other graph writers, hold it too. */
    private final ReentrantLock graphLock;
    /** The stage's copy of the graph it has used; touched only under {@link #graphLock}. */
    private final HeldGraph graph;
    private final ClosureReader reader;
    private final GraphRowWriter rows;
    /**
     * Batches above this size give way to a durable write that waits for the write lock (SQLite's one writer): a
     * large batch, taken while ingest is quiet, holds the lock for its whole write, so when ingest resumes midway it
     * is rolled back and redone at this size, which is short enough to hold the lock and always finishes.
     */
    static final int UNYIELDING_BATCH = 500;

    public JdbcIdentityStage(JdbcDatabase db, JdbcSetAsideStore setAside, ReentrantLock graphLock, int cachedLinks) {
        this.db = db;
        this.setAside = setAside;
        this.graphLock = graphLock;
        this.graph = new HeldGraph(cachedLinks);
        this.reader = new ClosureReader(db, graph);
        this.rows = new GraphRowWriter(db);
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
     * Reads the events after the cursor and the part of the graph they touch that {@link #graph} does not hold on a
     * read connection, resolves them in memory, then takes the write transaction only to write the changed rows and
     * the cursor. Only this stage, unmerge and erasure write the identity tables, and {@link #graphLock} keeps the other
     * two out between the read and the write. The cursor update is conditional on the cursor and graph version read:
     * a second identity stage on the same database (another node) or an unmerge or erasure anywhere makes this write
     * fail, and the batch is read again with the held graph cleared, so neither a batch nor a stale copy is applied
     * twice. A batch over {@link #PART} events is read, resolved and written in parts ({@link PartedBatch}). A batch
     * larger than {@link #UNYIELDING_BATCH} that finds a durable write waiting for the lock after sending a chunk of
     * its rows rolls back and is redone at that size, so this may answer fewer than were waiting.
     */
    @Override
    public int step(int limit) {
        int size = limit;
        for (int attempt = 0; ; attempt++) {
            graphLock.lock();
            try {
                return processOnce(size, size > UNYIELDING_BATCH ? db::durableWriteWaiting : () -> false);
            } catch (GraphRowWriter.GaveWay e) {
                // an acknowledgement is waiting on this write lock: it goes first, and the batch is redone short
                graph.clear();
                size = UNYIELDING_BATCH;
            } catch (CursorMoved e) {
                graph.clear();
                if (attempt >= 3) throw new StoreException("the identity cursor keeps moving under this identity stage", e);
            } catch (RuntimeException | Error e) {
                graph.clear(); // it may hold part of a load or a batch that never committed
                throw e;
            } finally {
                graphLock.unlock();
            }
        }
    }

    /**
     * Resolves one event against the graph as it is now, outside sequence order, with the held graph cleared before
     * and after: the write moves no cursor, so it adds one to the graph version and every identity stage drops its copy.
     */
    @Override
    public boolean processOne(long seq) {
        graphLock.lock();
        try {
            graph.clear();
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
                rows.write(c, graph.seal(), () -> false);
                JdbcSetAsideStore.clear(c, seq, SetAsideStore.Stage.IDENTITY);
                GraphReads.graphChanged(c);
                return null;
            });
            return read.stored();
        } finally {
            graph.clear();
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
            if (!graph.isAt(cursor, version)) graph.clear();
            return new FirstRead(new Start(cursor, version, rails), readPart(c, cursor, cursor, Math.min(limit, PART), rails));
        });
        List<IdentityEvent> events = read.events();
        if (events.isEmpty()) return 0;
        Start start = read.start();
        long last;
        int done;
        if (limit > PART && events.size() == PART) {
            PartedBatch.Handled handled = PartedBatch.run(db, parts(start), start.cursor(), events, limit, PART, giveWay);
            done = handled.events();
            last = handled.last();
        } else {
            last = events.get(events.size() - 1).seq();
            resolve(start, events);
            // derived state with its cursor: a commit lost to a power cut is redone from the event log
            done = db.writeDerived(c -> {
                claimCursor(c, start);
                rows.write(c, graph.seal(), giveWay);
                moveCursor(c, last);
                return events.size();
            });
        }
        graph.committed(last, start.graphVersion());
        return done;
    }

    /** The stage's side of a batch in parts ({@link PartedBatch}), from {@code start}. */
    private PartedBatch.Work parts(Start start) {
        return new PartedBatch.Work() {
            @Override
            public GraphRowWriter.PendingRows resolve(List<IdentityEvent> part) {
                JdbcIdentityStage.this.resolve(start, part);
                return graph.seal();
            }

            @Override
            public List<IdentityEvent> read(long after, int size) {
                return db.read(c -> readPart(c, start.cursor(), after, size, start.rails()));
            }

            @Override
            public void begin(Connection c) throws SQLException {
                claimCursor(c, start);
            }

            @Override
            public void write(Connection c, GraphRowWriter.PendingRows part, BooleanSupplier giveWay) throws SQLException {
                rows.write(c, part, giveWay);
            }

            @Override
            public void end(Connection c, long last) throws SQLException {
                moveCursor(c, last);
            }
        };
    }

    /**
     * Up to {@code limit} events after {@code after}, with the part of the graph they touch that {@link #graph} does
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
            reader.load(c, events, cursor);
            for (IdentityEvent e : events) rails.computeIfAbsent(e.workspaceId(), ws -> JdbcIdentityStore.guardrailsOn(c, ws));
        }
        return events;
    }

    private void resolve(Start start, List<IdentityEvent> events) {
        for (IdentityEvent e : events) {
            Resolution r = IdentityResolver.resolve(graph.view(e.workspaceId()), start.rails().get(e.workspaceId()), e.input(),
                    () -> profileIdFor(e.id()));
            graph.apply(e, r);
        }
    }

    /**
     * Takes the cursor row for this transaction, if it is still where the batch read it and at the graph version it
     * read: otherwise another identity stage, an unmerge or an erasure came between, and the batch is read again.
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

    /** Another identity stage committed a batch between this one's read and its write. */
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
