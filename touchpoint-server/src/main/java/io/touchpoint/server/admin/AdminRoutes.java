package io.touchpoint.server.admin;

import io.javalin.config.RoutesConfig;
import io.javalin.http.Context;
import io.touchpoint.core.admin.CreatedToken;
import io.touchpoint.core.admin.CreatedWorkspace;
import io.touchpoint.core.admin.Workspaces;
import io.touchpoint.core.ingest.FieldError;
import io.touchpoint.core.ingest.PayloadFields;
import io.touchpoint.core.model.PixelSettings;
import io.touchpoint.core.model.Scope;
import io.touchpoint.core.model.WorkspaceSettings;
import io.touchpoint.core.store.DuplicateNameException;
import io.touchpoint.server.http.AdminAccess;
import io.touchpoint.server.http.ApiException;
import io.touchpoint.server.http.Authenticator;
import io.touchpoint.server.http.Bodies;
import io.touchpoint.server.http.HttpsPolicy;
import io.touchpoint.server.http.Lookups;
import io.touchpoint.server.http.Responses;
import io.touchpoint.server.pixel.FirstParty;

import java.util.ArrayList;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/** The admin API: workspaces and tokens, guarded by the administrator token. */
public final class AdminRoutes {
    public static final String WORKSPACES = "/admin/v1/workspaces";
    public static final String TOKENS = "/admin/v1/workspaces/{workspace}/tokens";
    public static final String TOKEN = "/admin/v1/tokens/{tokenId}";
    public static final String FUNNELS = "/admin/v1/workspaces/{workspace}/funnels";
    public static final String FUNNEL = "/admin/v1/funnels/{funnelId}";
    public static final String PIXEL = "/admin/v1/workspaces/{workspace}/pixel";

    private AdminRoutes() {
    }

