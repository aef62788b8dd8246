package io.touchpoint.server.pixel;

import io.javalin.config.RoutesConfig;
import io.javalin.http.Context;
import io.touchpoint.core.admin.Workspaces;
import io.touchpoint.core.normalize.BrowserFamily;
import io.touchpoint.core.recognition.PageViewSample;
import io.touchpoint.core.recognition.Recognition;
import io.touchpoint.core.store.EventStore;
import io.touchpoint.server.http.ApiException;
import io.touchpoint.server.http.Authenticator;
import io.touchpoint.server.http.HttpsPolicy;
import io.touchpoint.server.http.ReadAccess;
import io.touchpoint.server.http.Responses;
import io.touchpoint.server.processing.StageRunner;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * {@code GET /api/v1/recognition}: how well the workspace's visitors are recognised ({@link Recognition}) over its
 * newest {@value #SAMPLE_LIMIT} pixel page views of the last {@code days} (7 by default, at most
 * {@value #MAX_DAYS}): the share from returning tokens and the share whose token came from the server-set cookie,
 * overall and per browser family. A read API: a workspace token with the read scope, or the administrator credential
 * naming the workspace with {@code ?workspace=}.
 */
public final class RecognitionRoutes {
    public static final String RECOGNITION = "/api/v1/recognition";
    static final int SAMPLE_LIMIT = 20_000;
    static final int DEFAULT_DAYS = 7;
    static final int MAX_DAYS = 90;

    private RecognitionRoutes() {
    }

    public static void routes(RoutesConfig routes, EventStore events, Authenticator auth, HttpsPolicy https,
                              Workspaces workspaces, StageRunner processor, Clock clock, boolean serverCookie) {
        routes.get(RECOGNITION, ctx -> {
            https.check(ctx);
            String ws = ReadAccess.workspace(ctx, auth, workspaces);
            int days = days(ctx);
            Instant to = clock.instant();
            Instant from = to.minus(Duration.ofDays(days));
            List<PageViewSample> read = events.pixelPageViews(ws, from, to, SAMPLE_LIMIT + 1);
            boolean sampled = read.size() > SAMPLE_LIMIT;
            Recognition.Report report = Recognition.of(sampled ? read.subList(0, SAMPLE_LIMIT) : read);
            Map<String, Object> data = new LinkedHashMap<>();
            data.put("workspace_id", ws);
            data.put("from", from.toString());
            data.put("to", to.toString());
            data.put("days", days);
            data.put("sample_limit", SAMPLE_LIMIT);
            data.put("sampled", sampled);
            data.put("returning_after_minutes", Recognition.RETURNING_AFTER.toMinutes());
            Map<String, Object> cookie = new LinkedHashMap<>();
            cookie.put("name", VisitorCookie.NAME);
            cookie.put("enabled", serverCookie);
            cookie.put("max_age_seconds", VisitorCookie.MAX_AGE.toSeconds());
            data.put("server_cookie", cookie);
            data.put("total", report.total().view());
            List<Map<String, Object>> browsers = new ArrayList<>();
            for (Map.Entry<BrowserFamily, Recognition.Counts> e : report.byPageViews()) {
                Map<String, Object> b = new LinkedHashMap<>();
                b.put("family", e.getKey().wireName());
                b.put("label", e.getKey().label());
                b.putAll(e.getValue().view());
                browsers.add(b);
            }
            data.put("browsers", browsers);
            Map<String, Object> body = new LinkedHashMap<>();
            body.put("data", data);
            Map<String, Object> processing = new LinkedHashMap<>();
            processing.put("lag_events", processor == null ? null : processor.lag());
            body.put("processing", processing);
            body.put("request_id", Responses.requestId(ctx));
            Responses.json(ctx, 200, body);
        });
    }

    private static int days(Context ctx) {
        String v = ctx.queryParam("days");
        if (v == null || v.isBlank()) return DEFAULT_DAYS;
        try {
            int d = Integer.parseInt(v.strip());
            if (d >= 1 && d <= MAX_DAYS) return d;
        } catch (NumberFormatException e) {
            // answered below
        }
        throw ApiException.invalidParameter("days", "days must be a whole number from 1 to " + MAX_DAYS);
    }
}
