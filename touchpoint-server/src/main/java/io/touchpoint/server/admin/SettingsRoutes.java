package io.touchpoint.server.admin;

import io.javalin.config.RoutesConfig;
import io.javalin.http.Context;
import io.touchpoint.core.admin.Workspaces;
import io.touchpoint.core.ingest.FieldError;
import io.touchpoint.core.ingest.PayloadFields;
import io.touchpoint.core.model.Workspace;
import io.touchpoint.core.model.WorkspaceSettings;
import io.touchpoint.server.http.AdminAccess;
import io.touchpoint.server.http.ApiException;
import io.touchpoint.server.http.Authenticator;
import io.touchpoint.server.http.Bodies;
import io.touchpoint.server.http.HttpsPolicy;
import io.touchpoint.server.http.Lookups;
import io.touchpoint.server.http.Responses;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * A workspace's general settings (time zone, currency, phone region, ingest rate limit, consent) for the dashboard's
 * setup page. Attribution settings live at {@code /admin/v1/workspaces/{workspace}/attribution}.
 */
public final class SettingsRoutes {
    public static final String SETTINGS = "/admin/v1/workspaces/{workspace}/settings";
    static final Set<String> FIELDS = Set.of("time_zone", "currency", "phone_region", "rate_limit_per_minute",
            SettingsFields.CONSENT_DEFAULT, SettingsFields.CONSENT_DENIED_REGIONS,
            SettingsFields.CONSENT_LIMITED_DATA_USE_REGIONS);

    private SettingsRoutes() {
    }

    /** @param workspacesChanged told after a change, so cached workspace lookups (tokens, funnels) are dropped */
    public static void routes(RoutesConfig routes, Workspaces workspaces, Authenticator auth, HttpsPolicy https,
                              Runnable workspacesChanged) {
        routes.get(SETTINGS, ctx -> {
            Responses.json(ctx, 200, view(ctx, AdminAccess.workspace(ctx, https, auth, workspaces), List.of()));
        });
        routes.put(SETTINGS, ctx -> {
            Workspace current = AdminAccess.workspace(ctx, https, auth, workspaces);
            Map<String, Object> body = Bodies.objectOrNone(ctx, Bodies.MAX_ADMIN_BYTES);
            List<FieldError> errors = new ArrayList<>();
            WorkspaceSettings next = SettingsFields.read(new PayloadFields(body, errors), current.settings());
            if (!errors.isEmpty()) throw ApiException.validation(errors);
            List<String> warnings = body.keySet().stream().filter(k -> !FIELDS.contains(k)).sorted()
                    .map(k -> "unknown field '" + k + "' ignored").toList();
            Workspace updated = Lookups.found(() -> workspaces.updateSettings(current.id(), next));
            workspacesChanged.run();
            Responses.json(ctx, 200, view(ctx, updated, warnings));
        });
    }

    private static Map<String, Object> view(Context ctx, Workspace w, List<String> warnings) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("workspace_id", w.id());
        m.putAll(Views.settings(w.settings()));
        if (!warnings.isEmpty()) m.put("warnings", warnings);
        m.put("request_id", Responses.requestId(ctx));
        return m;
    }
}
