package io.touchpoint.storage.jdbc.identity;

import io.touchpoint.core.identity.Guardrails;
import io.touchpoint.core.identity.IdentityResolver;
import io.touchpoint.core.identity.Profile;
import io.touchpoint.core.identity.Resolution;
import io.touchpoint.core.stage.IdentityStage;
import io.touchpoint.core.stage.PartitionTurns;
import io.touchpoint.core.store.SetAsideStore;
import io.touchpoint.storage.jdbc.ledger.GraphReads;
import io.touchpoint.storage.jdbc.ledger.JdbcSetAsideStore;
import io.touchpoint.storage.jdbc.ledger.LateResolution;
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
import java.util.Objects;
import java.util.OptionalLong;
import java.util.Set;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;

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
    private final int cachedLinks;
    /**
     * Kafka mode only (else null): the ingest log partitions this process steps, those its store writer holds. The
     * stage then follows each of them behind its own position, events stored without a partition behind the global
     * cursor, and checks the graph per workspace ({@link WorkspaceVersions}) instead of by the global version.
     */
    private final Supplier<Set<Integer>> owned;
    private final LateResolution late;
    private final WorkspaceVersions versions;
    /** Kafka mode: the track the next step starts from, and the one the last step was on. */
    private final PartitionTurns turns = new PartitionTurns();
    private long globalMovedAt;

    /** @param late what the stages after this one owe an event {@link #processOne} resolves */
    public JdbcIdentityStage(JdbcDatabase db, JdbcSetAsideStore setAside, ReentrantLock graphLock, int cachedLinks,
                             LateResolution late) {
        this(db, setAside, graphLock, cachedLinks, late, null);
    }

    private JdbcIdentityStage(JdbcDatabase db, JdbcSetAsideStore setAside, ReentrantLock graphLock, int cachedLinks,
                              LateResolution late, Supplier<Set<Integer>> owned) {
        this.db = db;
        this.late = Objects.requireNonNull(late);
        this.setAside = setAside;
        this.graphLock = graphLock;
        this.cachedLinks = cachedLinks;
        this.owned = owned;
        this.graph = new HeldGraph(cachedLinks);
        this.reader = new ClosureReader(db, graph, owned == null);
        this.rows = new GraphRowWriter(db);
        this.versions = owned == null ? null : new WorkspaceVersions();
    }

    /**
     * This stage in Kafka mode: its steps take, in turn, the events stored without a log partition and those of each
     * partition {@code owned} answers, each behind its own position.
     */
    @Override
    public IdentityStage byPartition(Supplier<Set<Integer>> owned) {
        return new JdbcIdentityStage(db, setAside, graphLock, cachedLinks, late, Objects.requireNonNull(owned));
    }

    /** The events a batch follows: those without a partition behind the global cursor, or one partition's. */
    private record Track(Integer partition) {
        static final Track GLOBAL = new Track(null);
    }

    static String profileIdFor(String eventId) {
        return "prof_" + (eventId.startsWith("evt_") ? eventId.substring(4) : eventId);
    }

    @Override
    public long cursor() {
        if (owned != null) return db.read(c -> Rows.firstLong(c, GraphReads.IDENTITY_FRONTIER));
        return db.read(JdbcIdentityStage::cursorOn);
    }

    private static long cursorOn(Connection c) throws SQLException {
        Long seq = Rows.firstLong(c, "SELECT seq FROM identity_cursor WHERE id = 1");
        return seq == null ? 0 : seq;
    }

    @Override
    public long upstream() {
        return db.read(c -> Rows.firstLong(c, "SELECT COALESCE(MAX(seq), 0) FROM events"));
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
        if (owned == null) return stepTrack(Track.GLOBAL, limit);
        // in parts of at most PART: a step claims its workspaces before writing, all at once
        return turns.step(owned.get(), p -> stepTrack(new Track(p), Math.min(limit, PART)));
    }

    private int stepTrack(Track track, int limit) {
        int size = limit;
        for (int attempt = 0; ; attempt++) {
            graphLock.lock();
            try {
                return processOnce(track, size, size > UNYIELDING_BATCH ? db::durableWriteWaiting : () -> false);
            } catch (GraphRowWriter.GaveWay e) {
                // an acknowledgement is waiting on this write lock: it goes first, and the batch is redone short
                clearGraph();
                size = UNYIELDING_BATCH;
            } catch (CursorMoved e) {
                clearGraph();
                if (attempt >= 3) throw new StoreException("the identity cursor keeps moving under this identity stage", e);
            } catch (RuntimeException | Error e) {
                clearGraph(); // it may hold part of a load or a batch that never committed
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
            clearGraph();
            Map<String, Guardrails> rails = new HashMap<>();
            record Read(Start start, boolean stored, List<IdentityEvent> events) {
            }
            Read read = db.read(c -> {
                long[] at = cursorAndVersion(c);
                Start start = new Start(Track.GLOBAL, at[0], at[1], rails, new TreeMap<>());
                List<String> id = Rows.strings(c, "SELECT id FROM events WHERE seq = ?", seq);
                boolean resolved = !id.isEmpty()
                        && !Rows.strings(c, "SELECT profile_id FROM identity_event_profiles WHERE event_id = ?", id.get(0)).isEmpty();
                List<IdentityEvent> one = id.isEmpty() || resolved ? List.of() : readPart(c, start, "seq > ?", List.of(seq - 1), 1);
                return new Read(start, !id.isEmpty(), one);
            });
            resolve(read.start(), read.events());
            db.write(c -> {
                if (versions == null) {
                    claimCursor(c, read.start());
                } else {
                    // no cursor moves: the global version first, as unmerge and erasure take it, then the workspace's
                    Rows.update(c, "UPDATE identity_cursor SET graph_version = graph_version + 1 WHERE id = 1");
                    versions.claim(c, read.start().workspaces());
                }
                rows.write(c, graph.seal(), () -> false);
                JdbcSetAsideStore.clear(c, seq, SetAsideStore.Stage.IDENTITY);
                for (IdentityEvent e : read.events()) GraphReads.graphChanged(c, e.workspaceId());
                if (!read.events().isEmpty()) late.resolved(c, seq);
                return null;
            });
            return read.stored();
        } finally {
            clearGraph();
            graphLock.unlock();
        }
    }

    /** Forgets the held graph and the workspace versions it was of. */
    private void clearGraph() {
        graph.clear();
        if (versions != null) versions.forget();
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

    /**
     * The track, cursor and graph version a batch started from, the guardrails of the workspaces it met and (Kafka
     * mode) the version of each workspace's graph it read.
     */
    private record Start(Track track, long cursor, long graphVersion, Map<String, Guardrails> rails,
                         SortedMap<String, Long> workspaces) {
    }

    private int processOnce(Track track, int limit, BooleanSupplier giveWay) {
        Map<String, Guardrails> rails = new HashMap<>();
        record FirstRead(Start start, List<IdentityEvent> events, long latest) {
        }
        FirstRead read = db.read(c -> {
            long[] at = track.partition() == null ? cursorAndVersion(c) : partitionCursor(c, track.partition());
            if (at == null) return null; // a partition nothing was stored from yet
            long cursor = at[0];
            long version = at[1];
            if (versions == null && !graph.isAt(cursor, version)) graph.clear();
            // Kafka mode's global cursor moves to the latest event once no event without a partition is left before it
            long latest = versions != null && track.partition() == null ? Rows.firstLong(c, "SELECT COALESCE(MAX(seq), 0) FROM events") : -1;
            Start start = new Start(track, cursor, version, rails, new TreeMap<>());
            return new FirstRead(start, readPart(c, start, cursor, Math.min(limit, PART)), latest);
        });
        if (read == null) return 0;
        List<IdentityEvent> events = read.events();
        Start start = read.start();
        if (events.isEmpty()) return moveGlobalCursor(start, read.latest());
        long last;
        int done;
        if (limit > PART && events.size() == PART) {
            PartedBatch.Handled handled = PartedBatch.run(db, parts(start), start.cursor(), events, limit, PART, giveWay);
            done = handled.events();
            last = handled.last();
        } else {
            long lastEvent = events.get(events.size() - 1).seq();
            // all of Kafka mode's events without a partition up to the latest are in a short batch
            last = read.latest() > lastEvent && events.size() < Math.min(limit, PART) ? read.latest() : lastEvent;
            resolve(start, events);
            // derived state with its cursor: a commit lost to a power cut is redone from the event log
            done = db.writeDerived(c -> {
                claimCursor(c, start);
                rows.write(c, graph.seal(), giveWay);
                moveCursor(c, start.track(), last);
                return events.size();
            });
        }
        graph.committed(last, start.graphVersion());
        if (versions != null) versions.committed(start.workspaces());
        return done;
    }

    /**
     * Kafka mode, no event without a partition after the global cursor: the cursor moves to the latest event (at most
     * five times a second), as the stages after this one take every event up to it as resolved.
     */
    private int moveGlobalCursor(Start start, long latest) {
        if (latest <= start.cursor() || System.nanoTime() - globalMovedAt < 200_000_000L) return 0;
        globalMovedAt = System.nanoTime();
        db.writeDerived(c -> {
            claimCursor(c, start);
            moveCursor(c, Track.GLOBAL, latest);
            return null;
        });
        return 0;
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
                return db.read(c -> readPart(c, start, after, size));
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
                moveCursor(c, start.track(), last);
            }
        };
    }

    /**
     * Up to {@code limit} events after {@code after}, with the part of the graph they touch that {@link #graph} does
     * not hold and the guardrails of workspaces not met yet in this batch.
     */
    private List<IdentityEvent> readPart(Connection c, Start start, long after, int limit) throws SQLException {
        Integer partition = start.track().partition();
        if (partition != null) return readPart(c, start, "log_partition = ? AND seq > ?", List.of(partition, after), limit);
        return readPart(c, start, versions == null ? "seq > ?" : "seq > ? AND log_partition IS NULL", List.of(after), limit);
    }

    private List<IdentityEvent> readPart(Connection c, Start start, String where, List<Object> params, int limit) throws SQLException {
        List<IdentityEvent> events = new ArrayList<>();
        try (PreparedStatement ps = c.prepareStatement("SELECT seq, id, workspace_id, received_at, event_time, body FROM events"
                + " WHERE " + where + " ORDER BY seq LIMIT ?")) {
            List<Object> all = new ArrayList<>(params);
            all.add(limit);
            Rows.setParams(ps, all.toArray());
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    events.add(IdentityEvent.of(rs.getLong(1), rs.getString(2), rs.getString(3), rs.getLong(4), rs.getLong(5),
                            rs.getString(6)));
                }
            }
        }
        if (!events.isEmpty()) {
            // Kafka mode: the workspaces' versions before their graph, and the held copy dropped if another wrote it since
            if (versions != null && !versions.read(c, events, start.workspaces())) graph.clear();
            reader.load(c, events, start.cursor());
            for (IdentityEvent e : events) start.rails().computeIfAbsent(e.workspaceId(), ws -> JdbcIdentityStore.guardrailsOn(c, ws));
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
    private void claimCursor(Connection c, Start start) throws SQLException {
        Integer partition = start.track().partition();
        int claimed;
        if (partition != null) {
            claimed = Rows.update(c, "UPDATE stage_partition_cursors SET seq = seq WHERE stage = 'identity' AND log_partition = ?"
                    + " AND seq = ?", partition, start.cursor());
        } else if (versions != null) {
            claimed = Rows.update(c, "UPDATE identity_cursor SET seq = seq WHERE id = 1 AND seq = ?", start.cursor());
        } else {
            claimed = Rows.update(c, "UPDATE identity_cursor SET seq = seq WHERE id = 1 AND seq = ? AND graph_version = ?",
                    start.cursor(), start.graphVersion());
        }
        if (claimed != 1) throw new CursorMoved();
        if (versions != null) versions.claim(c, start.workspaces());
    }

    /**
     * Moves the track's position. Without Kafka the global cursor follows every event, those of a partition too (a
     * store that ran in Kafka mode before), so their partitions' positions follow it.
     */
    private void moveCursor(Connection c, Track track, long last) throws SQLException {
        if (track.partition() != null) {
            Rows.update(c, "UPDATE stage_partition_cursors SET seq = ? WHERE stage = 'identity' AND log_partition = ?", last,
                    track.partition());
            return;
        }
        Rows.update(c, "UPDATE identity_cursor SET seq = ? WHERE id = 1", last);
        if (versions == null) Rows.update(c, "UPDATE stage_partition_cursors SET seq = ? WHERE stage = 'identity' AND seq < ?", last, last);
    }

    /**
     * The partition's position, as {cursor, no graph version}; null before the partition's first events are stored
     * (the store writer adds the position with them).
     */
    private static long[] partitionCursor(Connection c, int partition) throws SQLException {
        Long seq = Rows.firstLong(c, "SELECT seq FROM stage_partition_cursors WHERE stage = 'identity' AND log_partition = ?", partition);
        return seq == null ? null : new long[]{seq, -1};
    }

    /** Another identity stage, an unmerge or an erasure committed between this batch's read and its write. */
    static final class CursorMoved extends RuntimeException {
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
        if (owned == null) return setAside.next(SetAsideStore.Stage.IDENTITY);
        Track track = new Track(turns.current());
        String sql = track.partition() == null
                ? "SELECT MIN(seq) FROM events WHERE seq > (SELECT seq FROM identity_cursor WHERE id = 1) AND log_partition IS NULL"
                : "SELECT MIN(seq) FROM events WHERE log_partition = ? AND seq > (SELECT seq FROM stage_partition_cursors"
                + " WHERE stage = 'identity' AND log_partition = ?)";
        Object[] params = track.partition() == null ? new Object[0] : new Object[]{track.partition(), track.partition()};
        Long next = db.read(c -> Rows.firstLong(c, sql, params));
        return next == null ? OptionalLong.empty() : OptionalLong.of(next);
    }
}
