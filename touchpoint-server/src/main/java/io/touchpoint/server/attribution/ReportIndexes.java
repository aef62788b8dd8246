package io.touchpoint.server.attribution;

import io.touchpoint.core.attribution.engine.DayResults;
import io.touchpoint.core.attribution.engine.EngineQuery;
import io.touchpoint.core.attribution.engine.EngineResult;
import io.touchpoint.core.attribution.engine.FieldColumn;
import io.touchpoint.core.attribution.engine.IndexBuilder;
import io.touchpoint.core.attribution.engine.IndexCodec;
import io.touchpoint.core.attribution.engine.ReportEngine;
import io.touchpoint.core.attribution.engine.ReportIndex;
import io.touchpoint.core.attribution.engine.ReportRows;
import io.touchpoint.core.model.Workspace;
import io.touchpoint.core.store.AttributionStore;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.time.LocalDate;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.function.Supplier;
import java.util.function.UnaryOperator;

/**
 * The report engine's index of each workspace asked for, kept current: read whole the first time, then, before each
 * report, brought forward by the days whose data changed since the data version it was read at (read from the store's
 * change stamps, so it follows writes made by another process on the same database too). At most {@code capacity}
 * workspaces are held; the one asked for least recently is dropped first, and read whole again if asked for later.
 * Beside each index, the custom_data fields reports averaged over it.
 * Reading a workspace whole takes seconds at a million conversions, so the server reads its workspaces' indexes in the
 * background when it starts ({@link #prepare}) rather than on the first report's request, and then asks reports over
 * them so that the first request finds the code compiled. That read gives way to the requests answered meanwhile
 * ({@link ReadAheadGate}). With {@link ReportSnapshots} on, a workspace's index is read first from the file a previous
 * process kept, then brought forward like any other; after a whole read, or a rebuild once the file is
 * {@link #SNAPSHOT_AGE_MILLIS} old (or gone), a background thread writes the index to that file.
 */
final class ReportIndexes {
    private static final Logger LOG = LoggerFactory.getLogger(ReportIndexes.class);
    private static final java.lang.management.ThreadMXBean THREADS = java.lang.management.ManagementFactory.getThreadMXBean();
    /** Workspaces whose index is held; a million conversions with five million touchpoints take about 250 MB. */
    static final int DEFAULT_CAPACITY = 4;
    /** Field columns kept beside one workspace's index. */
    static final int MAX_FIELDS_KEPT = 16;
    /** Kinds of engine query whose per-day sums are kept beside one workspace's index ({@link DayResults}). */
    static final int MAX_QUERIES_KEPT = 32;
    /** The longest a report asked ahead waits for the requests being answered before it goes on. */
    static final long WARM_UP_WAIT_MILLIS = 5_000;
    /** Credited cells of those sums kept per workspace, at 20 bytes each: about 40 MB. */
    static final long MAX_CELLS_KEPT = 2_000_000;
    /**
     * How old a workspace's snapshot may grow before a rebuild writes it again: writing one costs about a second of
     * CPU at a million conversions, and an older one costs a start only the reading of the days changed since.
     */
    static final long SNAPSHOT_AGE_MILLIS = 15 * 60_000;

    private final AttributionStore store;
    private final int capacity;
    private final Map<String, Held> held = new LinkedHashMap<>(16, 0.75f, true);
    private final ReadAheadGate gate = new ReadAheadGate();
    private final ReportSnapshots snapshots;
    /** One thread writes the snapshots, one workspace at a time, off the requests' path. */
    private final ExecutorService writer;

    ReportIndexes(AttributionStore store, int capacity) {
        this(store, capacity, ReportSnapshots.OFF);
    }

    ReportIndexes(AttributionStore store, int capacity, ReportSnapshots snapshots) {
        this.store = store;
        this.capacity = capacity;
        this.snapshots = snapshots;
        // its thread ends when idle, so that a stopped server leaves none behind
        this.writer = snapshots.on() ? new ThreadPoolExecutor(0, 1, 30, TimeUnit.SECONDS, new LinkedBlockingQueue<>(),
                r -> Thread.ofPlatform().name("report-snapshots").daemon(true).unstarted(r)) : null;
        snapshots.atClose(this::keep);
    }

    /**
     * At a graceful stop: waits for the writes queued, then writes each index held, brought forward, whose file is not
     * as of its data version.
     */
    private void keep() {
        writer.shutdown();
        try {
            if (!writer.awaitTermination(60, TimeUnit.SECONDS)) return;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return;
        }
        List<Held> all;
        synchronized (held) {
            all = new ArrayList<>(held.values());
        }
        for (Held h : all) h.keep();
    }

    /** The workspace's index as of now: one reader per workspace brings it forward, the others wait for it. */
    ReportIndex current(Workspace ws) {
        Held h = held(ws);
        return gate.waiting(() -> h.current(ws, null));
    }

