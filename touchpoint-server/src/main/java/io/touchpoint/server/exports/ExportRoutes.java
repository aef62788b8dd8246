package io.touchpoint.server.exports;

import io.javalin.config.RoutesConfig;
import io.javalin.http.Context;
import io.touchpoint.core.admin.Workspaces;
import io.touchpoint.core.model.Workspace;
import io.touchpoint.core.store.ExportStore.LastRun;
import io.touchpoint.core.store.ExportStore.Schedule;
import io.touchpoint.server.http.AdminAccess;
import io.touchpoint.server.http.Authenticator;
import io.touchpoint.server.http.Bodies;
import io.touchpoint.server.http.HttpsPolicy;
import io.touchpoint.server.http.QueryParams;
import io.touchpoint.server.http.Responses;

import java.time.LocalDate;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The admin API of scheduled exports (docs/EXPORTS.md): add, list, read and remove a workspace's schedules, and run
 * one now. Like the destinations, an admin of the workspace manages them, and a webhook's secret is shown once, when
 * Touchpoint generated it.
 */
public final class ExportRoutes {
    public static final String OF_WORKSPACE = "/admin/v1/workspaces/{workspace}/exports";
    public static final String ONE = "/admin/v1/workspaces/{workspace}/exports/{id}";
    public static final String RUN = "/admin/v1/workspaces/{workspace}/exports/{id}/run";

    private ExportRoutes() {
    }

    public static void routes(RoutesConfig routes, ExportSchedules schedules, ExportRunner runner, Workspaces workspaces,
                              Authenticator auth, HttpsPolicy https) {
        routes.get(OF_WORKSPACE, ctx -> {
            Workspace ws = AdminAccess.workspace(ctx, https, auth, workspaces);
            respond(ctx, 200, Map.of("data", schedules.list(ws.id()).stream().map(ExportSchedules::view).toList()));
        });
        routes.post(OF_WORKSPACE, ctx -> {
            Workspace ws = AdminAccess.workspace(ctx, https, auth, workspaces);
            ExportSchedules.Created c = schedules.create(ws, Bodies.objectOrNone(ctx, Bodies.MAX_ADMIN_BYTES));
            Map<String, Object> out = new LinkedHashMap<>(ExportSchedules.view(c.schedule()));
            // shown this once, like an API token: the receiver needs it to check signatures
            if (c.generatedSecret() != null) out.put("webhook_secret", c.generatedSecret());
            respond(ctx, 201, out);
        });
        routes.get(ONE, ctx -> {
            Workspace ws = AdminAccess.workspace(ctx, https, auth, workspaces);
            respond(ctx, 200, ExportSchedules.view(schedules.require(ctx.pathParam("id"), ws.id())));
        });
        routes.delete(ONE, ctx -> {
            Workspace ws = AdminAccess.workspace(ctx, https, auth, workspaces);
            Schedule s = schedules.require(ctx.pathParam("id"), ws.id());
            schedules.delete(s);
            respond(ctx, 200, ExportSchedules.view(s));
        });
        routes.post(RUN, ctx -> {
            Workspace ws = AdminAccess.workspace(ctx, https, auth, workspaces);
            Schedule s = schedules.require(ctx.pathParam("id"), ws.id());
            LocalDate day = QueryParams.date(ctx, "day", runner.yesterday(ws));
            LastRun run = runner.run(s, day);
            Map<String, Object> out = new LinkedHashMap<>();
            out.put("id", s.id());
            out.put("day", run.day().toString());
            out.put("status", run.status());
            out.put("message", run.message());
            respond(ctx, 200, out);
        });
    }

    private static void respond(Context ctx, int status, Map<String, Object> body) {
        Map<String, Object> out = new LinkedHashMap<>(body);
        out.put("request_id", Responses.requestId(ctx));
        Responses.json(ctx, status, out);
    }
}
