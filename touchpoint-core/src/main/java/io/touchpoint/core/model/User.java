package io.touchpoint.core.model;

import java.time.Instant;
import java.util.Optional;
import java.util.Set;

/**
 * A dashboard user: a lower-cased e-mail, one role held in the workspaces listed (or in every workspace, those created
 * later included), and when a password was last set (null while the invitation is not accepted). The password's hash
 * is kept by the store and never travels with the user.
 */
public record User(String id, String email, Role role, boolean allWorkspaces, Set<String> workspaceIds,
                   Instant createdAt, Instant passwordSetAt) {
    public User {
        workspaceIds = allWorkspaces ? Set.of() : Set.copyOf(workspaceIds);
    }

    /** Whether the user has chosen a password (accepted the invitation), so may sign in. */
    public boolean active() {
        return passwordSetAt != null;
    }

    /** The user's role in the workspace, or empty when it is not theirs. */
    public Optional<Role> roleIn(String workspaceId) {
        return allWorkspaces || workspaceIds.contains(workspaceId) ? Optional.of(role) : Optional.empty();
    }

    /** Whether this user is an owner of every workspace: who may manage users and create workspaces. */
    public boolean ownsEverything() {
        return role == Role.OWNER && allWorkspaces;
    }

    public User withAccess(Role newRole, boolean all, Set<String> workspaces) {
        return new User(id, email, newRole, all, workspaces, createdAt, passwordSetAt);
    }
}