    /**
     * The engine's answer over the workspace's current index, from the days' sums kept for the kind of query where the
     * days changed since cannot have changed them.
     */
    EngineResult run(Workspace ws, EngineQuery q) {
        Held h = held(ws);
        ReportIndex ix = gate.waiting(() -> h.current(ws, null));
        return ReportEngine.run(ix, q, h.days);
    }

    /**
     * Waits (at most {@link #WARM_UP_WAIT_MILLIS}) while report requests are being answered: the reports asked ahead at
     * start give way to them, which on a small machine would otherwise share a core with the warm-up's.
     */
    void giveWay() {
        gate.quiet(WARM_UP_WAIT_MILLIS);
    }

    /** A report request's answer: the index reads made ahead pause meanwhile. */
    <T> T answering(Supplier<T> request) {
        return gate.answering(request);
    }

    private Held held(Workspace ws) {
        synchronized (held) {
            Held h = held.computeIfAbsent(ws.id(), id -> new Held());
            while (held.size() > capacity) held.remove(held.keySet().iterator().next());
            return h;
        }
    }

    /**
     * The numeric custom_data fields' columns for {@code index} (a workspace's current index or one just before it),
     * each read from the store the first time a report asks for it with this index and kept until the index is
     * replaced.
     */
    double[][] fields(Workspace ws, ReportIndex index, List<String> names) {
        Held h;
        synchronized (held) {
            h = held.computeIfAbsent(ws.id(), id -> new Held());
        }
        return gate.waiting(() -> h.fields(ws, index, names));
    }

    /**
     * Reads, on a background thread, the indexes of the first {@code capacity} of the workspaces that hold attribution
     * data, each followed by {@code warm} over it; a report asked for meanwhile waits for its workspace's read instead
     * of starting another.
     */
    void prepare(Supplier<List<Workspace>> workspaces, Consumer<Workspace> warm) {
        Thread.ofPlatform().name("report-indexes").daemon(true).start(() -> {
            try {
                int read = 0;
                for (Workspace ws : workspaces.get()) {
                    if (read == capacity) break;
                    if (store.dataVersion(ws.id(), LocalDate.EPOCH, LocalDate.of(9999, 12, 31)) == 0) continue;
                    long t = System.nanoTime();
                    long cpu = THREADS.getCurrentThreadCpuTime();
                    ReadAheadGate.Pausing[] rows = new ReadAheadGate.Pausing[1];
                    ReportIndex ix = held(ws).current(ws, b -> rows[0] = gate.pausing(b));
                    LOG.info("report index of workspace {} read ahead: {} conversions, {} touchpoints, about {} MB, in {} ms"
                                    + " ({} ms of this thread's CPU, {} ms paused for requests)", ws.id(), ix.conversions(),
                            ix.touchpoints(), ix.bytes() >> 20, (System.nanoTime() - t) / 1_000_000,
                            (THREADS.getCurrentThreadCpuTime() - cpu) / 1_000_000, rows[0] == null ? 0 : rows[0].pausedMillis());
                    t = System.nanoTime();
                    cpu = THREADS.getCurrentThreadCpuTime();
                    warm.accept(ws);
                    LOG.info("reports of workspace {} asked ahead to compile their code: {} ms ({} ms of this thread's CPU)",
                            ws.id(), (System.nanoTime() - t) / 1_000_000, (THREADS.getCurrentThreadCpuTime() - cpu) / 1_000_000);
                    read++;
                }
            } catch (RuntimeException e) {
                // the server stopped meanwhile, or the read failed: a report reads its index itself
                LOG.debug("report indexes were not read ahead: {}", e.getMessage());
            }
        });
    }

    private final class Held {
        private ReportIndex index;
        private long version;
        /** {@link ReportSnapshots#epoch} when {@link #index} began to be read. */
        private long epoch;
        /**
         * When the workspace's snapshot was last written (0: not known), when a write last failed (the next waits as
         * long as a snapshot may age, rather than failing at every rebuild), and whether a write is queued.
         */
        private long writtenAt;
        private long failedAt;
        private boolean writing;
        /** The data version of the index last written to the file (-1: none), and the workspace last asked for. */
        private long writtenVersion = -1;
        private Workspace workspace;
        /** The fields' columns of {@link #index}. */
        private final Map<String, double[]> fields = new HashMap<>();
        /** The engine's per-day sums over {@link #index}. */
        final DayResults days = new DayResults(MAX_QUERIES_KEPT, MAX_CELLS_KEPT);

        /** Under this workspace's lock: no rebuild takes over the index's profile map while a column is matched to it. */
        synchronized double[][] fields(Workspace ws, ReportIndex of, List<String> names) {
            double[][] out = new double[names.size()][];
            for (int i = 0; i < names.size(); i++) {
                double[] column = of == index ? fields.get(names.get(i)) : null;
                if (column == null) {
                    FieldColumn c = new FieldColumn(of);
                    store.conversionFieldValues(ws.id(), names.get(i), c);
                    column = c.build();
                    if (of == index) {
                        if (fields.size() >= MAX_FIELDS_KEPT) fields.clear(); // 8 bytes a conversion each
                        fields.put(names.get(i), column);
                    }
                }
                out[i] = column;
            }
            return out;
        }

