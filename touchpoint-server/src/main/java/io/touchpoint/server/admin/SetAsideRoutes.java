package io.touchpoint.server.admin;

import io.javalin.config.RoutesConfig;
import io.javalin.http.Context;
import io.touchpoint.core.admin.NotFoundException;
import io.touchpoint.core.admin.Workspaces;
import io.touchpoint.core.store.SetAsideStore;
import io.touchpoint.core.store.SetAsideStore.SetAsideEvent;
import io.touchpoint.server.http.AdminAccess;
import io.touchpoint.server.http.ApiException;
import io.touchpoint.server.http.Authenticator;
import io.touchpoint.server.http.HttpsPolicy;
import io.touchpoint.server.http.Lookups;
import io.touchpoint.server.http.Responses;
import io.touchpoint.server.processing.SetAsideRetry;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The events the processor's stages set aside (README, Operations): listed, and retried one by one, with the
 * administrator token.
 */
public final class SetAsideRoutes {
    public static final String LIST = "/admin/v1/set-aside";
    public static final String RETRY = "/admin/v1/set-aside/{eventId}/retry";
    static final int MAX_LIMIT = 500;

    private SetAsideRoutes() {
    }

    public static void routes(RoutesConfig routes, SetAsideStore setAside, SetAsideRetry retry, Workspaces workspaces,
                              Authenticator auth, HttpsPolicy https) {
        routes.get(LIST, ctx -> {
            String ws = AdminAccess.namedWorkspaceOrAll(ctx, https, auth, workspaces);
            List<Map<String, Object>> items = setAside.list(ws, limit(ctx.queryParam("limit")))
                    .stream().map(SetAsideRoutes::view).toList();
            Map<String, Object> body = new LinkedHashMap<>();
            body.put("data", items);
            body.put("request_id", Responses.requestId(ctx));
            Responses.json(ctx, 200, body);
        });
        routes.post(RETRY, ctx -> {
            String eventId = ctx.pathParam("eventId");
            String ws = AdminAccess.workspaceOf(ctx, https, auth, () -> setAside.of(null, eventId).stream().findFirst()
                    .orElseThrow(() -> new NotFoundException("no stage has event '" + eventId + "' set aside")).workspaceId());
            SetAsideRetry.Result r = retry.retry(ws, eventId).orElseThrow(() ->
                    ApiException.notFound("no stage has event '" + eventId + "' set aside"));
            if (!r.succeeded()) {
                throw new ApiException(409, "api_error", "retry_failed", "the " + r.failedAt().wireName()
                        + " stage failed again on event '" + eventId + "'; it stays set aside: " + r.error(), null, null, null);
            }
            Map<String, Object> data = new LinkedHashMap<>();
            data.put("event_id", eventId);
            data.put("workspace_id", r.record().workspaceId());
            data.put("set_aside_by", r.record().stage().wireName());
            data.put("handled_by", r.handled().stream().map(SetAsideStore.Stage::wireName).toList());
            Map<String, Object> body = new LinkedHashMap<>();
            body.put("data", data);
            body.put("request_id", Responses.requestId(ctx));
            Responses.json(ctx, 200, body);
        });
    }

    /** A set-aside record as the admin API and the events log show it. */
    public static Map<String, Object> view(SetAsideEvent e) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("event_id", e.eventId());
        m.put("workspace_id", e.workspaceId());
        m.put("stage", e.stage().wireName());
        m.put("error", e.error());
        m.put("at", e.at().toString());
        m.put("tries", e.tries());
        return m;
    }

    private static int limit(String v) {
        if (v == null || v.isBlank()) return 100;
        try {
            int i = Integer.parseInt(v.strip());
            if (i >= 1 && i <= MAX_LIMIT) return i;
        } catch (NumberFormatException e) {
            // the error below
        }
        throw ApiException.invalidParameter("limit", "limit must be 1 to " + MAX_LIMIT);
    }
}
