package io.touchpoint.server.users;

import io.javalin.config.RoutesConfig;
import io.javalin.http.Context;
import io.touchpoint.core.audit.Actor;
import io.touchpoint.core.ingest.FieldError;
import io.touchpoint.core.ingest.PayloadFields;
import io.touchpoint.core.model.Role;
import io.touchpoint.core.model.User;
import io.touchpoint.core.store.DuplicateNameException;
import io.touchpoint.core.users.InvalidLinkException;
import io.touchpoint.core.users.LastOwnerException;
import io.touchpoint.core.users.Users;
import io.touchpoint.server.http.AdminAccess;
import io.touchpoint.server.http.ApiException;
import io.touchpoint.server.http.Authenticator;
import io.touchpoint.server.http.Bodies;
import io.touchpoint.server.http.HttpsPolicy;
import io.touchpoint.server.http.Lookups;
import io.touchpoint.server.http.RequestAudit;
import io.touchpoint.server.http.Responses;
import io.touchpoint.server.http.SignInThrottle;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;

/**
 * Dashboard users, managed by an owner of every workspace (or the administrator): invited through a one-time link
 * the answer carries (no mail is sent; whoever invites passes it on), given another role or other workspaces, sent a
 * reset link, removed. Accepting a link needs only the link; failures there count against the client's address like
 * failed sign-ins.
 */
public final class UserRoutes {
    public static final String USERS = "/admin/v1/users";
    public static final String USER = "/admin/v1/users/{id}";
    public static final String INVITE = "/admin/v1/invites/{token}";

    private UserRoutes() {
    }

    /** @param changed told after a change to users, so sessions and users cached by this process are dropped */
    public static void routes(RoutesConfig routes, Users users, Authenticator auth, HttpsPolicy https,
                              SignInThrottle throttle, Runnable changed) {
        routes.get(USERS, ctx -> {
            AdminAccess.ownerOfEverything(ctx, https, auth);
            Map<String, Object> out = new LinkedHashMap<>();
            out.put("data", users.list().stream().map(UserViews::user).toList());
            out.put("request_id", Responses.requestId(ctx));
            Responses.json(ctx, 200, out);
        });
        routes.post(USERS, ctx -> {
            AdminAccess.ownerOfEverything(ctx, https, auth);
            List<FieldError> errors = new ArrayList<>();
            Map<String, Object> body = Bodies.objectOrNone(ctx, Bodies.MAX_ADMIN_BYTES);
            PayloadFields f = new PayloadFields(body, errors);
            String email = f.requiredString("email");
            Role role = role(f, true);
            Access access = access(f, body, true);
            if (!errors.isEmpty()) throw ApiException.validation(errors);
            Users.Invitation inv = refusals(() -> users.invite(email, role, access.all(), access.workspaces()));
            Map<String, Object> out = UserViews.user(inv.user());
            link(ctx, https, out, "invite", inv);
            Responses.json(ctx, 201, out);
        });
        routes.patch(USER, ctx -> {
            AdminAccess.ownerOfEverything(ctx, https, auth);
            List<FieldError> errors = new ArrayList<>();
            Map<String, Object> body = Bodies.objectOrNone(ctx, Bodies.MAX_ADMIN_BYTES);
            PayloadFields f = new PayloadFields(body, errors);
            Role role = role(f, false);
            Access access = access(f, body, false);
            Boolean reset = f.bool("reset_password");
            if (!errors.isEmpty()) throw ApiException.validation(errors);
            String id = ctx.pathParam("id");
            User u = refusals(() -> role != null || access != null
                    ? users.changeAccess(id, role, access == null ? null : access.all(), access == null ? null : access.workspaces())
                    : users.require(id));
            changed.run();
            Map<String, Object> out = UserViews.user(u);
            if (Boolean.TRUE.equals(reset)) link(ctx, https, out, "reset", refusals(() -> users.resetLink(u.id())));
            else out.put("request_id", Responses.requestId(ctx));
            Responses.json(ctx, 200, out);
        });
        routes.delete(USER, ctx -> {
            AdminAccess.ownerOfEverything(ctx, https, auth);
            User u = refusals(() -> users.remove(ctx.pathParam("id")));
            changed.run();
            Map<String, Object> out = UserViews.user(u);
            out.put("request_id", Responses.requestId(ctx));
            Responses.json(ctx, 200, out);
        });
        routes.post(INVITE, ctx -> {
            https.check(ctx);
            ctx.header("Cache-Control", "no-store");
            String client = https.clientIp(ctx);
            throttle.refusal(client).ifPresent(wait -> {
                throw SignInThrottle.throttled(wait);
            });
            Bodies.requireJson(ctx);
            List<FieldError> errors = new ArrayList<>();
            String password = new PayloadFields(Bodies.object(Bodies.text(ctx, 8 * 1024)), errors).requiredString("password");
            if (!errors.isEmpty()) throw ApiException.validation(errors);
            throttle.attempt(client).ifPresent(wait -> {
                throw SignInThrottle.throttled(wait);
            });
            User u;
            try {
                u = users.accept(ctx.pathParam("token"), password);
            } catch (IllegalArgumentException e) {
                throttle.succeeded(client); // a weak password is no guess at the link
                throw ApiException.validation(List.of(new FieldError("password", FieldError.INVALID_VALUE, e.getMessage())));
            } catch (InvalidLinkException e) {
                throw new ApiException(404, "invalid_request_error", "invite_invalid", e.getMessage(), null, null, null);
            }
            throttle.succeeded(client);
            RequestAudit.actor(ctx, Actor.user(u.id(), u.email()));
            changed.run();
            Map<String, Object> out = UserViews.user(u);
            out.put("request_id", Responses.requestId(ctx));
            Responses.json(ctx, 200, out);
        });
    }

