package io.touchpoint.server.adaccounts;

import io.javalin.config.RoutesConfig;
import io.javalin.http.Context;
import io.touchpoint.core.adaccounts.AdAccount;
import io.touchpoint.core.adaccounts.AdAccountInput;
import io.touchpoint.core.admin.AdAccounts;
import io.touchpoint.core.adaccounts.AdPlatform;
import io.touchpoint.core.adaccounts.InvalidAdAccountException;
import io.touchpoint.core.adaccounts.SyncState;
import io.touchpoint.core.admin.Workspaces;
import io.touchpoint.core.ingest.FieldError;
import io.touchpoint.core.ingest.PayloadFields;
import io.touchpoint.core.model.Role;
import io.touchpoint.core.model.Workspace;
import io.touchpoint.server.http.AdminAccess;
import io.touchpoint.server.http.ApiException;
import io.touchpoint.server.http.Authenticator;
import io.touchpoint.server.http.Bodies;
import io.touchpoint.server.http.HttpsPolicy;
import io.touchpoint.server.http.Lookups;
import io.touchpoint.server.http.RequestAudit;
import io.touchpoint.server.http.Responses;

import java.time.LocalDate;
import java.time.format.DateTimeParseException;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;

/**
 * The admin API of ad account connections (docs/AD_ACCOUNTS.md): add, list, read, change, remove, and sync now. An
 * admin or owner of the workspace changes them and sees each secret's hint; an analyst reads them without any
 * secret's trace. Tokens never come back.
 */
public final class AdAccountRoutes {
    public static final String OF_WORKSPACE = "/admin/v1/workspaces/{workspace}/ad-accounts";
    public static final String ONE = OF_WORKSPACE + "/{id}";
    public static final String SYNC = ONE + "/sync";
    private static final List<String> FIELDS = List.of("platform", "name", "account_id", "settings", "enabled");

    private AdAccountRoutes() {
    }

    public static void routes(RoutesConfig routes, AdAccounts accounts, AdSync sync, Workspaces workspaces,
                              Authenticator auth, HttpsPolicy https) {
        routes.get(OF_WORKSPACE, ctx -> {
            Reader r = reader(ctx, auth, https, workspaces);
            List<Map<String, Object>> out = accounts.list(r.workspace.id()).stream().map(a -> view(accounts, a, r.seesHints)).toList();
            Responses.jsonWithRequestId(ctx, 200, Map.of("data", out));
        });
        routes.post(OF_WORKSPACE, ctx -> {
            Workspace ws = AdminAccess.workspace(ctx, https, auth, workspaces);
            AdAccountInput in = input(Bodies.objectOrNone(ctx, Bodies.MAX_ADMIN_BYTES), true);
            AdAccount a = valid(() -> accounts.create(ws.id(), in));
            Responses.jsonWithRequestId(ctx, 201, view(accounts, a, true));
        });
        routes.get(ONE, ctx -> {
            Reader r = reader(ctx, auth, https, workspaces);
            AdAccount a = Lookups.found(() -> accounts.require(ctx.pathParam("id"), r.workspace.id()));
            Responses.jsonWithRequestId(ctx, 200, view(accounts, a, r.seesHints));
        });
        routes.patch(ONE, ctx -> {
            Workspace ws = AdminAccess.workspace(ctx, https, auth, workspaces);
            AdAccountInput in = input(Bodies.objectOrNone(ctx, Bodies.MAX_ADMIN_BYTES), false);
            AdAccount a = valid(() -> Lookups.found(() -> accounts.update(ctx.pathParam("id"), ws.id(), in)));
            Responses.jsonWithRequestId(ctx, 200, view(accounts, a, true));
        });
        routes.delete(ONE, ctx -> {
            Workspace ws = AdminAccess.workspace(ctx, https, auth, workspaces);
            AdAccount a = Lookups.found(() -> accounts.delete(ctx.pathParam("id"), ws.id()));
            Responses.jsonWithRequestId(ctx, 200, Map.of("id", a.id(), "deleted", true));
        });
        routes.post(SYNC, ctx -> {
            Workspace ws = AdminAccess.workspace(ctx, https, auth, workspaces);
            AdAccount a = Lookups.found(() -> accounts.require(ctx.pathParam("id"), ws.id()));
            LocalDate[] days = range(Bodies.objectOrNone(ctx, Bodies.MAX_ADMIN_BYTES), sync.defaultRange(a));
            SyncState s;
            try {
                s = sync.sync(a, days[0], days[1]);
            } catch (AdSync.Busy e) {
                throw ApiException.invalid(409, "sync_running", "this connection is syncing already; its status shows when it ends");
            }
            Map<String, Object> out = new LinkedHashMap<>();
            out.put("id", a.id());
            out.putAll(AdAccountViews.sync(s));
            Responses.jsonWithRequestId(ctx, 200, out);
        });
    }

