package io.touchpoint.core.model;

import java.time.Instant;
import java.util.Set;

/** A stored API token: never the secret itself, only its hash (kept by the store) and a visible prefix. */
public record ApiToken(String id, String workspaceId, String name, String prefix, Set<Scope> scopes,
                       Instant createdAt, Instant lastUsedAt, Instant revokedAt) {
    public ApiToken {
        scopes = Set.copyOf(scopes);
    }

    public boolean revoked() {
        return revokedAt != null;
    }
}
