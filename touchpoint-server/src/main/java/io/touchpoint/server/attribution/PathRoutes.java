package io.touchpoint.server.attribution;

import com.fasterxml.jackson.annotation.JsonProperty;
import io.javalin.config.RoutesConfig;
import io.javalin.http.Context;
import io.touchpoint.core.admin.Workspaces;
import io.touchpoint.core.attribution.GroupBy;
import io.touchpoint.core.attribution.report.ReportQuery;
import io.touchpoint.core.model.Workspace;
import io.touchpoint.core.store.AttributionStore;
import io.touchpoint.server.http.ApiException;
import io.touchpoint.server.http.Authenticator;
import io.touchpoint.server.http.CsvResponse;
import io.touchpoint.server.http.HttpsPolicy;
import io.touchpoint.server.http.QueryParams;
import io.touchpoint.server.http.ReadAccess;
import io.touchpoint.server.http.Responses;
import io.touchpoint.server.processing.StageRunner;

import java.time.LocalDate;
import java.util.List;

/**
 * The conversion paths report (docs/ATTRIBUTION.md#conversion-paths): the most common sequences of a grouping's values
 * that conversions of a range took, read from the run {@link PathRuns} stores, as JSON or ({@code format=csv}) CSV.
 * Read access as every report.
 */
public final class PathRoutes {
    public static final String PATHS = "/api/v1/reports/paths";
    static final int DEFAULT_LIMIT = 20;
    static final int MAX_RANGE_DAYS = 366;
    private static final List<String> PARAMETERS = List.of("workspace", "from", "to", "group_by", "event_name", "limit", "format");

    private PathRoutes() {
    }

    public static void routes(RoutesConfig routes, AttributionStore store, PathRuns paths, DataDrivenRuns runs,
                              Authenticator auth, HttpsPolicy https, Workspaces workspaces, StageRunner processor) {
        routes.get(PATHS, ctx -> {
            https.check(ctx);
            Workspace ws = workspaces.require(ReadAccess.workspace(ctx, auth, workspaces));
            QueryParams.known(ctx, PARAMETERS, "the paths report takes " + String.join(", ", PARAMETERS));
            ReportQuery q = query(ctx, ws, runs.today(ws));
            int limit = QueryParams.limit(ctx, DEFAULT_LIMIT, PathRuns.STORED_PATHS);
            String format = ctx.queryParam("format");
            if (format != null && !format.equals("json") && !format.equals("csv")) {
                throw ApiException.invalidParameter("format", "format must be json or csv");
            }
            Long lag = processor == null ? null : store.eventsNotAttributed(); // before the run: what it counts is surely not in it
            PathRuns.Run run = paths.read(ws, q);
            PathsReport report = new PathsReport(ws.id(), q.from(), q.to(), q.groupBy().wireName(), ws.settings().currency(),
                    q.eventNames(), true, run.result() == null ? 0 : run.result().conversions(),
                    run.result() == null ? 0 : run.result().distinctPaths(),
                    run.result() == null ? List.of() : run.result().paths().stream().limit(limit).map(PathsReport.Row::of).toList(),
                    new PathsReport.Computed(run.computedAt(), run.stale(), run.recomputing()));
            if ("csv".equals(format)) {
                CsvResponse.send(ctx, "paths-" + q.groupBy().wireName() + "-" + q.from() + "-" + q.to() + ".csv",
                        PathsCsv.HEADER, csv -> PathsCsv.rows(report, csv));
                return;
            }
            Responses.json(ctx, 200, new Body(report, new Processing(lag), Responses.requestId(ctx)));
        });
    }

    record Body(PathsReport data, Processing processing, @JsonProperty("request_id") String requestId) {
    }

    record Processing(@JsonProperty("lag_events") Long lagEvents) {
    }

    /** The range (the last 30 days by default, at most a year), grouping and event names. */
    private static ReportQuery query(Context ctx, Workspace ws, LocalDate today) {
        LocalDate to = QueryParams.date(ctx, "to", today);
        LocalDate from = QueryParams.date(ctx, "from", to.minusDays(DataDrivenRuns.SCHEDULED_DAYS - 1));
        if (to.isBefore(from)) throw ApiException.invalidParameter("to", "to must not be before from");
        if (from.plusDays(MAX_RANGE_DAYS).isBefore(to)) {
            throw ApiException.invalidParameter("from", "a report covers at most " + MAX_RANGE_DAYS + " days");
        }
        String g = ctx.queryParam("group_by");
        GroupBy groupBy = g == null || g.isBlank() ? GroupBy.CHANNEL : GroupBy.fromWireName(g).filter(PathRuns.GROUPINGS::contains)
                .orElseThrow(() -> ApiException.invalidParameter("group_by", "group_by must be one of "
                        + String.join(", ", PathRuns.GROUPINGS.stream().map(GroupBy::wireName).toList())));
        List<String> events = QueryParams.eventNames(ctx);
        return new ReportQuery(ws.id(), from, to, groupBy, List.of(), events, false);
    }
}