    /**
     * @param funnelsChanged told when a funnel is revoked, so cached funnel lookups are dropped
     * @param firstParty     the pixel's first-party paths, for the snippets
     * @param serverCookie   whether /collect sets the visitor cookie ({@code pixel.server-cookie})
     */
    public static void routes(RoutesConfig routes, Workspaces workspaces, Authenticator auth, HttpsPolicy https,
                              Runnable funnelsChanged, FirstParty firstParty, boolean serverCookie) {
        routes.get(WORKSPACES, ctx -> {
            Authenticator.Principal p = AdminAccess.signedIn(ctx, https, auth);
            Responses.json(ctx, 200, data(ctx, workspaces.list().stream().filter(w -> p.roleIn(w.id()).isPresent())
                    .map(Views::workspace).toList()));
        });
        routes.post(WORKSPACES, ctx -> {
            AdminAccess.ownerOfEverything(ctx, https, auth);
            Map<String, Object> body = Bodies.objectOrNone(ctx, Bodies.MAX_ADMIN_BYTES);
            List<FieldError> errors = new ArrayList<>();
            PayloadFields f = new PayloadFields(body, errors);
            String name = f.requiredString("name");
            WorkspaceSettings settings = SettingsFields.read(f, WorkspaceSettings.DEFAULTS);
            if (!errors.isEmpty()) throw ApiException.validation(errors);
            try {
                CreatedWorkspace c = workspaces.create(name, settings);
                Map<String, Object> out = new LinkedHashMap<>(Views.workspace(c.workspace()));
                out.put("token", Views.createdToken(c.token()));
                out.put("request_id", Responses.requestId(ctx));
                Responses.json(ctx, 201, out);
            } catch (DuplicateNameException e) {
                throw new ApiException(409, "invalid_request_error", "name_taken", e.getMessage(), "name", null, null);
            } catch (IllegalArgumentException e) {
                throw ApiException.invalidValue("name", e.getMessage());
            }
        });
        routes.get(TOKENS, ctx -> {
            AdminAccess.workspace(ctx, https, auth, workspaces);
            List<Map<String, Object>> tokens = Lookups.found(() -> workspaces.tokens(ctx.pathParam("workspace")))
                    .stream().map(Views::token).toList();
            Responses.json(ctx, 200, data(ctx, tokens));
        });
        routes.post(TOKENS, ctx -> {
            AdminAccess.workspace(ctx, https, auth, workspaces);
            Map<String, Object> body = Bodies.objectOrNone(ctx, Bodies.MAX_ADMIN_BYTES);
            List<FieldError> errors = new ArrayList<>();
            PayloadFields f = new PayloadFields(body, errors);
            String name = f.string("name");
            Set<Scope> scopes = scopes(f);
            if (!errors.isEmpty()) throw ApiException.validation(errors);
            CreatedToken c = Lookups.found(() -> workspaces.createToken(ctx.pathParam("workspace"), name, scopes));
            Map<String, Object> out = Views.createdToken(c);
            out.put("request_id", Responses.requestId(ctx));
            Responses.json(ctx, 201, out);
        });
        routes.get(FUNNELS, ctx -> {
            AdminAccess.workspace(ctx, https, auth, workspaces);
            Responses.json(ctx, 200, data(ctx, Lookups.found(() -> workspaces.funnels(ctx.pathParam("workspace")))
                    .stream().map(Views::funnel).toList()));
        });
        routes.post(FUNNELS, ctx -> {
            AdminAccess.workspace(ctx, https, auth, workspaces);
            List<FieldError> errors = new ArrayList<>();
            String name = new PayloadFields(Bodies.objectOrNone(ctx, Bodies.MAX_ADMIN_BYTES), errors).requiredString("name");
            if (!errors.isEmpty()) throw ApiException.validation(errors);
            Map<String, Object> out;
            try {
                out = Views.funnel(Lookups.found(() -> workspaces.createFunnel(ctx.pathParam("workspace"), name)));
            } catch (IllegalArgumentException e) {
                throw ApiException.invalidValue("name", e.getMessage());
            }
            out.put("request_id", Responses.requestId(ctx));
            Responses.json(ctx, 201, out);
        });
        routes.delete(FUNNEL, ctx -> {
            String funnelId = ctx.pathParam("funnelId");
            String ws = AdminAccess.workspaceOf(ctx, https, auth, () -> workspaces.funnel(funnelId).workspaceId());
            Map<String, Object> out = Views.funnel(Lookups.found(() -> workspaces.revokeFunnel(funnelId, ws)));
            funnelsChanged.run();
            out.put("request_id", Responses.requestId(ctx));
            Responses.json(ctx, 200, out);
        });
        routes.get(PIXEL, ctx -> {
            AdminAccess.workspace(ctx, https, auth, workspaces);
            String ws = ctx.pathParam("workspace");
            Map<String, Object> out = Views.pixel(Lookups.found(() -> workspaces.require(ws)),
                    Lookups.found(() -> workspaces.pixelSettings(ws)), https.baseUrl(ctx), firstParty, serverCookie);
            out.put("request_id", Responses.requestId(ctx));
            Responses.json(ctx, 200, out);
        });
        routes.put(PIXEL, ctx -> {
            AdminAccess.workspace(ctx, https, auth, workspaces);
            String ws = ctx.pathParam("workspace");
            List<FieldError> errors = new ArrayList<>();
            PayloadFields f = new PayloadFields(Bodies.objectOrNone(ctx, Bodies.MAX_ADMIN_BYTES), errors);
            List<String> origins = f.strings("allowed_origins");
            List<String> domains = f.strings("domains");
            List<String> cookieDomains = f.strings("cookie_domains");
            check(f, "allowed_origins", () -> new PixelSettings(origins, null, null));
            check(f, "domains", () -> new PixelSettings(null, domains, null));
            check(f, "cookie_domains", () -> new PixelSettings(null, null, cookieDomains));
            if (!errors.isEmpty()) throw ApiException.validation(errors);
            PixelSettings s = Lookups.found(() -> workspaces.updatePixelSettings(ws, origins, domains, cookieDomains));
            Map<String, Object> out = Views.pixel(workspaces.require(ws), s, https.baseUrl(ctx), firstParty, serverCookie);
            out.put("request_id", Responses.requestId(ctx));
            Responses.json(ctx, 200, out);
        });
        routes.delete(TOKEN, ctx -> {
            String tokenId = ctx.pathParam("tokenId");
            String ws = AdminAccess.workspaceOf(ctx, https, auth, () -> workspaces.token(tokenId).workspaceId());
            var revoked = Lookups.found(() -> workspaces.revoke(tokenId, ws));
            auth.invalidate();
            Map<String, Object> out = Views.token(revoked);
            out.put("request_id", Responses.requestId(ctx));
            Responses.json(ctx, 200, out);
        });
    }

    /** Records a malformed list of the pixel settings as a validation error of its own field. */
    private static void check(PayloadFields f, String field, Runnable build) {
        try {
            build.run();
        } catch (IllegalArgumentException e) {
            f.error(field, FieldError.INVALID_VALUE, e.getMessage());
        }
    }

    private static Set<Scope> scopes(PayloadFields f) {
        List<Object> raw = f.array("scopes");
        if (raw == null) return Scope.ALL;
        Set<Scope> scopes = EnumSet.noneOf(Scope.class);
        for (Object o : raw) {
            var s = o instanceof String str ? Scope.fromWireName(str) : java.util.Optional.<Scope>empty();
            if (s.isEmpty()) {
                f.error("scopes", FieldError.INVALID_VALUE, "scopes must be a list of 'ingest' and 'read'");
                return Scope.ALL;
            }
            scopes.add(s.get());
        }
        if (scopes.isEmpty()) f.error("scopes", FieldError.INVALID_VALUE, "a token needs at least one scope");
        return scopes;
    }

    private static Map<String, Object> data(Context ctx, Object items) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("data", items);
        m.put("request_id", Responses.requestId(ctx));
        return m;
    }
}
