package io.touchpoint.server.http;

import io.javalin.http.Context;
import io.touchpoint.core.admin.Workspaces;
import io.touchpoint.core.model.Role;
import io.touchpoint.core.model.Scope;

import java.util.Optional;

/**
 * Who may read a workspace's data: a token of that workspace with the read scope, the administrator (by token or
 * dashboard session), or a signed-in user with a role in it; the administrator and users name the workspace with
 * {@code ?workspace=} (its id or name). A token may name its own workspace; a blank {@code ?workspace=} names none.
 * The few reads that change data (an erasure, an unmerge, a recompute) need a user to be an admin of the workspace.
 */
public final class ReadAccess {
    private ReadAccess() {
    }

    /** The id of the workspace the caller reads; the administrator and users must name it (400 otherwise). */
    public static String workspace(Context ctx, Authenticator auth, Workspaces workspaces) {
        return named(ctx, auth, workspaces, Role.ANALYST);
    }

    /** As {@link #workspace}, for a route that changes the workspace's data: a user must be an admin of it. */
    public static String workspaceToChange(Context ctx, Authenticator auth, Workspaces workspaces) {
        return named(ctx, auth, workspaces, Role.ADMIN);
    }

    /** As {@link #workspace}, except that a caller of every workspace naming none reads every workspace: empty. */
    public static Optional<String> workspaceOrAll(Context ctx, Authenticator auth, Workspaces workspaces) {
        return resolve(ctx, auth, workspaces, Role.ANALYST);
    }

    private static String named(Context ctx, Authenticator auth, Workspaces workspaces, Role needed) {
        return resolve(ctx, auth, workspaces, needed).orElseThrow(() -> ApiException.invalidParameter("workspace",
                "the administrator names the workspace with ?workspace="));
    }

    /** The workspace read, noted on the request for its audit entry (a change made through a read route). */
    private static Optional<String> resolve(Context ctx, Authenticator auth, Workspaces workspaces, Role needed) {
        Optional<String> ws = chosen(ctx, auth, workspaces, needed);
        ws.ifPresent(id -> RequestAudit.workspace(ctx, id));
        return ws;
    }

    private static Optional<String> chosen(Context ctx, Authenticator auth, Workspaces workspaces, Role needed) {
        Authenticator.Principal p = auth.adminOrWorkspaceToken(ctx);
        Authenticator.requireScope(p, Scope.READ);
        if (p.token() == null) return AdminAccess.namedOrAll(ctx, p, workspaces, needed);
        String asked = ctx.queryParam("workspace");
        boolean named = asked != null && !asked.isBlank();
        String own = p.workspace().id();
        if (named && !asked.equals(own) && !asked.equals(p.workspace().name())) {
            throw ApiException.permission("wrong_workspace", "this token can only read its own workspace");
        }
        return Optional.of(own);
    }
}
