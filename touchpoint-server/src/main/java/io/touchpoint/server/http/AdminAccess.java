package io.touchpoint.server.http;

import io.javalin.http.Context;
import io.touchpoint.core.admin.Workspaces;
import io.touchpoint.core.model.Workspace;

/**
 * Who may change things: the administrator (by token or dashboard session) over HTTPS when HTTPS is required. The
 * HTTPS check comes first so that a token is never read from a plain-HTTP request that should have been refused.
 */
public final class AdminAccess {
    private AdminAccess() {
    }

    /** Refuses anyone but the administrator (401/403), and plain HTTP where HTTPS is required. */
    public static void check(Context ctx, HttpsPolicy https, Authenticator auth) {
        https.check(ctx);
        auth.admin(ctx);
    }

    /** {@link #check}, then the workspace the path names ({@code {workspace}}: its id or name), 404 when none. */
    public static Workspace workspace(Context ctx, HttpsPolicy https, Authenticator auth, Workspaces workspaces) {
        check(ctx, https, auth);
        Workspace w = Lookups.found(() -> workspaces.require(ctx.pathParam("workspace")));
        RequestAudit.workspace(ctx, w.id());
        return w;
    }
}
