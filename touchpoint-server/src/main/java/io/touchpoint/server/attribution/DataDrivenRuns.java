package io.touchpoint.server.attribution;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.touchpoint.core.attribution.DataDrivenCredits;
import io.touchpoint.core.attribution.GroupBy;
import io.touchpoint.core.attribution.models.AttributionModel;
import io.touchpoint.core.attribution.models.GroupCredit;
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
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * Markov and Shapley credits (SPEC §8) computed over a workspace's journeys for one range, grouping and set of event
 * names, and stored with the time of the computation and the store's {@link AttributionStore#dataVersion()} read
 * before the journeys. Reports read the stored run; a range asked for the first time is computed then. A stored run
 * is <em>stale</em> once a commit changed the data of a day in its range after it was computed (a conversion, its
 * credits, a touchpoint, a merge of the profiles they belong to): a report still answers from it, says so, and the
 * run is recomputed in the background ({@link #run}), so the next report has the new data. A scheduler recomputes
 * every workspace's last 30 days at every grouping on an interval, and {@link #recompute} does it on demand.
 */
public final class DataDrivenRuns implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(DataDrivenRuns.class);
    private static final ObjectMapper JSON = new ObjectMapper();
    /** The range the scheduler keeps fresh: the last 30 days, today included, in the workspace's time zone. */
    static final int SCHEDULED_DAYS = 30;
    /** Stale runs waiting to be recomputed in the background, at most: past it a report says stale and queues nothing. */
    static final int MAX_QUEUED = 64;

    /**
     * A stored run, decoded: model → group → credit; {@code stale} when the data of its range changed after it was
     * computed, {@code recomputing} when a background recomputation of it is queued or running.
     */
    public record Run(Instant computedAt, Map<AttributionModel, Map<String, GroupCredit>> credits, boolean stale,
                      boolean recomputing) {
    }

    private final AttributionStore store;
    private final WorkspaceStore workspaces;
    private final Clock clock;
    private final ScheduledExecutorService scheduler;
    /** Keys (workspace id and run key) of the runs queued for a background recomputation. */
    private final Set<String> queued = ConcurrentHashMap.newKeySet();

    public DataDrivenRuns(AttributionStore store, WorkspaceStore workspaces, Clock clock, Duration interval) {
        this.store = store;
        this.workspaces = workspaces;
        this.clock = clock;
        this.scheduler = Executors.newSingleThreadScheduledExecutor(r -> Thread.ofPlatform().name("attribution-models")
                .daemon(true).unstarted(r));
        if (interval != null && !interval.isZero()) {
            scheduler.scheduleWithFixedDelay(this::recomputeAll, interval.toMillis(), interval.toMillis(), TimeUnit.MILLISECONDS);
        }
    }

    /**
     * The stored run's key: the range, grouping and event names, and the workspace's time zone and currency, which
     * set the range's bounds and which values count (a run made under others is not one of these).
     */
    String key(String ws, LocalDate from, LocalDate to, GroupBy groupBy, List<String> eventNames) {
        String basis = workspaces.byId(ws).map(w -> w.settings().timeZone() + "|" + w.settings().currency()).orElse("");
        return from + "|" + to + "|" + groupBy.wireName() + "|"
                + (eventNames == null ? "*" : String.join(",", new java.util.TreeSet<>(eventNames))) + "|" + basis;
    }

    /**
     * The stored run for the key, computed now when there is none. A stale one is answered as it is, marked stale,
     * and queued for a recomputation in the background.
     */
    public Run run(String ws, LocalDate from, LocalDate to, GroupBy groupBy, List<String> eventNames) {
        String key = key(ws, from, to, groupBy, eventNames);
        Optional<AttributionStore.ModelRun> stored = store.modelRun(ws, key);
        if (stored.isEmpty()) return recompute(ws, from, to, groupBy, eventNames);
        AttributionStore.ModelRun r = stored.get();
        boolean stale = r.dataVersion() == AttributionStore.UNKNOWN_VERSION || store.dataVersion(ws, from, to) > r.dataVersion();
        boolean recomputing = stale && recomputeLater(ws, key, from, to, groupBy, eventNames);
        return decode(r, stale, recomputing);
    }

    /** Queues the run's recomputation on the scheduler's thread; false when it could not be queued. */
    private boolean recomputeLater(String ws, String key, LocalDate from, LocalDate to, GroupBy groupBy, List<String> eventNames) {
        String id = ws + "\n" + key;
        if (queued.contains(id)) return true;
        if (queued.size() >= MAX_QUEUED || !queued.add(id)) return queued.contains(id);
        try {
            scheduler.execute(() -> {
                try {
                    recompute(ws, from, to, groupBy, eventNames);
                } catch (RuntimeException e) {
                    LOG.error("data-driven attribution for workspace {} ({}) failed", ws, key, e);
                } finally {
                    queued.remove(id);
                }
            });
            return true;
        } catch (RejectedExecutionException e) { // closing
            queued.remove(id);
            return false;
        }
    }

    /** Computes and stores the run now. */
    public synchronized Run recompute(String ws, LocalDate from, LocalDate to, GroupBy groupBy, List<String> eventNames) {
        Instant at = clock.instant().truncatedTo(ChronoUnit.MILLIS); // what the store keeps: the answer says the same
        // read before the journeys: a change committed meanwhile then counts as newer than the run, never as in it
        long version = store.dataVersion();
        DataDrivenCredits credits = new DataDrivenCredits();
        store.journeys(ws, from, to, eventNames, groupBy, credits);
        DataDrivenCredits.Result r = credits.compute();
        Map<AttributionModel, Map<String, GroupCredit>> byModel = new LinkedHashMap<>();
        byModel.put(AttributionModel.MARKOV, new TreeMap<>(r.markov()));
        byModel.put(AttributionModel.SHAPLEY, new TreeMap<>(r.shapley()));
        Run run = new Run(at, byModel, false, false);
        store.putModelRun(ws, key(ws, from, to, groupBy, eventNames), new AttributionStore.ModelRun(at, encode(run), version));
        return run;
    }

    /** Today in the workspace's time zone, by the server's clock: the end of default report ranges. */
    public LocalDate today(Workspace w) {
        return LocalDate.ofInstant(clock.instant(), ZoneId.of(w.settings().timeZone()));
    }

    private void recomputeAll() {
        for (Workspace w : workspaces.list()) {
            LocalDate today = today(w);
            for (GroupBy g : GroupBy.values()) {
                try {
                    recompute(w.id(), today.minusDays(SCHEDULED_DAYS - 1), today, g, null);
                } catch (RuntimeException e) {
                    LOG.error("data-driven attribution for workspace {} by {} failed", w.id(), g.wireName(), e);
                }
            }
        }
    }

    private static String encode(Run run) {
        Map<String, Object> out = new LinkedHashMap<>();
        run.credits().forEach((m, groups) -> {
            Map<String, Object> g = new LinkedHashMap<>();
            groups.forEach((name, c) -> g.put(name, List.of(c.conversions(), c.value())));
            out.put(m.wireName(), g);
        });
        try {
            return JSON.writeValueAsString(out);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    @SuppressWarnings("unchecked")
    private static Run decode(AttributionStore.ModelRun stored, boolean stale, boolean recomputing) {
        try {
            Map<String, Map<String, List<Number>>> raw = JSON.readValue(stored.resultJson(), Map.class);
            Map<AttributionModel, Map<String, GroupCredit>> byModel = new LinkedHashMap<>();
            raw.forEach((m, groups) -> {
                Map<String, GroupCredit> g = new TreeMap<>();
                groups.forEach((name, c) -> g.put(name, new GroupCredit(c.get(0).doubleValue(), c.get(1).doubleValue())));
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
    }
}
