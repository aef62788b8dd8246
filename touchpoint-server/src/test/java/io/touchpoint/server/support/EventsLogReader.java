package io.touchpoint.server.support;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/** Reads the whole events log of a workspace through the HTTP API, whatever the store behind it. */
public final class EventsLogReader {
    private EventsLogReader() {
    }

    /**
     * Every accepted entry of the workspace, as event id to the idempotency key in its payload (null when
     * it had none), paging newest first with the administrator token.
     */
    public static Map<String, String> acceptedEvents(HttpTestClient http, String adminToken, String workspace) {
        Map<String, String> events = new HashMap<>();
        String cursor = null;
        for (int page = 0; ; page++) {
            if (page > 100_000) throw new AssertionError("the events log never ends");
            String path = "/api/v1/events-log?outcome=accepted&limit=500&workspace="
                    + URLEncoder.encode(workspace, StandardCharsets.UTF_8) + (cursor == null ? "" : "&cursor=" + cursor);
            HttpTestClient.Response r = http.get(path, adminToken);
            if (r.status() != 200) throw new AssertionError("GET " + path + " -> " + r.status() + " " + r.body());
            @SuppressWarnings("unchecked") List<Map<String, Object>> data = (List<Map<String, Object>>) r.json().get("data");
            for (Map<String, Object> e : data) {
                String key = (String) HttpTestClient.parse(String.valueOf(e.get("payload"))).get("idempotency_key");
                events.put((String) e.get("event_id"), key);
            }
            Object next = r.json().get("next_cursor");
            if (next == null || data.isEmpty()) return events;
            cursor = String.valueOf(next);
        }
    }
}
