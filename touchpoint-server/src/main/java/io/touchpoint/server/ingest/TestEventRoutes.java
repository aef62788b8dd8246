package io.touchpoint.server.ingest;

import io.javalin.config.RoutesConfig;
import io.javalin.http.Context;
import io.touchpoint.core.admin.Workspaces;
import io.touchpoint.core.auth.Secrets;
import io.touchpoint.core.ingest.CometlyMapper;
import io.touchpoint.core.model.EventNames;
import io.touchpoint.core.model.Source;
import io.touchpoint.core.model.Workspace;
import io.touchpoint.server.http.AdminAccess;
import io.touchpoint.server.http.Authenticator;
import io.touchpoint.server.http.HttpsPolicy;
import io.touchpoint.server.http.Json;
import io.touchpoint.server.http.Responses;
import io.touchpoint.server.ingest.IngestRoute.Body;
import io.touchpoint.server.ingest.IngestRoute.Caller;
import io.touchpoint.server.ingest.IngestRoute.ContentType;
import io.touchpoint.server.ingest.IngestRoute.Events;
import io.touchpoint.server.ingest.IngestRoute.Payload;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The setup page's "send a test event": one real Cometly-dialect event named {@value EventNames#TEST_EVENT},
 * through the same mapper rules, rate limit, writer, durable commit and events-log entry as any ingest
 * request. Its name keeps it out of conversions and attribution (see {@code AttributionSettings}), and it is
 * marked {@code do_not_capi} so no destination ever receives it. The body may name the visitor it is for.
 */
public final class TestEventRoutes {
    public static final String TEST_EVENTS = "/admin/v1/workspaces/{workspace}/test-events";
    /** What the caller may set; everything else about a test event is fixed. */
    static final Set<String> ALLOWED = Set.of("email", "comet_token", "url", "user_agent");
    private static final Events EVENTS = new Events.Single(CometlyMapper.forTestEvents(), TestEventRoutes::payload);
    private static final Body BODY = new Body(8 * 1024, ContentType.JSON_OR_NONE);

    private TestEventRoutes() {
    }

    public static void routes(RoutesConfig routes, IngestPipeline pipeline, Workspaces workspaces, Authenticator auth,
                              HttpsPolicy https) {
        // authenticated before the ingest steps, so a refused admin call is not an ingest request in the log
        routes.post(TEST_EVENTS, ctx -> {
            Workspace w = AdminAccess.workspace(ctx, https, auth, workspaces);
            pipeline.run(ctx, TEST_EVENTS, new IngestRoute(Source.COMETLY, new Caller.Chosen(w), BODY, EVENTS,
                    TestEventRoutes::reply));
        });
    }

    /** The fixed test event with what the caller may set; the fields it may not set are named in warnings. */
    private static Payload payload(Context ctx, Map<String, Object> given, String text) {
        Map<String, Object> payload = new LinkedHashMap<>();
        payload.put("event_name", EventNames.TEST_EVENT);
        payload.put("comet_token", "tpv.test." + Secrets.random(16));
        payload.put("url", "touchpoint:test-event");
        String ua = ctx.userAgent();
        if (ua != null) payload.put("user_agent", ua);
        List<String> warnings = new ArrayList<>();
        for (var e : given.entrySet()) {
            if (ALLOWED.contains(e.getKey())) payload.put(e.getKey(), e.getValue());
            else warnings.add("field '" + e.getKey() + "' ignored: a test event takes only " + String.join(", ",
                    ALLOWED.stream().sorted().toList()));
        }
        payload.put("do_not_capi", true);
        return new Payload(payload, Json.text(payload), warnings);
    }

    private static void reply(Context ctx, IngestRoute.Accepted a) {
        Map<String, Object> body = IngestPipeline.accepted(ctx, a.result(), a.warnings());
        body.put("message", "test event accepted: it is in the events log under this request id");
        body.put("event_id", body.get("id"));
        body.put("event_name", EventNames.TEST_EVENT);
        body.put("workspace_id", a.workspace().id());
        body.put("request_id", body.remove("request_id")); // last, as in every answer
        Responses.json(ctx, 202, body);
    }
}
