package io.touchpoint.server.attribution;

import io.touchpoint.core.attribution.AttributionSettings;
import io.touchpoint.core.attribution.engine.EngineQuery;
import io.touchpoint.core.attribution.engine.EngineResult;
import io.touchpoint.core.attribution.engine.ReportEngine;
import io.touchpoint.core.attribution.engine.ReportIndex;
import io.touchpoint.core.attribution.models.AttributionModel;
import io.touchpoint.core.attribution.report.AdSpend;
import io.touchpoint.core.attribution.report.ConversionTotal;
import io.touchpoint.core.attribution.report.CreditCell;
import io.touchpoint.core.attribution.report.ReportQuery;
import io.touchpoint.core.model.Workspace;
import io.touchpoint.core.store.AttributionStore;
import io.touchpoint.core.store.AttributionStore.ReportData;

import java.time.LocalDate;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Assembles an attribution report from one read of the store ({@link AttributionStore#report}): rule-based credits
 * from the stored rollup (or, for another window or a model whose credits are not stored, from the report engine over
 * the workspace's {@link ReportIndexes index}), data-driven credits from the stored run for the same range, grouping and event names,
 * totals from the stored conversions and, for platform and campaign groupings, imported spend. The daily series
 * carries the rule-based models only: the data-driven ones credit a population of journeys over the whole range, not
 * a day. {@code data_driven} says when the data-driven credits were computed and whether they are stale (data of the
 * range changed since; recomputing in the background). A request never computes a run: the background worker of
 * {@link DataDrivenRuns} does, and the request waits for it a bounded time ({@link DataDrivenRuns#computeAndWait}).
 */
final class Reports {
    private Reports() {
    }

    /** A report and the processing lag read with it: the events the lag counts are exactly those not in the report. */
    record Answer(Report report, long lagEvents) {
    }

    /** The report; with {@code recomputeNow}, after the worker recomputed its data-driven run (or the wait ran out). */
    static Answer read(AttributionStore store, DataDrivenRuns runs, ReportIndexes indexes, Workspace ws, ReportQuery q,
                       ReportOptions options, boolean recomputeNow) {
        long began = System.nanoTime();
        boolean dataDriven = recomputeNow || q.models().stream().anyMatch(AttributionModel::dataDriven);
        String runKey = dataDriven ? DataDrivenRuns.key(ws, q) : null;
        if (recomputeNow) runs.recomputeNow(q);
        AttributionSettings settings = store.settings(ws.id());
        boolean engine = options.needsEngine(q, settings.lookbackDays());
        ReportData data = engine ? fromEngine(store, indexes, ws, q, options, settings, runKey) : store.report(q, runKey);
        // a range asked for the first time: the worker computes its run, and the report is read again once it is stored
        if (dataDriven && data.modelRun().isEmpty() && runs.computeAndWait(q, began, conversions(data.totals()))) {
            data = engine ? fromEngine(store, indexes, ws, q, options, settings, runKey) : store.report(q, runKey);
        }
        DataDrivenRuns.Run run = dataDriven ? runs.status(q, data.modelRun(), data.rangeVersion()) : null;
        Map<String, Report.AdLine> lines = AdLines.applies(q.groupBy())
                ? AdLines.lines(store.adSpend(ws.id(), q.from(), q.to()), q.groupBy()) : null;
        Report report = build(ws, q, options.windowName(settings.lookbackDays()), options.platform(), data, run, lines);
        if (!options.columns().equals(ReportColumns.NONE)) {
            Map<String, List<CreditCell>> byEvent = new HashMap<>();
            for (String event : options.columns().eventsToCount()) {
                byEvent.put(event, indexes.run(ws, engineQuery(q, options, settings, List.of(event), false)).credits());
            }
            Map<String, Map<String, Map<String, Double>>> averaged = averages(indexes, ws, q, options, settings);
            report = report.withRows(options.columns().apply(report.rows(), byEvent, averaged, ws.settings().currency()));
        }
        return new Answer(report, data.eventsNotAttributed());
    }

    /** The conversions the totals count, in every currency. */
    static long conversions(List<ConversionTotal> totals) {
        return totals.stream().mapToLong(ConversionTotal::conversions).sum();
    }

    /**
     * The averages of the fields asked for, group → model → field, from the engine over the report's conversions and
     * window: whether the rollup or the engine answered the other figures, they credit alike. Data-driven models credit
     * journeys as a population, not each conversion, so they have no averages.
     */
    private static Map<String, Map<String, Map<String, Double>>> averages(ReportIndexes indexes, Workspace ws, ReportQuery q,
                                                                         ReportOptions options, AttributionSettings settings) {
        List<String> fields = options.columns().averages();
        Map<String, Map<String, Map<String, Double>>> out = new HashMap<>();
        if (fields.isEmpty() || q.models().stream().noneMatch(AttributionModel::pathBased)) return out;
        ReportIndex index = indexes.current(ws);
        EngineResult r = ReportEngine.run(index, engineQuery(q, options, settings, q.eventNames(), false),
                indexes.fields(ws, index, fields));
        for (EngineResult.FieldCell c : r.fields()) {
            out.computeIfAbsent(c.group(), g -> new HashMap<>()).computeIfAbsent(c.model().wireName(), m -> new HashMap<>())
                    .put(fields.get(c.field()), c.average());
        }
        return out;
    }

    /** The engine's query for the report's path models, window and platform, over these event names. */
    private static EngineQuery engineQuery(ReportQuery q, ReportOptions options, AttributionSettings settings,
                                           List<String> eventNames, boolean daily) {
        List<AttributionModel> paths = q.models().stream().filter(AttributionModel::pathBased).toList();
        int window = options.windowDays() == null ? settings.lookbackDays() : options.windowDays();
        return new EngineQuery(q.from(), q.to(), eventNames, q.groupBy(), paths, window, settings.halfLifeDays(),
                options.platform(), daily);
    }

    /**
     * The path models' credits and the totals from the report engine, over the report's window; spend, the data-driven
     * run (computed over the workspace's window) and the lag from the store, whose credits and totals are skipped by
     * asking them for no event name.
     */
    private static ReportData fromEngine(AttributionStore store, ReportIndexes indexes, Workspace ws, ReportQuery q,
                                         ReportOptions options, AttributionSettings settings, String runKey) {
        EngineResult r = indexes.run(ws, engineQuery(q, options, settings, q.eventNames(), q.daily()));
        ReportData rest = store.report(new ReportQuery(q.workspaceId(), q.from(), q.to(), q.groupBy(), List.of(), List.of(),
                q.daily()), runKey);
        Map<String, Double> spend = rest.spend();
        Map<LocalDate, Map<String, Double>> dailySpend = rest.dailySpend();
        if (AdLines.applies(q.groupBy())) {
            List<AdSpend> rows = store.adSpend(q.workspaceId(), q.from(), q.to());
            spend = AdLines.spend(rows, q.groupBy(), false).getOrDefault(null, Map.of());
            dailySpend = q.daily() ? AdLines.spend(rows, q.groupBy(), true) : Map.of();
        }
        return new ReportData(r.credits(), r.totals(), spend, r.dailyCredits(), r.dailyTotals(), dailySpend,
                rest.modelRun(), rest.rangeVersion(), rest.eventsNotAttributed());
    }

    static Report build(Workspace ws, ReportQuery q, String window, String platform, ReportData data,
                        DataDrivenRuns.Run run, Map<String, Report.AdLine> lines) {
        String currency = ws.settings().currency();
        List<Report.Row> rows = ReportView.rows(q.models(), data.credits(), run == null ? null : run.credits(), currency,
                data.spend().isEmpty() ? null : data.spend());
        if (lines != null) rows = rows.stream().map(r -> new Report.Row(r.group(), r.models(), lines.get(r.group()))).toList();
        Report.DataDriven dd = run == null ? Report.DataDriven.NONE
                // stale: the stored run is older than the data of its range, these credits miss what changed since
                : new Report.DataDriven(run.computedAt(), run.stale(), run.recomputing());
        return new Report(ws.id(), q.from(), q.to(), q.groupBy().wireName(), currency,
                q.models().stream().map(AttributionModel::wireName).toList(), q.eventNames(), window, platform,
                ReportView.totals(data.totals(), currency), rows, q.daily() ? series(q, data, currency) : null, dd);
    }

    private static List<Report.Day> series(ReportQuery q, ReportData data, String currency) {
        List<AttributionModel> ruleBased = q.models().stream().filter(AttributionModel::pathBased).toList();
        Map<LocalDate, List<CreditCell>> cells = new HashMap<>();
        for (CreditCell c : data.dailyCredits()) cells.computeIfAbsent(c.day(), d -> new ArrayList<>()).add(c);
        Map<LocalDate, List<ConversionTotal>> totals = ReportView.byDay(data.dailyTotals());
        Map<LocalDate, Map<String, Double>> spend = data.dailySpend();
        List<Report.Day> out = new ArrayList<>();
        for (LocalDate d = q.from(); !d.isAfter(q.to()); d = d.plusDays(1)) {
            List<Report.Row> rows = ruleBased.isEmpty() ? List.of() : ReportView.rows(ruleBased, cells.getOrDefault(d, List.of()),
                    null, currency, spend.isEmpty() ? null : spend.getOrDefault(d, Map.of()));
            out.add(new Report.Day(d, ReportView.totals(totals.getOrDefault(d, List.of()), currency), rows));
        }
        return out;
    }
}