    /** Who reads: an analyst or more in the path's workspace; whether they may see secrets' hints (admins and owners). */
    private record Reader(Workspace workspace, boolean seesHints) {
    }

    private static Reader reader(Context ctx, Authenticator auth, HttpsPolicy https, Workspaces workspaces) {
        Authenticator.Principal p = AdminAccess.signedIn(ctx, https, auth);
        Workspace w = Lookups.found(() -> workspaces.require(ctx.pathParam("workspace")));
        AdminAccess.require(p, w.id(), Role.ANALYST);
        RequestAudit.workspace(ctx, w.id());
        return new Reader(w, p.roleIn(w.id()).map(r -> r.includes(Role.ADMIN)).orElse(false));
    }

    private static Map<String, Object> view(AdAccounts accounts, AdAccount a, boolean hints) {
        Map<String, String> secrets = Map.of();
        if (hints) {
            try {
                secrets = accounts.hints(a);
            } catch (IllegalArgumentException e) {
                secrets = Map.of(); // sealed with a key no longer configured: shown without hints rather than failing
            }
        }
        return AdAccountViews.account(a, secrets);
    }

    /** The body's fields; on a create platform, name, account_id and settings are required. */
    static AdAccountInput input(Map<String, Object> body, boolean create) {
        List<FieldError> errors = new ArrayList<>();
        PayloadFields f = new PayloadFields(body, errors);
        for (String key : body.keySet()) {
            if (!FIELDS.contains(key)) f.error(key, FieldError.INVALID_VALUE, "unknown field '" + key + "'; an ad account takes "
                    + String.join(", ", FIELDS));
        }
        String platformName = create ? f.requiredString("platform") : f.string("platform");
        AdPlatform platform = null;
        if (platformName != null) {
            platform = AdPlatform.fromWireName(platformName).orElse(null);
            if (platform == null) f.error("platform", FieldError.INVALID_VALUE, "platform must be one of " + AdPlatform.names());
        }
        String name = create ? f.requiredString("name") : f.string("name");
        String accountId = create ? f.requiredString("account_id") : f.string("account_id");
        Map<String, String> settings = null;
        if (f.has("settings")) {
            Map<String, Object> raw = f.object("settings");
            if (raw != null) {
                settings = new LinkedHashMap<>();
                for (Map.Entry<String, Object> e : raw.entrySet()) {
                    if (e.getValue() == null || e.getValue() instanceof String) settings.put(e.getKey(), (String) e.getValue());
                    else f.error("settings." + e.getKey(), FieldError.INVALID_TYPE, "settings." + e.getKey() + " must be a string");
                }
            }
        } else if (create) {
            f.error("settings", FieldError.MISSING, "settings is required: the platform's token and ids (docs/AD_ACCOUNTS.md)");
        }
        Boolean enabled = f.bool("enabled");
        if (!errors.isEmpty()) throw ApiException.validation(errors);
        return new AdAccountInput(platform, name, accountId, settings, enabled);
    }

    /** The days a sync by hand reads: {@code from} and {@code to} (YYYY-MM-DD) when given, else the default days. */
    static LocalDate[] range(Map<String, Object> body, LocalDate[] fallback) {
        List<FieldError> errors = new ArrayList<>();
        for (String key : body.keySet()) {
            if (!key.equals("from") && !key.equals("to")) errors.add(new FieldError(key, FieldError.INVALID_VALUE,
                    "unknown field '" + key + "'; a sync takes from and to"));
        }
        LocalDate from = day(body, "from", fallback[0], errors), to = day(body, "to", fallback[1], errors);
        if (errors.isEmpty() && from.isAfter(to)) errors.add(new FieldError("to", FieldError.INVALID_VALUE, "to must not be before from"));
        if (errors.isEmpty() && ChronoUnit.DAYS.between(from, to) >= AdSyncSettings.MAX_DAYS) {
            errors.add(new FieldError("from", FieldError.INVALID_VALUE, "a sync reads at most " + AdSyncSettings.MAX_DAYS + " days"));
        }
        if (!errors.isEmpty()) throw ApiException.validation(errors);
        return new LocalDate[]{from, to};
    }

    private static LocalDate day(Map<String, Object> body, String key, LocalDate fallback, List<FieldError> errors) {
        Object v = body.get(key);
        if (v == null) return fallback;
        try {
            if (v instanceof String s) return LocalDate.parse(s);
        } catch (DateTimeParseException e) {
            // named below
        }
        errors.add(new FieldError(key, FieldError.INVALID_VALUE, key + " must be a day as YYYY-MM-DD"));
        return fallback;
    }

    private static <T> T valid(Supplier<T> action) {
        try {
            return action.get();
        } catch (InvalidAdAccountException e) {
            throw ApiException.validation(e.errors());
        }
    }
}
