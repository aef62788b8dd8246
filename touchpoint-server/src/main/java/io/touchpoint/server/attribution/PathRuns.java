package io.touchpoint.server.attribution;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.touchpoint.core.attribution.GroupBy;
import io.touchpoint.core.attribution.paths.PathTally;
import io.touchpoint.core.attribution.report.ReportQuery;
import io.touchpoint.core.model.Workspace;
import io.touchpoint.core.store.AttributionStore;
import io.touchpoint.core.store.WorkspaceStore;

import java.time.Clock;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Optional;

/**
 * The conversion paths report's runs: counting every conversion's path of a range reads all its journeys, seconds
 * over millions of touchpoints, so the worker of {@link DataDrivenRuns} computes them as a second {@link
 * DataDrivenRuns.Kind} and stores the {@link #STORED_PATHS} most common paths with the data version it read; a report
 * answers from the stored run, says when it is stale and has it recomputed in the background, as data-driven credits
 * do. The scheduler keeps the last 30 days by channel and by campaign fresh.
 */
public final class PathRuns implements DataDrivenRuns.Kind {
    private static final ObjectMapper JSON = new ObjectMapper().findAndRegisterModules();
    /** The groupings the report takes. */
    static final List<GroupBy> GROUPINGS = List.of(GroupBy.CHANNEL, GroupBy.CAMPAIGN, GroupBy.SOURCE, GroupBy.PLATFORM);
    /** The most common paths a run keeps: the most a report lists. */
    static final int STORED_PATHS = 1000;

    /** A stored run as a report reads it: when computed (null: none), stale, being recomputed. */
    public record Run(Instant computedAt, PathTally.Result result, boolean stale, boolean recomputing) {
    }

    /** What a run stores: the tally's result, and the currency its revenue is in. */
    record Stored(String currency, PathTally.Result result) {
    }

    private final AttributionStore store;
    private final WorkspaceStore workspaces;
    private final DataDrivenRuns runs;
    private final Clock clock;

    public PathRuns(AttributionStore store, WorkspaceStore workspaces, DataDrivenRuns runs, Clock clock) {
        this.store = store;
        this.workspaces = workspaces;
        this.runs = runs;
        this.clock = clock;
        runs.add(this);
    }

    @Override
    public String key(Workspace w, ReportQuery q) {
        return "paths|" + DataDrivenRuns.key(w, q);
    }

    @Override
    public List<GroupBy> scheduled() {
        return List.of(GroupBy.CHANNEL, GroupBy.CAMPAIGN);
    }

    @Override
    public Object compute(ReportQuery q, String key) {
        Instant at = clock.instant().truncatedTo(ChronoUnit.MILLIS);
        long version = store.dataVersion(); // before the paths: a change committed meanwhile counts as newer than the run
        String currency = workspaces.byId(q.workspaceId()).map(w -> w.settings().currency()).orElse("");
        PathTally tally = new PathTally(currency);
        store.conversionPaths(q.workspaceId(), q.from(), q.to(), q.eventNames(), q.groupBy(), tally);
        PathTally.Result result = tally.top(STORED_PATHS);
        try {
            store.putModelRun(q.workspaceId(), key, new AttributionStore.ModelRun(at,
                    JSON.writeValueAsString(new Stored(currency, result)), version));
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
        return new Run(at, result, false, false);
    }

    /**
     * The range's stored run: computed for it first when none is stored (the request waits for the worker a bounded
     * time, {@link DataDrivenRuns#computeAndWait}), queued for a recomputation when stale.
     */
    Run read(Workspace ws, ReportQuery q) {
        long began = System.nanoTime();
        String key = key(ws, q);
        Optional<AttributionStore.ModelRun> stored = store.modelRun(ws.id(), key);
        if (stored.isEmpty() && runs.computeAndWait(this, q, began, Reports.conversions(store.totals(q)))) {
            stored = store.modelRun(ws.id(), key);
        }
        if (stored.isEmpty()) return new Run(null, null, false, runs.recomputing(this, q, false));
        AttributionStore.ModelRun r = stored.get();
        boolean stale = r.dataVersion() == AttributionStore.UNKNOWN_VERSION
                || store.dataVersion(ws.id(), q.from(), q.to()) > r.dataVersion();
        try {
            Stored s = JSON.readValue(r.resultJson(), Stored.class);
            return new Run(r.computedAt(), s.result(), stale, runs.recomputing(this, q, stale));
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("a stored paths run is unreadable", e);
        }
    }

    /** Computes and stores the range's run on the worker, and waits for it however long it takes (the benchmark's measure). */
    public Run recompute(ReportQuery q) {
        return (Run) runs.recompute(this, q);
    }
}
