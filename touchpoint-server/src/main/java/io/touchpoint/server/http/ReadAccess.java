package io.touchpoint.server.http;

import io.javalin.http.Context;
import io.touchpoint.core.admin.Workspaces;
import io.touchpoint.core.model.Scope;

import java.util.Optional;

/**
 * Who may read a workspace's data: a token of that workspace with the read scope, or the administrator (by token or
 * dashboard session), who names the workspace with {@code ?workspace=} (its id or name). A token may name its own
 * workspace; a blank {@code ?workspace=} names none.
 */
public final class ReadAccess {
    private ReadAccess() {
    }

    /** The id of the workspace the caller reads; the administrator must name it (400 otherwise). */
    public static String workspace(Context ctx, Authenticator auth, Workspaces workspaces) {
        return workspaceOrAll(ctx, auth, workspaces).orElseThrow(() -> ApiException.invalidParameter("workspace",
                "the administrator names the workspace with ?workspace="));
    }

    /** As {@link #workspace}, except that the administrator naming none reads every workspace: empty. */
    public static Optional<String> workspaceOrAll(Context ctx, Authenticator auth, Workspaces workspaces) {
        Optional<String> ws = chosen(ctx, auth, workspaces);
        ws.ifPresent(id -> RequestAudit.workspace(ctx, id));
        return ws;
    }

    private static Optional<String> chosen(Context ctx, Authenticator auth, Workspaces workspaces) {
        Authenticator.Principal p = auth.adminOrWorkspaceToken(ctx);
        Authenticator.requireScope(p, Scope.READ);
        String asked = ctx.queryParam("workspace");
        boolean named = asked != null && !asked.isBlank();
        if (p.admin()) {
            if (!named) return Optional.empty();
            return Optional.of(Lookups.found(() -> workspaces.require(asked).id()));
        }
        String own = p.workspace().id();
        if (named && !asked.equals(own) && !asked.equals(p.workspace().name())) {
            throw ApiException.permission("wrong_workspace", "this token can only read its own workspace");
        }
        return Optional.of(own);
    }
}
