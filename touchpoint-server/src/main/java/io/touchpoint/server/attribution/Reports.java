package io.touchpoint.server.attribution;

import io.touchpoint.core.attribution.models.AttributionModel;
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
 * from the stored rollup, data-driven credits from the stored run for the same range, grouping and event names,
 * totals from the stored conversions and, for platform and campaign groupings, imported spend. The daily series
 * carries the rule-based models only: the data-driven ones credit a population of journeys over the whole range, not
 * a day. {@code data_driven} says when the data-driven credits were computed and whether they are stale (data of the
 * range changed since; recomputing in the background). A request never computes a run: the background worker of
 * {@link DataDrivenRuns} does, and the request waits for it a while.
 */
final class Reports {
    private Reports() {
    }

    /** A report and the processing lag read with it: the events the lag counts are exactly those not in the report. */
    record Answer(Report report, long lagEvents) {
    }

    /** The report; with {@code recomputeNow}, after the worker recomputed its data-driven run (or the wait ran out). */
    static Answer read(AttributionStore store, DataDrivenRuns runs, Workspace ws, ReportQuery q, boolean recomputeNow) {
        boolean dataDriven = recomputeNow || q.models().stream().anyMatch(m -> !m.ruleBased());
        String runKey = dataDriven ? DataDrivenRuns.key(ws, q) : null;
        if (recomputeNow) runs.recomputeNow(q);
        ReportData data = store.report(q, runKey);
        // a range asked for the first time: the worker computes its run, and the report is read again once it is stored
        if (dataDriven && data.modelRun().isEmpty() && runs.computeAndWait(q)) data = store.report(q, runKey);
        DataDrivenRuns.Run run = dataDriven ? runs.status(q, data.modelRun(), data.rangeVersion()) : null;
        return new Answer(build(ws, q, data, run), data.eventsNotAttributed());
    }

    static Report build(Workspace ws, ReportQuery q, ReportData data, DataDrivenRuns.Run run) {
        String currency = ws.settings().currency();
        List<Report.Row> rows = ReportView.rows(q.models(), data.credits(), run == null ? null : run.credits(), currency,
                data.spend().isEmpty() ? null : data.spend());
        Report.DataDriven dd = run == null ? Report.DataDriven.NONE
                // stale: the stored run is older than the data of its range, these credits miss what changed since
                : new Report.DataDriven(run.computedAt(), run.stale(), run.recomputing());
        return new Report(ws.id(), q.from(), q.to(), q.groupBy().wireName(), currency,
                q.models().stream().map(AttributionModel::wireName).toList(), q.eventNames(),
                ReportView.totals(data.totals(), currency), rows, q.daily() ? series(q, data, currency) : null, dd);
    }

    private static List<Report.Day> series(ReportQuery q, ReportData data, String currency) {
        List<AttributionModel> ruleBased = q.models().stream().filter(AttributionModel::ruleBased).toList();
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
