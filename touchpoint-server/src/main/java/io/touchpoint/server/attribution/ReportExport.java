package io.touchpoint.server.attribution;

import io.touchpoint.core.attribution.report.ReportQuery;
import io.touchpoint.core.model.Workspace;
import io.touchpoint.core.store.AttributionStore;
import io.touchpoint.server.http.ApiException;

import java.time.LocalDate;
import java.util.List;
import java.util.Map;

/**
 * The attribution report of one day for a scheduled export: the same parameters as
 * {@code GET /api/v1/reports/attribution} (its range aside, which is the exported day), read and checked the same way.
 */
public final class ReportExport {
    /** The report's parameters a schedule may carry. */
    public static final List<String> PARAMS = List.of("group_by", "model", "event_name", "interval", "window", "platform",
            "events", "value_event", "average", "sort", "hide_empty");

    private ReportExport() {
    }

    /** Refuses (400, naming it) a parameter the report does not take or would refuse. */
    public static void check(Map<String, String> params, Workspace ws) {
        for (String name : params.keySet()) {
            if (!PARAMS.contains(name)) {
                throw ApiException.invalidParameter(name, "a scheduled report takes " + String.join(", ", PARAMS)
                        + " (its range is the exported day)");
            }
        }
        LocalDate day = LocalDate.of(2000, 1, 1);
        ReportOptions.of(params::get, AttributionRoutes.query(params::get, ws, day, day));
    }

    /** The report of {@code day}, as the API answers it. */
    public static Report read(AttributionStore store, DataDrivenRuns runs, Workspace ws, Map<String, String> params,
                              LocalDate day) {
        ReportQuery q = AttributionRoutes.query(params::get, ws, day, day);
        // a day's export reads the engine's index at most once: none is kept between days
        return Reports.read(store, runs, new ReportIndexes(store, 1), ws, q, ReportOptions.of(params::get, q), false).report();
    }

    /** The file name part that says which report: {@code attribution-<group_by>}. */
    public static String name(Map<String, String> params) {
        String g = params.get("group_by");
        return "attribution-" + (g == null || g.isBlank() ? "channel" : g.strip());
    }
}
