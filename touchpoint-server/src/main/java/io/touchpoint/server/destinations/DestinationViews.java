package io.touchpoint.server.destinations;

import io.touchpoint.core.destinations.Delivery;
import io.touchpoint.core.destinations.DeliveryAttempt;
import io.touchpoint.core.destinations.DeliveryStatus;
import io.touchpoint.core.destinations.Destination;
import io.touchpoint.core.destinations.DestinationStats;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** The JSON forms of destinations and deliveries. A secret setting appears only as its hint ("…f3a9"). */
public final class DestinationViews {
    private DestinationViews() {
    }

    public static Map<String, Object> destination(Destination d, Map<String, String> hints, DestinationStats stats) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("id", d.id());
        m.put("workspace_id", d.workspaceId());
        m.put("type", d.type().wireName());
        m.put("name", d.name());
        m.put("settings", new LinkedHashMap<>(new java.util.TreeMap<>(d.settings())));
        m.put("secrets", hints);
        m.put("events", d.events());
        m.put("event_map", d.eventMap());
        m.put("mode", d.mode().wireName());
        m.put("model", d.model().wireName());
        m.put("base_url", d.baseUrl());
        m.put("enabled", d.enabled());
        m.put("created_at", d.createdAt());
        m.put("updated_at", d.updatedAt());
        if (stats != null) m.put("stats", stats(stats));
        return m;
    }

    static Map<String, Object> stats(DestinationStats s) {
        Map<String, Object> m = new LinkedHashMap<>();
        for (DeliveryStatus status : DeliveryStatus.values()) m.put(status.wireName(), s.count(status));
        m.put("last_error", s.lastError());
        m.put("last_error_at", s.lastErrorAt());
        m.put("last_sent_at", s.lastSentAt());
        m.put("oldest_open_at", s.oldestOpenAt());
        return m;
    }

    /** One delivery as the events log, the receipt and the destination's page show it. */
    public static Map<String, Object> delivery(Delivery d) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("destination_id", d.destinationId());
        m.put("type", d.type() == null ? null : d.type().wireName());
        m.put("destination_name", d.destinationName());
        m.put("event_id", d.eventId());
        m.put("status", d.status().wireName());
        m.put("reason", d.reason());
        m.put("attempts", d.attempts());
        m.put("last_status_code", d.lastStatusCode() == 0 ? null : d.lastStatusCode());
        m.put("response", d.response());
        m.put("enriched_fields", d.enrichedFields());
        m.put("created_at", d.createdAt());
        m.put("next_attempt_at", d.status().open() ? d.nextAttemptAt() : null);
        m.put("sent_at", d.sentAt());
        m.put("outbox_id", d.outboxId());
        return m;
    }

    public static List<Map<String, Object>> deliveries(List<Delivery> list) {
        return list == null ? List.of() : list.stream().map(DestinationViews::delivery).toList();
    }

    public static Map<String, Object> attempt(DeliveryAttempt a) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("attempted_at", a.attemptedAt());
        m.put("status_code", a.statusCode() == 0 ? null : a.statusCode());
        m.put("response", a.response());
        m.put("outcome", a.outcome().wireName());
        m.put("reason", a.reason());
        m.put("next_attempt_at", a.nextAttemptAt());
        return m;
    }
}
