package io.touchpoint.server.audit;

import io.javalin.config.RoutesConfig;
import io.javalin.http.Context;
import io.touchpoint.core.admin.Workspaces;
import io.touchpoint.core.audit.Actor;
import io.touchpoint.core.audit.AuditCursor;
import io.touchpoint.core.audit.AuditEntry;
import io.touchpoint.core.audit.AuditQuery;
import io.touchpoint.core.store.AuditLog;
import io.touchpoint.core.store.Page;
import io.touchpoint.server.http.AdminAccess;
import io.touchpoint.server.http.ApiException;
import io.touchpoint.server.http.Authenticator;
import io.touchpoint.server.http.HttpsPolicy;
import io.touchpoint.server.http.Lookups;
import io.touchpoint.server.http.QueryParams;
import io.touchpoint.server.http.Responses;

import java.time.Instant;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * {@code GET /admin/v1/audit-log}: the audit log, newest first, for the administrator; filtered by time, actor,
 * action (one, or a family such as {@code destination.*}) and workspace, and paged with {@code next_cursor}.
 */
public final class AuditRoutes {
    public static final String LIST = "/admin/v1/audit-log";
    static final List<String> PARAMS = List.of("from", "to", "actor", "action", "workspace", "limit", "cursor");
    static final int DEFAULT_LIMIT = 50;

    private AuditRoutes() {
    }

    public static void routes(RoutesConfig routes, AuditLog log, Workspaces workspaces, Authenticator auth,
                              HttpsPolicy https) {
        routes.get(LIST, ctx -> {
            AdminAccess.ownerOfEverything(ctx, https, auth);
            QueryParams.known(ctx, PARAMS, "the audit log takes " + String.join(", ", PARAMS));
            Instant from = QueryParams.instant(ctx, "from"), to = QueryParams.instant(ctx, "to");
            ActorFilter actor = actor(ctx.queryParam("actor"));
            String asked = ctx.queryParam("workspace");
            String workspace = asked == null || asked.isBlank() ? null : Lookups.found(() -> workspaces.require(asked.strip()).id());
            Page<AuditEntry> page = log.search(new AuditQuery(from, to, actor.kind(), actor.id(), action(ctx.queryParam("action")), workspace,
                    cursor(ctx.queryParam("cursor")), QueryParams.limit(ctx, DEFAULT_LIMIT, AuditQuery.MAX_LIMIT)));
            Map<String, Object> body = new LinkedHashMap<>();
            body.put("data", page.items().stream().map(AuditRoutes::view).toList());
            body.put("next_cursor", page.nextCursor());
            body.put("request_id", Responses.requestId(ctx));
            Responses.json(ctx, 200, body);
        });
    }

    static Map<String, Object> view(AuditEntry e) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("id", e.id());
        m.put("at", e.at().toString());
        Map<String, Object> actor = new LinkedHashMap<>();
        actor.put("kind", e.actor().kind().wireName());
        actor.put("id", e.actor().id());
        actor.put("label", e.actor().label());
        m.put("actor", actor);
        m.put("client_address", e.clientAddress());
        m.put("request_id", e.requestId());
        m.put("workspace_id", e.workspaceId());
        m.put("action", e.action());
        Map<String, Object> target = null;
        if (e.target() != null) {
            target = new LinkedHashMap<>();
            target.put("kind", e.target().kind());
            target.put("id", e.target().id());
        }
        m.put("target", target);
        m.put("detail", e.detail());
        return m;
    }

    /** Every actor (both null), every actor of a kind (id null), or one actor. */
    private record ActorFilter(Actor.Kind kind, String id) {
    }

    /** {@code administrator}, {@code token}, {@code user}, or one actor: {@code token:tok_…}, {@code user:usr_…}. */
    private static ActorFilter actor(String v) {
        if (v == null || v.isBlank()) return new ActorFilter(null, null);
        String[] parts = v.strip().split(":", 2);
        Actor.Kind kind = Actor.Kind.fromWireName(parts[0]).orElse(null);
        if (kind == null || (parts.length == 2 && parts[1].isBlank())) {
            throw ApiException.invalidParameter("actor", "actor must be a kind (" + Arrays.stream(Actor.Kind.values())
                    .map(Actor.Kind::wireName).collect(Collectors.joining(", ")) + ") or KIND:ID, e.g. token:tok_01J…");
        }
        return new ActorFilter(kind, parts.length == 2 ? parts[1].strip() : null);
    }

    private static String action(String v) {
        if (v == null || v.isBlank()) return null;
        String a = v.strip();
        if (!AuditQuery.ACTION_FILTER.matcher(a).matches()) {
            throw ApiException.invalidParameter("action", "action must be an action such as token.revoked, or a family"
                    + " of them such as destination.*");
        }
        return a;
    }

    private static AuditCursor cursor(String v) {
        if (v == null || v.isBlank()) return null;
        return AuditCursor.parse(v.strip()).orElseThrow(() ->
                ApiException.invalidParameter("cursor", "cursor must be a next_cursor value from a previous page"));
    }
}
