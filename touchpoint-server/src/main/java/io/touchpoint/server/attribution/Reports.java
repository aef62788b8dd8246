package io.touchpoint.server.attribution;

import io.touchpoint.core.attribution.models.AttributionModel;
import io.touchpoint.core.attribution.report.ConversionTotal;
import io.touchpoint.core.attribution.report.CreditCell;
import io.touchpoint.core.attribution.report.ReportQuery;
import io.touchpoint.core.model.Workspace;
import io.touchpoint.core.store.AttributionStore;

import java.time.LocalDate;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Assembles an attribution report: rule-based credits from the stored rollup, data-driven credits from the stored
 * run for the same range, grouping and event names, totals from the stored conversions and, for platform and
 * campaign groupings, imported spend. The daily series carries the rule-based models only: the data-driven ones
 * credit a population of journeys over the whole range, not a day. {@code data_driven} says when the data-driven
 * credits were computed and whether they are stale (data of the range changed since; recomputing in the background).
 */
final class Reports {
    private Reports() {
    }

    static Map<String, Object> build(AttributionStore store, DataDrivenRuns runs, Workspace ws, ReportQuery q, boolean recompute) {
        String currency = ws.settings().currency();
        boolean dataDriven = q.models().stream().anyMatch(m -> !m.ruleBased());
        DataDrivenRuns.Run run = null;
        if (recompute) run = runs.recompute(ws.id(), q.from(), q.to(), q.groupBy(), q.eventNames());
        else if (dataDriven) run = runs.run(ws.id(), q.from(), q.to(), q.groupBy(), q.eventNames());

        ReportQuery total = new ReportQuery(q.workspaceId(), q.from(), q.to(), q.groupBy(), q.models(), q.eventNames(), false);
        Map<String, Double> spend = spendOrNull(store.spend(ws.id(), q.from(), q.to(), q.groupBy(), false).get(null));
        var table = ReportView.table(q.models(), store.credits(total), run == null ? null : run.credits(), currency, spend);

        Map<String, Object> data = new LinkedHashMap<>();
        data.put("workspace_id", ws.id());
        data.put("from", q.from().toString());
        data.put("to", q.to().toString());
        data.put("group_by", q.groupBy().wireName());
        data.put("currency", currency);
        data.put("models", q.models().stream().map(AttributionModel::wireName).toList());
        data.put("event_names", q.eventNames());
        data.put("totals", ReportView.totals(store.totals(total), currency));
        data.put("rows", ReportView.rows(table));
        if (q.daily()) data.put("series", series(store, ws, q, currency));
        Map<String, Object> dd = new LinkedHashMap<>();
        dd.put("computed_at", run == null ? null : run.computedAt().toString());
        // the stored run is older than the data of its range: these credits miss what changed since computed_at
        dd.put("stale", run != null && run.stale());
        dd.put("recomputing", run != null && run.recomputing());
        data.put("data_driven", dd);
        return data;
    }

    private static Map<String, Double> spendOrNull(Map<String, Double> spend) {
        return spend == null || spend.isEmpty() ? null : spend;
    }

    private static List<Map<String, Object>> series(AttributionStore store, Workspace ws, ReportQuery q, String currency) {
        List<AttributionModel> ruleBased = q.models().stream().filter(AttributionModel::ruleBased).toList();
        Map<LocalDate, List<CreditCell>> cells = new HashMap<>();
        for (CreditCell c : store.credits(q)) cells.computeIfAbsent(c.day(), d -> new ArrayList<>()).add(c);
        Map<LocalDate, List<ConversionTotal>> totals = ReportView.byDay(store.totals(q));
        Map<LocalDate, Map<String, Double>> spend = store.spend(ws.id(), q.from(), q.to(), q.groupBy(), true);
        boolean anySpend = !spend.isEmpty();
        List<Map<String, Object>> out = new ArrayList<>();
        for (LocalDate d = q.from(); !d.isAfter(q.to()); d = d.plusDays(1)) {
            Map<String, Object> day = new LinkedHashMap<>();
            day.put("date", d.toString());
            day.put("totals", ReportView.totals(totals.getOrDefault(d, List.of()), currency));
            day.put("rows", ruleBased.isEmpty() ? List.of() : ReportView.rows(ReportView.table(ruleBased,
                    cells.getOrDefault(d, List.of()), null, currency, anySpend ? spend.getOrDefault(d, Map.of()) : null)));
            out.add(day);
        }
        return out;
    }
}
