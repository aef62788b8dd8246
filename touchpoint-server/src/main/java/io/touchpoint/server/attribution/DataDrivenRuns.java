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
import java.util.TreeMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * Markov and Shapley credits (SPEC §8) computed over a workspace's journeys for one range, grouping and set of event
 * names, and stored with the time of the computation. Reports read the stored run; a range asked for the first
 * time is computed then. A scheduler recomputes every workspace's last 30 days at every grouping on an interval,
 * and {@link #recompute} does it on demand.
 */
public final class DataDrivenRuns implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(DataDrivenRuns.class);
    private static final ObjectMapper JSON = new ObjectMapper();
    /** The range the scheduler keeps fresh: the last 30 days, today included, in the workspace's time zone. */
    static final int SCHEDULED_DAYS = 30;

    /** A stored run, decoded: model → group → credit. */
    public record Run(Instant computedAt, Map<AttributionModel, Map<String, GroupCredit>> credits) {
    }

    private final AttributionStore store;
    private final WorkspaceStore workspaces;
    private final Clock clock;
    private final ScheduledExecutorService scheduler;

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

    static String key(LocalDate from, LocalDate to, GroupBy groupBy, List<String> eventNames) {
        return from + "|" + to + "|" + groupBy.wireName() + "|"
                + (eventNames == null ? "*" : String.join(",", new java.util.TreeSet<>(eventNames)));
    }

    /** The stored run for the key, computed now when there is none. */
    public Run run(String ws, LocalDate from, LocalDate to, GroupBy groupBy, List<String> eventNames) {
        Optional<AttributionStore.ModelRun> stored = store.modelRun(ws, key(from, to, groupBy, eventNames));
        return stored.map(DataDrivenRuns::decode).orElseGet(() -> recompute(ws, from, to, groupBy, eventNames));
    }

    /** Computes and stores the run now. */
    public synchronized Run recompute(String ws, LocalDate from, LocalDate to, GroupBy groupBy, List<String> eventNames) {
        Instant at = clock.instant().truncatedTo(ChronoUnit.MILLIS); // what the store keeps: the answer says the same
        DataDrivenCredits credits = new DataDrivenCredits();
        store.journeys(ws, from, to, eventNames, groupBy, credits);
        DataDrivenCredits.Result r = credits.compute();
        Map<AttributionModel, Map<String, GroupCredit>> byModel = new LinkedHashMap<>();
        byModel.put(AttributionModel.MARKOV, new TreeMap<>(r.markov()));
        byModel.put(AttributionModel.SHAPLEY, new TreeMap<>(r.shapley()));
        Run run = new Run(at, byModel);
        store.putModelRun(ws, key(from, to, groupBy, eventNames), new AttributionStore.ModelRun(at, encode(run)));
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
    private static Run decode(AttributionStore.ModelRun stored) {
        try {
            Map<String, Map<String, List<Number>>> raw = JSON.readValue(stored.resultJson(), Map.class);
            Map<AttributionModel, Map<String, GroupCredit>> byModel = new LinkedHashMap<>();
            raw.forEach((m, groups) -> {
                Map<String, GroupCredit> g = new TreeMap<>();
                groups.forEach((name, c) -> g.put(name, new GroupCredit(c.get(0).doubleValue(), c.get(1).doubleValue())));
                byModel.put(AttributionModel.fromWireName(m).orElseThrow(), g);
            });
            return new Run(stored.computedAt(), byModel);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("a stored attribution run is unreadable", e);
        }
    }

    @Override
    public void close() {
        scheduler.shutdownNow();
    }
}
