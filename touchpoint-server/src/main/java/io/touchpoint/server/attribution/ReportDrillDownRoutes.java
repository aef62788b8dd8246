package io.touchpoint.server.attribution;

import com.fasterxml.jackson.annotation.JsonProperty;
import io.javalin.config.RoutesConfig;
import io.touchpoint.core.admin.Workspaces;
import io.touchpoint.core.attribution.GroupBy;
import io.touchpoint.core.attribution.models.AttributionModel;
import io.touchpoint.core.attribution.report.CreditedConversion;
import io.touchpoint.core.attribution.report.CreditedConversionQuery;
import io.touchpoint.core.model.Workspace;
import io.touchpoint.core.store.AttributionStore;
import io.touchpoint.core.store.Page;
import io.touchpoint.server.http.ApiException;
import io.touchpoint.server.http.Authenticator;
import io.touchpoint.server.http.HttpsPolicy;
import io.touchpoint.server.http.QueryParams;
import io.touchpoint.server.http.ReadAccess;
import io.touchpoint.server.http.Responses;

import java.time.Instant;
import java.time.LocalDate;
import java.util.Arrays;
import java.util.List;

/**
 * The drill-down of an attribution report (docs/ATTRIBUTION.md): the conversions behind one row, that is one group
 * under one rule-based model, each with the share of it the model credits to the group. Read access as the report's:
 * a read token, the administrator, or any role in the workspace.
 */
public final class ReportDrillDownRoutes {
    public static final String CONVERSIONS = "/api/v1/reports/attribution/conversions";
    static final int DEFAULT_LIMIT = 50;
    static final int MAX_LIMIT = 200;
    private static final List<String> PARAMS = List.of("workspace", "from", "to", "group_by", "group", "model",
            "event_name", "limit", "cursor");

    private ReportDrillDownRoutes() {
    }

    public static void routes(RoutesConfig routes, AttributionStore store, DataDrivenRuns runs, Authenticator auth,
                              HttpsPolicy https, Workspaces workspaces) {
        routes.get(CONVERSIONS, ctx -> {
            https.check(ctx);
            Workspace ws = workspaces.require(ReadAccess.workspace(ctx, auth, workspaces));
            QueryParams.known(ctx, PARAMS, "this list takes " + String.join(", ", PARAMS));
            Page<CreditedConversion> page = store.creditedConversions(query(ctx, ws.id(), runs.today(ws)));
            Responses.json(ctx, 200, new Body(page.items().stream().map(ReportDrillDownRoutes::view).toList(),
                    page.nextCursor(), Responses.requestId(ctx)));
        });
    }

    record Body(List<Conversion> data, @JsonProperty("next_cursor") String nextCursor,
                @JsonProperty("request_id") String requestId) {
    }

    /** One conversion of the row; {@code credited_value} is its value times the credit share (null without a value). */
    record Conversion(@JsonProperty("event_id") String eventId, @JsonProperty("event_name") String eventName, Instant time,
                      Double value, String currency, @JsonProperty("profile_id") String profileId, double credit,
                      @JsonProperty("credited_value") Double creditedValue) {
    }

    private static Conversion view(CreditedConversion c) {
        double credit = ReportView.round(c.credit());
        return new Conversion(c.eventId(), c.eventName(), c.convertedAt(), c.value(), c.currency(), c.profileId(), credit,
                c.value() == null ? null : ReportView.round(c.value() * c.credit()));
    }

    private static CreditedConversionQuery query(io.javalin.http.Context ctx, String workspaceId, LocalDate today) {
        LocalDate to = QueryParams.date(ctx, "to", today);
        LocalDate from = QueryParams.date(ctx, "from", to.minusDays(DataDrivenRuns.SCHEDULED_DAYS - 1));
        if (to.isBefore(from)) throw ApiException.invalidParameter("to", "to must not be before from");
        String g = ctx.queryParam("group_by");
        GroupBy groupBy = g == null || g.isBlank() ? GroupBy.CHANNEL : GroupBy.fromWireName(g).orElseThrow(() ->
                ApiException.invalidParameter("group_by", "group_by must be one of " + String.join(", ",
                        Arrays.stream(GroupBy.values()).map(GroupBy::wireName).toList())));
        String group = ctx.queryParam("group");
        if (group == null || group.isEmpty()) {
            throw ApiException.invalidParameter("group", "group names the report row, as the report names it (e.g. Paid Search)");
        }
        String m = ctx.queryParam("model");
        AttributionModel model = m == null || m.isBlank() ? AttributionModel.LAST_NON_DIRECT
                : AttributionModel.fromWireName(m.strip()).filter(AttributionModel::ruleBased).orElseThrow(() ->
                ApiException.invalidParameter("model", "model must be one of " + String.join(", ",
                        AttributionModel.RULE_BASED.stream().map(AttributionModel::wireName).toList())
                        + " (the data-driven models credit groups, not single conversions)"));
        List<String> events = QueryParams.eventNames(ctx);
        String c = ctx.queryParam("cursor");
        CreditedConversionQuery.Cursor cursor = c == null || c.isBlank() ? null : CreditedConversionQuery.Cursor.parse(c);
        if (c != null && !c.isBlank() && cursor == null) {
            throw ApiException.invalidParameter("cursor", "cursor must be a next_cursor value from a previous page");
        }
        return new CreditedConversionQuery(workspaceId, from, to, groupBy, group, model, events,
                QueryParams.limit(ctx, DEFAULT_LIMIT, MAX_LIMIT), cursor);
    }
}
