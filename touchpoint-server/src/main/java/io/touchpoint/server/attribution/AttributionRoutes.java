package io.touchpoint.server.attribution;

import com.fasterxml.jackson.annotation.JsonProperty;
import io.javalin.config.RoutesConfig;
import io.javalin.http.Context;
import io.touchpoint.core.admin.Workspaces;
import io.touchpoint.core.attribution.GroupBy;
import io.touchpoint.core.attribution.models.AttributionModel;
import io.touchpoint.core.attribution.report.Receipt;
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
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The attribution read API (docs/ATTRIBUTION.md): reports per grouping and model from stored credits, their CSV
 * form, the on-demand recomputation of the data-driven models, and the receipt of one conversion. Like every read
 * API it takes the administrator credential (naming the workspace with {@code ?workspace=}) or a workspace token
 * with the read scope.
 */
public final class AttributionRoutes {
    public static final String REPORT = "/api/v1/reports/attribution";
    public static final String RECOMPUTE = "/api/v1/reports/attribution/recompute";
    public static final String RECEIPT = "/api/v1/conversions/{eventId}/attribution";
    static final int MAX_RANGE_DAYS = 366;

    private AttributionRoutes() {
    }

    public static void routes(RoutesConfig routes, AttributionStore store, DataDrivenRuns runs, Authenticator auth,
                              HttpsPolicy https, Workspaces workspaces, StageRunner processor,
                              java.util.function.BiFunction<String, String, List<Map<String, Object>>> deliveriesOf,
                              ReportSnapshots snapshots) {
        ReportIndexes indexes = new ReportIndexes(store, ReportIndexes.DEFAULT_CAPACITY, snapshots);
        indexes.prepare(workspaces::list, ws -> ReportWarmUp.warm(store, runs, indexes, ws));
        routes.get(REPORT, ctx -> {
            https.check(ctx);
            Workspace ws = workspaces.require(ReadAccess.workspace(ctx, auth, workspaces));
            ReportQuery q = query(ctx, ws, runs.today(ws));
            ReportOptions options = ReportOptions.of(ctx, q);
            Reports.Answer answer = indexes.answering(() -> Reports.read(store, runs, indexes, ws, q, options, false));
            if ("csv".equals(ctx.queryParam("format"))) {
                CsvResponse.send(ctx, "attribution-" + q.groupBy().wireName() + "-" + q.from() + "-" + q.to() + ".csv",
                        ReportCsv.header(answer.report()), csv -> ReportCsv.rows(answer.report(), csv));
                return;
            }
            respond(ctx, answer.report(), processor == null ? null : answer.lagEvents());
        });
        routes.post(RECOMPUTE, ctx -> {
            https.check(ctx);
            Workspace ws = workspaces.require(ReadAccess.workspaceToChange(ctx, auth, workspaces));
            ReportQuery q = query(ctx, ws, runs.today(ws));
            ReportOptions options = ReportOptions.of(ctx, q);
            Reports.Answer answer = indexes.answering(() -> Reports.read(store, runs, indexes, ws, q, options, true));
            respond(ctx, answer.report(), processor == null ? null : answer.lagEvents());
        });
        routes.get(RECEIPT, ctx -> {
            https.check(ctx);
            String ws = ReadAccess.workspace(ctx, auth, workspaces);
            String eventId = ctx.pathParam("eventId");
            Long lag = lag(store, processor); // before the receipt: what it counts is then surely not in it
            Receipt r = store.receipt(ws, eventId).orElseThrow(() -> ApiException.notFound("no attributed conversion '"
                    + eventId + "' in this workspace (not a conversion, not processed yet, or erased)"));
            respond(ctx, Receipts.view(r, deliveriesOf.apply(ws, eventId)), lag);
        });
    }

    /**
     * Committed events not in reports yet, read afresh: not through identity resolution or attribution, set-aside ones
     * included (reports do not wait for delivery, so its lag is not counted here). Null without a processor.
     */
    private static Long lag(AttributionStore store, StageRunner processor) {
        return processor == null ? null : store.eventsNotAttributed();
    }

    /** What every attribution read answers: the data, how much is not in it yet, and the request's id. */
    record Body(Object data, Processing processing, @JsonProperty("request_id") String requestId) {
    }

    record Processing(@JsonProperty("lag_events") Long lagEvents) {
    }

    private static void respond(Context ctx, Object data, Long lag) {
        Responses.json(ctx, 200, new Body(data, new Processing(lag), Responses.requestId(ctx)));
    }

    /** The report's parameters; dates default to the last 30 days in the workspace's time zone. */
    static ReportQuery query(Context ctx, Workspace ws, LocalDate today) {
        LocalDate to = QueryParams.date(ctx, "to", today);
        LocalDate from = QueryParams.date(ctx, "from", to.minusDays(DataDrivenRuns.SCHEDULED_DAYS - 1));
        if (to.isBefore(from)) throw ApiException.invalidParameter("to", "to must not be before from");
        if (from.plusDays(MAX_RANGE_DAYS).isBefore(to)) throw ApiException.invalidParameter("from", "a report covers at most " + MAX_RANGE_DAYS + " days");
        return query(ctx::queryParam, ws, from, to);
    }

    /** The report's shape (grouping, models, events, interval) from its parameters, for a range already checked. */
    static ReportQuery query(java.util.function.UnaryOperator<String> param, Workspace ws, LocalDate from, LocalDate to) {
        String g = param.apply("group_by");
        GroupBy groupBy = g == null || g.isBlank() ? GroupBy.CHANNEL : GroupBy.fromWireName(g).orElseThrow(() ->
                ApiException.invalidParameter("group_by", "group_by must be one of channel, source, medium, campaign, content, term, platform, ad_set, ad"));
        List<AttributionModel> models = new ArrayList<>();
        String m = param.apply("model");
        if (m == null || m.isBlank() || m.equals("all")) {
            models.addAll(AttributionModel.ALL);
        } else {
            for (String name : m.split(",")) {
                AttributionModel model = AttributionModel.fromWireName(name.strip()).orElseThrow(() -> ApiException.invalidParameter("model",
                        "unknown model '" + name.strip() + "'; use all or any of " + String.join(", ",
                                List.of(AttributionModel.values()).stream().map(AttributionModel::wireName).toList())));
                if (!models.contains(model)) models.add(model);
            }
        }
        List<String> events = QueryParams.eventNames(param.apply("event_name"));
        String interval = param.apply("interval");
        if (interval != null && !interval.equals("total") && !interval.equals("day")) throw ApiException.invalidParameter("interval", "interval must be total or day");
        String format = param.apply("format");
        if (format != null && !format.equals("json") && !format.equals("csv")) throw ApiException.invalidParameter("format", "format must be json or csv");
        return new ReportQuery(ws.id(), from, to, groupBy, models, events, "day".equals(interval));
    }
}
