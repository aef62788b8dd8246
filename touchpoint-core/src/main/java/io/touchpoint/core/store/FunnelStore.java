package io.touchpoint.core.store;

import io.touchpoint.core.model.Funnel;

import java.time.Instant;
import java.util.List;
import java.util.Optional;

/** Funnels and their marks. */
public interface FunnelStore {
    void create(Funnel funnel);

    Optional<Funnel> byMark(String mark);

    Optional<Funnel> byId(String funnelId);

    List<Funnel> list(String workspaceId);

    /** @return false when no such funnel exists or it was already revoked */
    boolean revoke(String funnelId, Instant at);
}
