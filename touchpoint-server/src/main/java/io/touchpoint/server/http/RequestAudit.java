package io.touchpoint.server.http;

import io.javalin.http.Context;
import io.touchpoint.core.audit.Actor;

import java.util.Optional;

/**
 * What a request's audit entry needs that only the steps it went through know, noted on the request as they learn
 * it: who the caller is (the authenticator), which workspace it acted on (the access guards), and the body it sent
 * (read once by {@link Bodies}, so the audit trail can name the fields a change set without reading it again).
 */
public final class RequestAudit {
    private static final String ACTOR = "touchpoint.audit.actor";
    private static final String WORKSPACE = "touchpoint.audit.workspace";
    private static final String BODY = "touchpoint.audit.body";

    private RequestAudit() {
    }

    public static void actor(Context ctx, Actor actor) {
        ctx.attribute(ACTOR, actor);
    }

    public static Optional<Actor> actorOf(Context ctx) {
        return Optional.ofNullable(ctx.attribute(ACTOR));
    }

    public static void workspace(Context ctx, String workspaceId) {
        ctx.attribute(WORKSPACE, workspaceId);
    }

    public static Optional<String> workspaceOf(Context ctx) {
        return Optional.ofNullable(ctx.attribute(WORKSPACE));
    }

    static void body(Context ctx, String text) {
        ctx.attribute(BODY, text);
    }

    /** The body text the request sent, when a route read it. */
    public static Optional<String> bodyOf(Context ctx) {
        return Optional.ofNullable(ctx.attribute(BODY));
    }
}
