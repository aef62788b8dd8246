package io.touchpoint.core.model;

import java.time.Instant;

/**
 * A funnel of a workspace, the Able dialect's unit: its {@code mark} (a long random string) selects the
 * workspace and funnel of an inbound webhook, and stops working once revoked.
 */
public record Funnel(String id, String workspaceId, String name, String mark, Instant createdAt, Instant revokedAt) {
    public boolean revoked() {
        return revokedAt != null;
    }
}
