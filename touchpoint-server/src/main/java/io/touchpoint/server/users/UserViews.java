package io.touchpoint.server.users;

import io.touchpoint.core.model.User;
import io.touchpoint.core.users.Users;

import java.util.LinkedHashMap;
import java.util.Map;

/** Users as the admin API and the command line show them: never a password hash or a link's token hash. */
public final class UserViews {
    /** The dashboard page a link opens; its last path segment is the link's token. */
    public static final String INVITE_PAGE = "/invite/";

    private UserViews() {
    }

    public static Map<String, Object> user(User u) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("id", u.id());
        m.put("email", u.email());
        m.put("role", u.role().wireName());
        m.put("workspaces", u.allWorkspaces() ? "all" : u.workspaceIds().stream().sorted().toList());
        m.put("status", u.active() ? "active" : "invited");
        m.put("created_at", u.createdAt().toString());
        m.put("password_set_at", u.passwordSetAt() == null ? null : u.passwordSetAt().toString());
        return m;
    }

    /** The invitation or reset link for a dashboard reached at {@code baseUrl}. */
    public static String link(String baseUrl, Users.Invitation invitation) {
        return baseUrl + INVITE_PAGE + invitation.token();
    }
}
