package io.touchpoint.server.identity;

import io.javalin.config.RoutesConfig;
import io.javalin.http.Context;
import io.touchpoint.core.admin.Workspaces;
import io.touchpoint.core.identity.Guardrails;
import io.touchpoint.core.ingest.FieldError;
import io.touchpoint.core.model.IdentifierType;
import io.touchpoint.core.store.IdentityStore;
import io.touchpoint.server.http.AdminAccess;
import io.touchpoint.server.http.ApiException;
import io.touchpoint.server.http.Authenticator;
import io.touchpoint.server.http.Bodies;
import io.touchpoint.server.http.HttpsPolicy;
import io.touchpoint.server.http.Responses;

import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * A workspace's identity guardrails (docs/IDENTITY.md), administrator only. PUT replaces them whole: a field left out takes
 * its default, so {@code {}} restores every default.
 */
public final class GuardrailRoutes {
    public static final String PATH = "/admin/v1/workspaces/{workspace}/identity-guardrails";

    private GuardrailRoutes() {
    }

    public static void routes(RoutesConfig routes, IdentityStore identity, Workspaces workspaces, Authenticator auth,
                              HttpsPolicy https) {
        routes.get(PATH, ctx -> {
            String ws = AdminAccess.workspace(ctx, https, auth, workspaces).id();
            respond(ctx, identity.guardrails(ws));
        });
        routes.put(PATH, ctx -> {
            String ws = AdminAccess.workspace(ctx, https, auth, workspaces).id();
            Bodies.requireJson(ctx);
            String text = Bodies.text(ctx, 64 * 1024);
            Guardrails g = parse(text.isBlank() ? Map.of() : Bodies.object(text));
            identity.putGuardrails(ws, g);
            respond(ctx, g);
        });
    }

    private static void respond(Context ctx, Guardrails g) {
        Map<String, Object> m = view(g);
        m.put("request_id", Responses.requestId(ctx));
        Responses.json(ctx, 200, m);
    }

    static Map<String, Object> view(Guardrails g) {
        Map<String, Object> m = new LinkedHashMap<>();
        Map<String, Object> limits = new TreeMap<>();
        for (IdentifierType t : IdentifierType.values()) limits.put(t.wireName(), g.limit(t));
        m.put("limits", limits);
        m.put("blocked_values", new java.util.TreeSet<>(g.blockedValues()));
        m.put("default_blocklist", g.defaultBlocklist());
        m.put("max_profiles_per_value", g.maxProfilesPerValue());
        m.put("fingerprint_window_hours", g.fingerprintWindow().toHours());
        return m;
    }

    static Guardrails parse(Map<String, Object> body) {
        List<FieldError> errors = new ArrayList<>();
        Map<IdentifierType, Integer> limits = new EnumMap<>(IdentifierType.class);
        limits.putAll(Guardrails.DEFAULT_LIMITS);
        if (body.get("limits") instanceof Map<?, ?> m) {
            m.forEach((k, v) -> {
                var t = IdentifierType.fromWireName(String.valueOf(k));
                Integer n = positive(v);
                if (t.isEmpty()) errors.add(new FieldError("limits." + k, FieldError.INVALID_VALUE, "unknown identifier type '" + k + "'"));
                else if (n == null) errors.add(new FieldError("limits." + k, FieldError.INVALID_VALUE, "a limit must be a whole number from 1"));
                else limits.put(t.get(), n);
            });
        } else if (body.containsKey("limits")) {
            errors.add(new FieldError("limits", FieldError.INVALID_TYPE, "limits must be an object of identifier type to number"));
        }
        Set<String> blocked = new LinkedHashSet<>();
        if (body.get("blocked_values") instanceof List<?> l) {
            for (Object o : l) {
                String s = o instanceof String str ? str.strip() : null;
                int colon = s == null ? -1 : s.indexOf(':');
                if (colon < 0 || IdentifierType.fromWireName(s.substring(0, colon)).isEmpty()) {
                    errors.add(new FieldError("blocked_values", FieldError.INVALID_VALUE, "each blocked value is 'type:value', e.g. 'email:ops@shop.io'"));
                    break;
                }
                blocked.add(s.substring(0, colon) + ":" + s.substring(colon + 1).strip().toLowerCase(java.util.Locale.ROOT));
            }
        } else if (body.containsKey("blocked_values")) {
            errors.add(new FieldError("blocked_values", FieldError.INVALID_TYPE, "blocked_values must be a list of strings"));
        }
        Object dbl = body.getOrDefault("default_blocklist", true);
        if (!(dbl instanceof Boolean)) errors.add(new FieldError("default_blocklist", FieldError.INVALID_TYPE, "default_blocklist must be true or false"));
        Integer max = body.containsKey("max_profiles_per_value") ? positive(body.get("max_profiles_per_value")) : Integer.valueOf(Guardrails.DEFAULT_MAX_PROFILES_PER_VALUE);
        if (max == null) errors.add(new FieldError("max_profiles_per_value", FieldError.INVALID_VALUE, "max_profiles_per_value must be a whole number from 1"));
        Integer hours = body.containsKey("fingerprint_window_hours") ? positive(body.get("fingerprint_window_hours"))
                : Integer.valueOf((int) Guardrails.DEFAULT_FINGERPRINT_WINDOW.toHours());
        if (hours == null) errors.add(new FieldError("fingerprint_window_hours", FieldError.INVALID_VALUE, "fingerprint_window_hours must be a whole number from 1"));
        if (!errors.isEmpty()) throw ApiException.validation(errors);
        return new Guardrails(limits, blocked, (Boolean) dbl, max, Duration.ofHours(hours));
    }

    private static Integer positive(Object v) {
        if (v instanceof Integer i && i >= 1) return i;
        if (v instanceof Long l && l >= 1 && l <= Integer.MAX_VALUE) return l.intValue();
        return null;
    }
}