        /** The index brought forward; {@code rowsOf} (null: none) stands between the store's rows and the builder. */
        synchronized ReportIndex current(Workspace ws, UnaryOperator<ReportRows> rowsOf) {
            workspace = ws;
            ZoneId zone = ZoneId.of(ws.settings().timeZone());
            long startedEpoch = snapshots.epoch(ws.id());
            if (index == null) fromSnapshot(ws, zone);
            // a workspace moved to another time zone has its days numbered anew: read it whole
            boolean whole = index == null || !index.zone().equals(zone);
            IndexBuilder[] builder = new IndexBuilder[1];
            List<Set<LocalDate>> replaced = new ArrayList<>(1);
            long read = store.reportRows(ws.id(), whole ? -1 : version, changed -> {
                replaced.add(changed);
                builder[0] = changed == null ? IndexBuilder.fresh(zone) : IndexBuilder.rebuild(index, changed);
                return rowsOf == null ? builder[0] : rowsOf.apply(builder[0]);
            });
            if (builder[0] != null) {
                index = builder[0].build();
                days.advance(index, replaced.get(0));
                epoch = startedEpoch;
                fields.clear();
            }
            version = read;
            long now = System.currentTimeMillis();
            if (builder[0] != null && snapshots.on() && now - failedAt > SNAPSHOT_AGE_MILLIS
                    && (whole || now - writtenAt > SNAPSHOT_AGE_MILLIS || !snapshots.exists(ws.id()))) {
                snapshotLater(ws.id());
            }
            return index;
        }

        /** The index the workspace's snapshot holds, when there is one to believe: brought forward from its version next. */
        private void fromSnapshot(Workspace ws, ZoneId zone) {
            if (!snapshots.on()) return;
            long t = System.nanoTime();
            long cpu = THREADS.getCurrentThreadCpuTime();
            long startedEpoch = snapshots.epoch(ws.id());
            snapshots.read(ws.id()).filter(s -> s.index().zone().equals(zone)).ifPresent(s -> {
                index = s.index();
                days.advance(index, null);
                version = s.version();
                epoch = startedEpoch;
                writtenAt = s.writtenAt();
                writtenVersion = s.version();
                LOG.info("report index of workspace {} read from its snapshot (data version {}): {} conversions, {} touchpoints,"
                                + " in {} ms ({} ms of this thread's CPU)", ws.id(), s.version(), index.conversions(),
                        index.touchpoints(), (System.nanoTime() - t) / 1_000_000,
                        (THREADS.getCurrentThreadCpuTime() - cpu) / 1_000_000);
            });
        }

        /** Queues a write of the workspace's index as it is when the writer comes to it. */
        private void snapshotLater(String workspaceId) {
            if (writing || writer.isShutdown()) return; // stopping: keep() writes what is held
            writing = true;
            writer.execute(() -> {
                ReportSnapshots.Pending p;
                synchronized (this) {
                    writing = false;
                    p = pending(workspaceId);
                }
                write(p);
            });
        }

        /** What a write of the index as it is now takes; under this workspace's lock. */
        private ReportSnapshots.Pending pending(String workspaceId) {
            writtenAt = System.currentTimeMillis();
            return new ReportSnapshots.Pending(workspaceId, index, IndexCodec.profileNames(index), version, epoch);
        }

        private void write(ReportSnapshots.Pending p) {
            long t = System.nanoTime();
            long cpu = THREADS.getCurrentThreadCpuTime();
            try {
                boolean kept = snapshots.write(p);
                if (kept) {
                    synchronized (this) {
                        writtenVersion = p.version();
                    }
                }
                LOG.info("report index of workspace {} {} its snapshot (data version {}) in {} ms ({} ms of this thread's CPU)",
                        p.workspaceId(), kept ? "written to" : "not kept in", p.version(), (System.nanoTime() - t) / 1_000_000,
                        (THREADS.getCurrentThreadCpuTime() - cpu) / 1_000_000);
            } catch (IOException | RuntimeException e) {
                synchronized (this) {
                    failedAt = System.currentTimeMillis();
                }
                LOG.warn("report index of workspace {} not written to its snapshot: {}", p.workspaceId(), e.toString());
            }
        }

        /** The index brought forward and written, unless its file is as of its version already: at a graceful stop. */
        void keep() {
            ReportSnapshots.Pending p;
            synchronized (this) {
                if (index == null || workspace == null) return;
                current(workspace, null);
                if (version == writtenVersion) return;
                p = pending(workspace.id());
            }
            write(p);
        }
    }
}
