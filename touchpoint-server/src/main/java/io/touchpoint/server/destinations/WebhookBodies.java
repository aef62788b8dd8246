package io.touchpoint.server.destinations;

import io.touchpoint.core.destinations.OutboxEntry;
import io.touchpoint.core.store.Store;
import io.touchpoint.server.attribution.Receipts;

import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * What a webhook receives for a conversion: the canonical event as enriched, its profile, and its attribution
 * receipt (the touchpoints of its path and each one's credit under every rule-based model).
 */
final class WebhookBodies {
    private final Store store;

    WebhookBodies(Store store) {
        this.store = store;
    }

    Map<String, Object> body(OutboxEntry e, boolean test) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("id", e.dedupKey());
        m.put("type", test ? "test" : "conversion");
        m.put("created_at", Instant.now());
        m.put("event", e.event());
        m.put("profile_id", e.profileId());
        m.put("enriched_fields", e.enrichedFields());
        m.put("attribution", test ? null : store.attribution().receipt(e.workspaceId(), e.eventId()).map(Receipts::view).orElse(null));
        return m;
    }
}
