package io.touchpoint.server.admin;

import io.javalin.config.RoutesConfig;
import io.javalin.http.Context;
import io.touchpoint.core.audit.Actor;
import io.touchpoint.core.ingest.FieldError;
import io.touchpoint.core.ingest.PayloadFields;
import io.touchpoint.core.model.Role;
import io.touchpoint.core.model.User;
import io.touchpoint.core.users.Users;
import io.touchpoint.server.http.ApiException;
import io.touchpoint.server.http.Authenticator;
import io.touchpoint.server.http.Bodies;
import io.touchpoint.server.http.HttpsPolicy;
import io.touchpoint.server.http.RequestAudit;
import io.touchpoint.server.http.Responses;
import io.touchpoint.server.http.Sessions;
import io.touchpoint.server.http.SignInThrottle;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Dashboard sign-in: a user's e-mail and password, or the administrator credential, traded for an HttpOnly,
 * SameSite=Strict session cookie (Secure when the request came over HTTPS) and a CSRF token the page sends back on
 * every change. Failures are throttled per client address, and a refused e-mail and password never say which of the
 * two was wrong.
 */
public final class SessionRoutes {
    public static final String SESSION = "/admin/v1/session";

    private SessionRoutes() {
    }

    public static void routes(RoutesConfig routes, Authenticator auth, HttpsPolicy https, SignInThrottle throttle,
                              Users users) {
        routes.post(SESSION, ctx -> {
            https.check(ctx);
            noStore(ctx);
            String client = https.clientIp(ctx);
            throttle.refusal(client).ifPresent(SessionRoutes::throttled);
            Bodies.requireJson(ctx);
            List<FieldError> errors = new ArrayList<>();
            PayloadFields f = new PayloadFields(Bodies.object(Bodies.text(ctx, 8 * 1024)), errors);
            boolean byPassword = f.has("email") || f.has("password");
            String secret = byPassword ? null : f.requiredString("admin_token");
            String email = byPassword ? f.requiredString("email") : null;
            String password = byPassword ? f.requiredString("password") : null;
            if (!errors.isEmpty()) throw ApiException.validation(errors);
            throttle.attempt(client).ifPresent(SessionRoutes::throttled);
            Sessions.Opened opened;
            if (byPassword) {
                // who tries: the audit log names a failed sign-in too
                RequestAudit.actor(ctx, Actor.user(users.byEmail(email).map(User::id).orElse("unknown"), email.strip()));
                User user = users.signIn(email, password).orElseThrow(() -> ApiException.authentication("sign_in_invalid",
                        "that e-mail and password do not match an active user"));
                throttle.succeeded(client);
                opened = auth.openSession(user);
            } else {
                RequestAudit.actor(ctx, Authenticator.BY_TOKEN);
                if (!auth.isAdminSecret(secret.strip())) {
                    throw ApiException.authentication("admin_token_invalid", "that is not the administrator token");
                }
                throttle.succeeded(client);
                opened = auth.openAdministratorSession();
            }
            ctx.header("Set-Cookie", cookie(ctx, https, opened.id(), Sessions.LIFETIME.toSeconds()));
            Responses.json(ctx, 201, view(ctx, opened.session()));
        });
        routes.get(SESSION, ctx -> {
            https.check(ctx);
            noStore(ctx);
            Responses.json(ctx, 200, view(ctx, auth.session(ctx)));
        });
        routes.delete(SESSION, ctx -> {
            https.check(ctx);
            Sessions.Session s = auth.session(ctx);
            if (!s.csrfMatches(ctx.header(Authenticator.CSRF_HEADER))) {
                throw ApiException.permission("csrf_token_invalid", "signing out needs the session's CSRF token in the "
                        + Authenticator.CSRF_HEADER + " header");
            }
            auth.closeSession(ctx);
            ctx.header("Set-Cookie", cookie(ctx, https, "", 0));
            ctx.status(204);
        });
    }

    private static void throttled(long wait) {
        throw SignInThrottle.throttled(wait);
    }

    /** Written by hand: the attributes are the point, and every one must be there. */
    static String cookie(Context ctx, HttpsPolicy https, String value, long maxAgeSeconds) {
        return Authenticator.SESSION_COOKIE + "=" + value + "; Path=/; Max-Age=" + maxAgeSeconds
                + "; HttpOnly; SameSite=Strict" + ("https".equals(https.scheme(ctx)) ? "; Secure" : "");
    }

    private static void noStore(Context ctx) {
        ctx.header("Cache-Control", "no-store");
    }

    /** The session, and who it is for: what the dashboard needs to show only what the caller may do. */
    private static Map<String, Object> view(Context ctx, Sessions.Session s) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("csrf_token", s.csrfToken());
        m.put("expires_at", s.expiresAt().toString());
        User u = s.user();
        m.put("administrator", u == null);
        m.put("user", u == null ? null : Map.of("id", u.id(), "email", u.email()));
        m.put("role", u == null ? Role.OWNER.wireName() : u.role().wireName());
        m.put("workspaces", u == null || u.allWorkspaces() ? "all" : u.workspaceIds().stream().sorted().toList());
        m.put("request_id", Responses.requestId(ctx));
        return m;
    }
}