    /** Adds {@code <kind>_url} (the link, shown this once) and {@code <kind>_expires_at}. */
    private static void link(Context ctx, HttpsPolicy https, Map<String, Object> out, String kind, Users.Invitation inv) {
        out.put(kind + "_url", UserViews.link(https.baseUrl(ctx), inv));
        out.put(kind + "_expires_at", inv.expiresAt().toString());
        out.put("request_id", Responses.requestId(ctx));
    }

    /** What the users service refuses, as the admin API answers it. */
    private static <T> T refusals(Supplier<T> change) {
        try {
            return Lookups.found(change);
        } catch (DuplicateNameException e) {
            throw new ApiException(409, "invalid_request_error", "email_taken", e.getMessage(), "email", null, null);
        } catch (LastOwnerException e) {
            throw new ApiException(409, "invalid_request_error", "last_owner", e.getMessage(), null, null, null);
        } catch (IllegalArgumentException e) {
            String param = e.getMessage().contains("e-mail") ? "email" : "workspaces";
            throw ApiException.invalidValue(param, e.getMessage());
        }
    }

    private static Role role(PayloadFields f, boolean required) {
        String raw = required ? f.requiredString("role") : f.string("role");
        if (raw == null) return null;
        Role r = Role.fromWireName(raw).orElse(null);
        if (r == null) f.error("role", FieldError.INVALID_VALUE, "role must be one of owner, admin, analyst");
        return r;
    }

    /** Every workspace, or the ids or names listed. */
    private record Access(boolean all, List<String> workspaces) {
    }

    private static Access access(PayloadFields f, Map<String, Object> body, boolean required) {
        Object raw = body.get("workspaces");
        if (raw == null) {
            if (required) f.error("workspaces", FieldError.MISSING, "workspaces is required: \"all\" or a list of workspace ids or names");
            return null;
        }
        if ("all".equals(raw)) return new Access(true, List.of());
        if (raw instanceof List<?> list && !list.isEmpty() && list.stream().allMatch(o -> o instanceof String s && !s.isBlank())) {
            return new Access(false, list.stream().map(o -> ((String) o).strip()).toList());
        }
        f.error("workspaces", FieldError.INVALID_VALUE, "workspaces must be \"all\" or a non-empty list of workspace ids or names");
        return null;
    }
}
