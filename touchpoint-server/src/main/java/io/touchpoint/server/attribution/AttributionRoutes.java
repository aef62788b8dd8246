package io.touchpoint.server.attribution;

import io.javalin.config.RoutesConfig;
import io.javalin.http.Context;
import io.touchpoint.core.admin.Workspaces;
import io.touchpoint.core.attribution.GroupBy;
import io.touchpoint.core.attribution.models.AttributionModel;
import io.touchpoint.core.attribution.report.ReportQuery;
import io.touchpoint.core.attribution.report.Receipt;
import io.touchpoint.core.ingest.EventNames;
import io.touchpoint.core.model.Workspace;
import io.touchpoint.core.store.AttributionStore;
import io.touchpoint.server.http.ApiException;
import io.touchpoint.server.http.Authenticator;
import io.touchpoint.server.http.HttpsPolicy;
import io.touchpoint.server.http.Responses;
import io.touchpoint.server.processing.StageRunner;
import io.touchpoint.server.identity.ProfileRoutes;

import java.time.LocalDate;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The attribution read API (SPEC §8): reports per grouping and model from stored credits, their CSV form, the
 * on-demand recomputation of the data-driven models, and the receipt of one conversion. Like every read API it
 * takes the administrator credential (naming the workspace with {@code ?workspace=}) or a workspace token with
 * the read scope.
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
                              java.util.function.BiFunction<String, String, List<Map<String, Object>>> deliveriesOf) {
        routes.get(REPORT, ctx -> {
            https.check(ctx);
            Workspace ws = workspaces.require(ProfileRoutes.workspaceFor(ctx, auth, workspaces));
            ReportQuery q = query(ctx, ws, runs.today(ws));
            Long lag = lag(store, processor); // before the report: what it counts is then surely not in it
            Map<String, Object> data = Reports.build(store, runs, ws, q, false);
            if ("csv".equals(ctx.queryParam("format"))) {
                ctx.header("Content-Disposition", "attachment; filename=\"attribution-" + q.groupBy().wireName() + "-"
                        + q.from() + "-" + q.to() + ".csv\"");
                ctx.contentType("text/csv; charset=utf-8").result(ReportCsv.write(data, q.daily()));
                return;
            }
            respond(ctx, data, lag);
        });
        routes.post(RECOMPUTE, ctx -> {
            https.check(ctx);
            Workspace ws = workspaces.require(ProfileRoutes.workspaceFor(ctx, auth, workspaces));
            ReportQuery q = query(ctx, ws, runs.today(ws));
            Long lag = lag(store, processor);
            respond(ctx, Reports.build(store, runs, ws, q, true), lag);
        });
        routes.get(RECEIPT, ctx -> {
            https.check(ctx);
            String ws = ProfileRoutes.workspaceFor(ctx, auth, workspaces);
            String eventId = ctx.pathParam("eventId");
            Long lag = lag(store, processor);
            Receipt r = store.receipt(ws, eventId).orElseThrow(() -> ApiException.notFound("no attributed conversion '"
                    + eventId + "' in this workspace (not a conversion, not processed yet, or erased)"));
            Map<String, Object> view = new LinkedHashMap<>(Receipts.view(r));
            view.put("deliveries", deliveriesOf.apply(ws, eventId));
            respond(ctx, view, lag);
        });
    }

    /**
     * Committed events not in reports yet, read afresh: not through identity resolution or attribution, set-aside ones
     * included (reports do not wait for delivery, so its lag is not counted here).
     */
    private static Long lag(AttributionStore store, StageRunner processor) {
        return processor == null ? null : store.eventsNotAttributed();
    }

    private static void respond(Context ctx, Map<String, Object> data, Long lag) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("data", data);
        Map<String, Object> processing = new LinkedHashMap<>();
        processing.put("lag_events", lag);
        body.put("processing", processing);
        body.put("request_id", Responses.requestId(ctx));
        Responses.json(ctx, 200, body);
    }

    /** The report's parameters; dates default to the last 30 days in the workspace's time zone. */
    static ReportQuery query(Context ctx, Workspace ws, LocalDate today) {
        LocalDate to = date(ctx, "to", today);
        LocalDate from = date(ctx, "from", to.minusDays(DataDrivenRuns.SCHEDULED_DAYS - 1));
        if (to.isBefore(from)) throw bad("to", "to must not be before from");
        if (from.plusDays(MAX_RANGE_DAYS).isBefore(to)) throw bad("from", "a report covers at most " + MAX_RANGE_DAYS + " days");
        String g = ctx.queryParam("group_by");
        GroupBy groupBy = g == null || g.isBlank() ? GroupBy.CHANNEL : GroupBy.fromWireName(g).orElseThrow(() ->
                bad("group_by", "group_by must be one of channel, source, medium, campaign, content, term, platform"));
        List<AttributionModel> models = new ArrayList<>();
        String m = ctx.queryParam("model");
        if (m == null || m.isBlank() || m.equals("all")) {
            models.addAll(List.of(AttributionModel.values()));
        } else {
            for (String name : m.split(",")) {
                AttributionModel model = AttributionModel.fromWireName(name.strip()).orElseThrow(() -> bad("model",
                        "unknown model '" + name.strip() + "'; use all or any of " + String.join(", ",
                                List.of(AttributionModel.values()).stream().map(AttributionModel::wireName).toList())));
                if (!models.contains(model)) models.add(model);
            }
        }
        List<String> events = null;
        String e = ctx.queryParam("event_name");
        if (e != null && !e.isBlank()) {
            events = new ArrayList<>();
            for (String name : e.split(",")) {
                if (!EventNames.isCanonical(name.strip())) throw bad("event_name", "'" + name.strip() + "' is not an event name");
                events.add(name.strip());
            }
        }
        String interval = ctx.queryParam("interval");
        if (interval != null && !interval.equals("total") && !interval.equals("day")) throw bad("interval", "interval must be total or day");
        String format = ctx.queryParam("format");
        if (format != null && !format.equals("json") && !format.equals("csv")) throw bad("format", "format must be json or csv");
        return new ReportQuery(ws.id(), from, to, groupBy, models, events, "day".equals(interval));
    }

    private static LocalDate date(Context ctx, String name, LocalDate fallback) {
        String v = ctx.queryParam(name);
        if (v == null || v.isBlank()) return fallback;
        try {
            return LocalDate.parse(v.strip());
        } catch (DateTimeParseException e) {
            throw bad(name, name + " must be a date as YYYY-MM-DD");
        }
    }

    private static ApiException bad(String param, String message) {
        return new ApiException(400, "invalid_request_error", "invalid_parameter", message, param, null, null);
    }
}
