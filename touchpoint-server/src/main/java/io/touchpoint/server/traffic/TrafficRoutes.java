package io.touchpoint.server.traffic;

import com.fasterxml.jackson.annotation.JsonProperty;
import io.javalin.config.RoutesConfig;
import io.touchpoint.core.admin.Workspaces;
import io.touchpoint.core.model.Workspace;
import io.touchpoint.core.store.TrafficStore;
import io.touchpoint.core.traffic.TrafficReport;
import io.touchpoint.server.http.ApiException;
import io.touchpoint.server.http.Authenticator;
import io.touchpoint.server.http.CsvResponse;
import io.touchpoint.server.http.HttpsPolicy;
import io.touchpoint.server.http.QueryParams;
import io.touchpoint.server.http.ReadAccess;
import io.touchpoint.server.http.Responses;

import java.time.Clock;
import java.time.LocalDate;
import java.time.ZoneId;
import java.util.List;

/**
 * The traffic overview (docs/TRAFFIC.md): visitors, visits, page views and bounces per day, top landing pages and top
 * sources of a range, read from the rollup the traffic stage keeps. Read access as every report; {@code format=csv}
 * answers the same figures as one CSV ({@link TrafficCsv}).
 */
public final class TrafficRoutes {
    public static final String TRAFFIC = "/api/v1/reports/traffic";
    static final int DEFAULT_DAYS = 30;
    static final int MAX_RANGE_DAYS = 366;
    static final int DEFAULT_LIMIT = 10;
    static final int MAX_LIMIT = 100;
    private static final List<String> PARAMETERS = List.of("workspace", "from", "to", "limit", "format");

    private TrafficRoutes() {
    }

    public static void routes(RoutesConfig routes, TrafficStore store, Authenticator auth, HttpsPolicy https,
                              Workspaces workspaces, Clock clock) {
        TrafficWarmUp.start(store, workspaces::list, clock);
        routes.get(TRAFFIC, ctx -> {
            https.check(ctx);
            Workspace ws = workspaces.require(ReadAccess.workspace(ctx, auth, workspaces));
            QueryParams.known(ctx, PARAMETERS, "the traffic report takes " + String.join(", ", PARAMETERS));
            String format = ctx.queryParam("format");
            if (format != null && !format.equals("json") && !format.equals("csv")) {
                throw ApiException.invalidParameter("format", "format must be json or csv");
            }
            LocalDate to = QueryParams.date(ctx, "to", today(ws, clock));
            LocalDate from = QueryParams.date(ctx, "from", to.minusDays(DEFAULT_DAYS - 1));
            if (to.isBefore(from)) throw ApiException.invalidParameter("to", "to must not be before from");
            if (from.plusDays(MAX_RANGE_DAYS).isBefore(to)) {
                throw ApiException.invalidParameter("from", "a report covers at most " + MAX_RANGE_DAYS + " days");
            }
            int limit = QueryParams.limit(ctx, DEFAULT_LIMIT, MAX_LIMIT);
            long lag = store.eventsNotCounted(); // before the report: what it counts is surely not in it
            TrafficReport report = store.report(ws.id(), from, to, limit);
            if ("csv".equals(format)) {
                CsvResponse.send(ctx, "traffic-" + from + "-" + to + ".csv", TrafficCsv.HEADER, csv -> TrafficCsv.rows(report, csv));
                return;
            }
            Responses.json(ctx, 200, new Body(TrafficView.of(report), new Processing(lag), Responses.requestId(ctx)));
        });
    }

    /** The workspace's day now, in its time zone: where a report's default range ends. */
    static LocalDate today(Workspace ws, Clock clock) {
        return LocalDate.ofInstant(clock.instant(), ZoneId.of(ws.settings().timeZone()));
    }

    record Body(TrafficView data, Processing processing, @JsonProperty("request_id") String requestId) {
    }

    record Processing(@JsonProperty("lag_events") long lagEvents) {
    }
}
