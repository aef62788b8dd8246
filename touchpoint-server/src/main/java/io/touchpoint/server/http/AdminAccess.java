package io.touchpoint.server.http;

import io.javalin.http.Context;
import io.touchpoint.core.admin.Workspaces;
import io.touchpoint.core.model.Role;
import io.touchpoint.core.model.Workspace;
import io.touchpoint.server.http.Authenticator.Principal;

import java.util.Optional;
import java.util.function.Supplier;

/**
 * Who may change things: the administrator (by token or dashboard session), who owns every workspace, or a signed-in
 * user whose role allows it in the workspace concerned, over HTTPS when HTTPS is required. The HTTPS check comes
 * first so that a credential is never read from a plain-HTTP request that should have been refused. A workspace's
 * settings, tokens, funnels, destinations and data need {@link Role#ADMIN}; what concerns no one workspace (creating
 * workspaces, managing users) needs an owner of every workspace.
 */
public final class AdminAccess {
    private AdminAccess() {
    }

    /** The administrator or a signed-in user (401 for anyone else), and plain HTTP refused where HTTPS is required. */
    public static Principal signedIn(Context ctx, HttpsPolicy https, Authenticator auth) {
        https.check(ctx);
        return auth.adminOrUser(ctx);
    }

    /** {@link #signedIn}, and an owner of every workspace (403 otherwise): for what concerns no one workspace. */
    public static Principal ownerOfEverything(Context ctx, HttpsPolicy https, Authenticator auth) {
        Principal p = signedIn(ctx, https, auth);
        if (!p.ownsEverything()) {
            throw ApiException.permission("role_insufficient", "this needs an owner of every workspace");
        }
        return p;
    }

    /** {@link #signedIn}, then the workspace the path names ({@code {workspace}}: its id or name, 404 when none), of which the caller must be an admin. */
    public static Workspace workspace(Context ctx, HttpsPolicy https, Authenticator auth, Workspaces workspaces) {
        Principal p = signedIn(ctx, https, auth);
        Workspace w = Lookups.found(() -> workspaces.require(ctx.pathParam("workspace")));
        require(p, w.id(), Role.ADMIN);
        RequestAudit.workspace(ctx, w.id());
        return w;
    }

    /**
     * {@link #signedIn}, then the id of the workspace that holds what the path names, found by {@code workspaceOf}
     * (404 when it names nothing), of which the caller must be an admin.
     */
    public static String workspaceOf(Context ctx, HttpsPolicy https, Authenticator auth, Supplier<String> workspaceOf) {
        Principal p = signedIn(ctx, https, auth);
        String id = Lookups.found(workspaceOf);
        require(p, id, Role.ADMIN);
        RequestAudit.workspace(ctx, id);
        return id;
    }

    /**
     * {@link #signedIn}, then the workspace {@code ?workspace=} names (its id or name), of which the caller must be an
     * admin; naming none means every workspace, for an admin of every one: null.
     */
    public static String namedWorkspaceOrAll(Context ctx, HttpsPolicy https, Authenticator auth, Workspaces workspaces) {
        Principal p = signedIn(ctx, https, auth);
        return namedOrAll(ctx, p, workspaces, Role.ADMIN).orElse(null);
    }

    /** The workspace {@code ?workspace=} names, in which {@code p} needs {@code needed}; empty (every workspace) when it names none. */
    static Optional<String> namedOrAll(Context ctx, Principal p, Workspaces workspaces, Role needed) {
        String asked = ctx.queryParam("workspace");
        if (asked == null || asked.isBlank()) {
            if (!p.everyWorkspace()) {
                throw ApiException.invalidParameter("workspace", "name the workspace with ?workspace=: your role holds "
                        + "in some workspaces only");
            }
            require(p, p.admin() ? Role.OWNER : p.user().role(), needed);
            return Optional.empty();
        }
        String id = Lookups.found(() -> workspaces.require(asked).id());
        require(p, id, needed);
        return Optional.of(id);
    }

    /** Refuses (403) a caller whose role in the workspace does not include {@code needed}, or who has none there. */
    public static void require(Principal p, String workspaceId, Role needed) {
        Role role = p.roleIn(workspaceId).orElseThrow(() -> ApiException.permission("workspace_forbidden",
                "you have no access to workspace " + workspaceId));
        require(p, role, needed);
    }

    private static void require(Principal p, Role held, Role needed) {
        if (!held.includes(needed)) {
            throw ApiException.permission("role_insufficient", "your role there, " + held.wireName() + ", cannot do this; "
                    + "it needs " + needed.wireName() + (needed == Role.OWNER ? "" : " or owner"));
        }
    }
}
