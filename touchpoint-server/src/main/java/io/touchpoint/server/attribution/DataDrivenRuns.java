package io.touchpoint.server.attribution;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.touchpoint.core.attribution.DataDrivenCredits;
import io.touchpoint.core.attribution.GroupBy;
import io.touchpoint.core.attribution.models.AttributionModel;
import io.touchpoint.core.attribution.models.GroupCredit;
import io.touchpoint.core.attribution.report.ReportQuery;
import io.touchpoint.core.model.Workspace;
import io.touchpoint.core.store.AttributionStore;
import io.touchpoint.core.store.WorkspaceStore;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.time.temporal.ChronoUnit;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.PriorityQueue;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * Markov and Shapley credits (docs/ATTRIBUTION.md) computed over a workspace's journeys for one range, grouping and
 * set of event names, and stored with the time of the computation and the store's {@link AttributionStore#dataVersion()}
 * read before the journeys. Runs are computed by one background worker only, never on a request's thread: a
 * computation takes seconds and a whole core, and one at a time keeps a burst of requests from taking every core.
 * <p>
 * Reports read the stored run. A range asked for the first time is queued for the worker ahead of everything else,
 * and the request waits for it ({@link #computeAndWait}): a range of fewer than {@link #QUICK_RUN_CONVERSIONS}
 * conversions takes well under a second of the worker's CPU, so its report waits for the run up to {@link #WAIT};
 * a larger one's run takes seconds (8 at half a million conversions), so its report waits only until
 * {@link #ANSWER_WITHIN} after the request began (at least {@link #MIN_WAIT}) and then answers without it, saying it
 * is being computed. A stored run is <em>stale</em> once a commit changed the data of a day in its range
 * after it was computed (a conversion, its credits, a touchpoint, a merge of the profiles they belong to): a report
 * still answers from it, says so, and the run is queued for a recomputation ({@link #status}), so the next report has
 * the new data. A scheduler queues every workspace's last 30 days at every grouping on an interval, and
 * {@link #recomputeNow} queues the asked range and waits for it as a first request does.
 * <p>
 * The same worker computes other {@link Kind}s of run that read every journey of a range (the conversion paths of
 * {@link PathRuns}), with the same queue, priorities, staleness and schedule.
 */
public final class DataDrivenRuns implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(DataDrivenRuns.class);
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final TypeReference<Map<String, Map<String, double[]>>> STORED = new TypeReference<>() {
    };
    /** The range the scheduler keeps fresh: the last 30 days, today included, in the workspace's time zone. */
    static final int SCHEDULED_DAYS = 30;
    /** Runs that requests queued, at most: past it a report says what it has and queues nothing. */
    static final int MAX_QUEUED = 64;
    /** How long a request waits for a run the worker computes for it, at most. */
    static final Duration WAIT = Duration.ofSeconds(20);
    /** Conversions in a range whose run is quick: its first request waits for it up to {@link #WAIT}. */
    static final long QUICK_RUN_CONVERSIONS = 20_000;
    /** When, after a report's request began, it stops waiting for a larger range's first run and answers without it. */
    static final Duration ANSWER_WITHIN = Duration.ofMillis(800);
    /** The least a first request waits for its run, however long the report took before. */
    static final Duration MIN_WAIT = Duration.ofMillis(200);

    /**
     * A run as a report shows it: model → group → credit, when it was computed (null: none stored), {@code stale}
     * when the data of its range changed after it was computed, {@code recomputing} when the worker has it queued or
     * is computing it.
     */
    public record Run(Instant computedAt, Map<AttributionModel, Map<String, GroupCredit>> credits, boolean stale,
                      boolean recomputing) {
    }

    /** Who waits for a run: the worker takes requests' runs first, then stale runs, then the scheduler's. */
    private enum Priority { WAITED, STALE, SCHEDULED }

    /**
     * A kind of stored run the one worker computes: the data-driven credits, or another report over the journeys
     * (conversion paths) that is too slow for a request's thread and is kept fresh the same way.
     */
    interface Kind {
        /** The stored run's key under the workspace's settings: a run is stored under what it was computed with. */
        String key(Workspace w, ReportQuery q);

        /** Computes the range's run and stores it under {@code key}; on the worker only. */
        Object compute(ReportQuery q, String key);

        /** The groupings the scheduler keeps fresh for the last {@link #SCHEDULED_DAYS} days. */
        List<GroupBy> scheduled();
    }

    /** The data-driven credits: Markov and Shapley over the range's journeys. */
    private final Kind models = new Kind() {
        @Override
        public String key(Workspace w, ReportQuery q) {
            return DataDrivenRuns.key(w, q);
        }

        @Override
        public Object compute(ReportQuery q, String key) {
            return computeModels(q, key);
        }

        @Override
        public List<GroupBy> scheduled() {
            return GroupBy.STORED;
        }
    };

    /** A run to compute; {@code id} is the workspace and the run's key. */
    private record Job(String id, Kind kind, ReportQuery range, CompletableFuture<Object> done) {
    }

    /** A job waiting for the worker, at a priority, in the order it was queued in. */
    private record Queued(Job job, Priority priority, long order) {
    }

    private final AttributionStore store;
    private final WorkspaceStore workspaces;
    private final Clock clock;
    private final Duration wait;
    private final long quickRunConversions;
    private final ScheduledExecutorService scheduler;
    private final Thread worker;
    /** Guards the queue: which jobs wait, in what order, and which one the worker is computing. */
    private final Object lock = new Object();
    private final PriorityQueue<Queued> queue = new PriorityQueue<>(Comparator.comparing(Queued::priority)
            .thenComparingLong(Queued::order));
    private final Map<String, Queued> queued = new HashMap<>();
    private final List<Kind> kinds = new CopyOnWriteArrayList<>(List.of(models));
    private Job running;
    private long order;
    private boolean closed;

    public DataDrivenRuns(AttributionStore store, WorkspaceStore workspaces, Clock clock, Duration interval) {
        this(store, workspaces, clock, interval, WAIT, QUICK_RUN_CONVERSIONS);
    }

    DataDrivenRuns(AttributionStore store, WorkspaceStore workspaces, Clock clock, Duration interval, Duration wait,
                   long quickRunConversions) {
        this.store = store;
        this.workspaces = workspaces;
        this.clock = clock;
        this.wait = wait;
        this.quickRunConversions = quickRunConversions;
        this.worker = Thread.ofPlatform().name("attribution-models").daemon(true).start(this::work);
        this.scheduler = Executors.newSingleThreadScheduledExecutor(r -> Thread.ofPlatform()
                .name("attribution-models-schedule").daemon(true).unstarted(r));
        if (interval != null && !interval.isZero()) {
            scheduler.scheduleWithFixedDelay(this::queueAll, interval.toMillis(), interval.toMillis(), TimeUnit.MILLISECONDS);
        }
    }

    /**
     * The stored run's key: the range, grouping and event names, and the workspace's time zone and currency, which
     * set the range's bounds and which values count (a run made under others is not one of these).
     */
    static String key(Workspace w, ReportQuery q) {
        return q.from() + "|" + q.to() + "|" + q.groupBy().wireName() + "|"
                + (q.eventNames() == null ? "*" : String.join(",", new TreeSet<>(q.eventNames()))) + "|"
                + w.settings().timeZone() + "|" + w.settings().currency();
    }

    /**
     * The run a report shows, from the stored one and the data version of its range read with it. A stale one is
     * queued for a recomputation; none stored is shown as none, being computed when the worker has it.
     */
    Run status(ReportQuery q, Optional<AttributionStore.ModelRun> stored, long rangeVersion) {
        if (stored.isEmpty()) return new Run(null, Map.of(), false, inProgress(models, q));
        AttributionStore.ModelRun r = stored.get();
        boolean stale = r.dataVersion() == AttributionStore.UNKNOWN_VERSION || rangeVersion > r.dataVersion();
        return decode(r, stale, recomputing(models, q, stale));
    }

    /** Whether the worker has the range's run of the kind in hand; a stale one is queued for a recomputation first. */
    boolean recomputing(Kind kind, ReportQuery q, boolean stale) {
        return stale ? submit(kind, q, Priority.STALE, true) != null : inProgress(kind, q);
    }

    /**
     * Has the worker compute the range's run, or join it computing it; true once it is stored within the wait of a
     * request that began at {@code began} ({@link System#nanoTime}) over a range of {@code conversions}.
     */
    boolean computeAndWait(ReportQuery q, long began, long conversions) {
        return computeAndWait(models, q, began, conversions);
    }

    boolean computeAndWait(Kind kind, ReportQuery q, long began, long conversions) {
        Duration w = wait;
        if (conversions >= quickRunConversions) {
            long left = ANSWER_WITHIN.toNanos() - (System.nanoTime() - began);
            Duration answerBy = Duration.ofNanos(Math.max(left, MIN_WAIT.toNanos()));
            if (answerBy.compareTo(w) < 0) w = answerBy;
        }
        return await(submit(kind, q, Priority.WAITED, true), w);
    }

    /** Has the worker compute the range's run afresh, from data read from now on; true once it is stored within the wait. */
    boolean recomputeNow(ReportQuery q) {
        return await(submit(models, q, Priority.WAITED, false), wait);
    }

    /** Computes and stores the run on the worker, and waits for it however long it takes (the benchmark's measure). */
    public Run recompute(String ws, LocalDate from, LocalDate to, GroupBy groupBy, List<String> eventNames) {
        return (Run) recompute(models, new ReportQuery(ws, from, to, groupBy, List.of(), eventNames, false));
    }

    /** Computes and stores a run of the kind on the worker, and waits for it however long it takes. */
    Object recompute(Kind kind, ReportQuery q) {
        Job job = submit(kind, q, Priority.WAITED, false);
        if (job == null) throw new IllegalStateException("background runs are closed or their queue is full");
        return job.done().join();
    }

    /** Has the worker compute runs of another kind too, and the scheduler keep them fresh as it does the models'. */
    void add(Kind kind) {
        kinds.add(kind);
    }

    private static boolean await(Job job, Duration wait) {
        if (job == null) return false;
        try {
            job.done().get(wait.toMillis(), TimeUnit.MILLISECONDS);
            return true;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        } catch (ExecutionException | TimeoutException | CancellationException e) {
            return false; // the failure is logged by the worker; the report says what is stored
        }
    }

    /**
     * Queues the range's run, or joins a queued one (raising its priority) or, when {@code joinRunning}, the one being
     * computed; null when closed, or when the queue of requested runs is full.
     */
    private Job submit(Kind kind, ReportQuery q, Priority priority, boolean joinRunning) {
        String id = q.workspaceId() + "\n" + runKey(kind, q);
        synchronized (lock) {
            if (closed) return null;
            if (joinRunning && running != null && running.id().equals(id)) return running;
            Queued waiting = queued.get(id);
            if (waiting != null) {
                if (priority.compareTo(waiting.priority()) < 0) {
                    queue.remove(waiting);
                    enqueue(new Queued(waiting.job(), priority, waiting.order()));
                }
                return waiting.job();
            }
            if (priority != Priority.SCHEDULED && queue.stream().filter(j -> j.priority() != Priority.SCHEDULED).count() >= MAX_QUEUED) {
                return null;
            }
            Job job = new Job(id, kind, q, new CompletableFuture<>());
            enqueue(new Queued(job, priority, order++));
            return job;
        }
    }

    private void enqueue(Queued q) {
        queued.put(q.job().id(), q);
        queue.add(q);
        lock.notifyAll();
    }

    private boolean isClosed() {
        synchronized (lock) {
            return closed;
        }
    }

    private boolean inProgress(Kind kind, ReportQuery q) {
        String id = q.workspaceId() + "\n" + runKey(kind, q);
        synchronized (lock) {
            return queued.containsKey(id) || running != null && running.id().equals(id);
        }
    }

    /** The key under the workspace's current settings: a run is stored under what it was computed with. */
    private String runKey(Kind kind, ReportQuery q) {
        return workspaces.byId(q.workspaceId()).map(w -> kind.key(w, q)).orElse(q.workspaceId() + "|" + q.from() + "|" + q.to());
    }

    private void work() {
        while (true) {
            Job job;
            synchronized (lock) {
                while (queue.isEmpty() && !closed) {
                    try {
                        lock.wait();
                    } catch (InterruptedException e) {
                        if (closed) break;
                    }
                }
                if (closed) return;
                job = queue.poll().job();
                queued.remove(job.id());
                running = job;
            }
            Object result = null;
            Throwable failure = null;
            try {
                result = job.kind().compute(job.range(), runKey(job.kind(), job.range()));
            } catch (RuntimeException | OutOfMemoryError e) { // the worker goes on: the next run may well fit
                if (!isClosed()) LOG.error("data-driven attribution for workspace {} ({}) failed", job.range().workspaceId(), job.id(), e);
                failure = e;
            }
            // no longer running before anyone waiting is woken: a waiter that reads the status must not see it in hand
            synchronized (lock) {
                running = null;
            }
            if (failure == null) job.done().complete(result);
            else job.done().completeExceptionally(failure);
        }
    }

    /** Computes and stores the range's data-driven run; on the worker only. */
    private Run computeModels(ReportQuery q, String key) {
        Instant at = clock.instant().truncatedTo(ChronoUnit.MILLIS); // what the store keeps: the answer says the same
        // read before the journeys: a change committed meanwhile then counts as newer than the run, never as in it
        long version = store.dataVersion();
        DataDrivenCredits credits = new DataDrivenCredits();
        store.journeys(q.workspaceId(), q.from(), q.to(), q.eventNames(), q.groupBy(), credits);
        DataDrivenCredits.Result r = credits.compute();
        Map<AttributionModel, Map<String, GroupCredit>> byModel = new LinkedHashMap<>();
        byModel.put(AttributionModel.MARKOV, new TreeMap<>(r.markov()));
        byModel.put(AttributionModel.SHAPLEY, new TreeMap<>(r.shapley()));
        Run run = new Run(at, byModel, false, false);
        store.putModelRun(q.workspaceId(), key, new AttributionStore.ModelRun(at, encode(run), version));
        return run;
    }

    /** Today in the workspace's time zone, by the server's clock: the end of default report ranges. */
    public LocalDate today(Workspace w) {
        return LocalDate.ofInstant(clock.instant(), ZoneId.of(w.settings().timeZone()));
    }

    private void queueAll() {
        for (Workspace w : workspaces.list()) {
            LocalDate today = today(w);
            for (Kind kind : kinds) {
                for (GroupBy g : kind.scheduled()) {
                    submit(kind, new ReportQuery(w.id(), today.minusDays(SCHEDULED_DAYS - 1), today, g, List.of(), null, false),
                            Priority.SCHEDULED, true);
                }
            }
        }
    }

    private static String encode(Run run) {
        // model → group → [conversions, value]
        Map<String, Map<String, double[]>> out = new LinkedHashMap<>();
        run.credits().forEach((m, groups) -> {
            Map<String, double[]> g = new LinkedHashMap<>();
            groups.forEach((name, c) -> g.put(name, new double[]{c.conversions(), c.value()}));
            out.put(m.wireName(), g);
        });
        try {
            return JSON.writeValueAsString(out);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    private static Run decode(AttributionStore.ModelRun stored, boolean stale, boolean recomputing) {
        try {
            Map<String, Map<String, double[]>> raw = JSON.readValue(stored.resultJson(), STORED);
            Map<AttributionModel, Map<String, GroupCredit>> byModel = new LinkedHashMap<>();
            raw.forEach((m, groups) -> {
                Map<String, GroupCredit> g = new TreeMap<>();
                groups.forEach((name, c) -> g.put(name, new GroupCredit(c[0], c[1])));
                byModel.put(AttributionModel.fromWireName(m).orElseThrow(), g);
            });
            return new Run(stored.computedAt(), byModel, stale, recomputing);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("a stored attribution run is unreadable", e);
        }
    }

    @Override
    public void close() {
        scheduler.shutdownNow();
        synchronized (lock) {
            closed = true;
            queue.forEach(j -> j.job().done().cancel(false));
            queue.clear();
            queued.clear();
            lock.notifyAll();
        }
        worker.interrupt();
    }
}
