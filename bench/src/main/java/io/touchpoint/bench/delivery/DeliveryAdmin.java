package io.touchpoint.bench.delivery;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The server's admin API as DeliveryBench uses it: connect the five destinations to the platform fakes
 * ({@code POST /admin/v1/workspaces/{ws}/destinations} with {@code base_url}), switch them on and off, remove them,
 * replay a time range. Plain JDK client; a handful of requests per run.
 */
final class DeliveryAdmin {
    private static final ObjectMapper JSON = new ObjectMapper();
    private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(5)).build();
    private final String baseUrl;
    private final String adminToken;

    DeliveryAdmin(String baseUrl, String adminToken) {
        this.baseUrl = baseUrl;
        this.adminToken = adminToken;
    }

    /** The five destinations, one per type, each pointed at its fake; answers their ids by type name. */
    Map<String, String> connectAll(String workspaceId, FakesProcess fakes, boolean enabled) {
        Map<String, String> ids = new LinkedHashMap<>();
        for (String type : FakePlatforms.NAMES) {
            Map<String, Object> settings = switch (type) {
                case "meta" -> Map.of("pixel_id", FakePlatforms.META_PIXEL, "access_token", FakePlatforms.META_TOKEN);
                case "google_ads" -> Map.of("customer_id", FakePlatforms.GOOGLE_CUSTOMER,
                        "conversion_action", String.valueOf(FakePlatforms.GOOGLE_ACTION),
                        "developer_token", FakePlatforms.GOOGLE_DEVELOPER_TOKEN, "client_id", FakePlatforms.GOOGLE_CLIENT_ID,
                        "client_secret", FakePlatforms.GOOGLE_CLIENT_SECRET, "refresh_token", FakePlatforms.GOOGLE_REFRESH_TOKEN);
                case "tiktok" -> Map.of("pixel_code", FakePlatforms.TIKTOK_PIXEL, "access_token", FakePlatforms.TIKTOK_TOKEN);
                case "ga4" -> Map.of("measurement_id", FakePlatforms.GA4_MEASUREMENT, "api_secret", FakePlatforms.GA4_SECRET);
                case "webhook" -> Map.of("url", fakes.url("webhook") + FakePlatforms.WEBHOOK_PATH,
                        "secret", FakePlatforms.WEBHOOK_SECRET);
                default -> throw new IllegalArgumentException(type);
            };
            Map<String, Object> body = new LinkedHashMap<>();
            body.put("type", type);
            body.put("name", "bench " + type);
            body.put("settings", settings);
            if (!type.equals("webhook")) body.put("base_url", fakes.url(type));
            body.put("enabled", enabled);
            JsonNode created = send("POST", "/admin/v1/workspaces/" + workspaceId + "/destinations", body, 201);
            ids.put(type, created.get("id").asText());
        }
        return ids;
    }

    void setEnabled(Map<String, String> ids, boolean enabled) {
        for (String id : ids.values()) send("PATCH", "/admin/v1/destinations/" + id, Map.of("enabled", enabled), 200);
    }

    /** Removes the destinations (their outbox and ledger go with them), then lets their senders finish a batch in flight. */
    void deleteAll(Map<String, String> ids) throws InterruptedException {
        for (String id : ids.values()) send("DELETE", "/admin/v1/destinations/" + id, null, 200);
        Thread.sleep(3000);
    }

    /** Back to pending, due now, tries afresh, for the destination's entries whose event time is in [from, to). */
    long replayRange(String id, Instant from, Instant to) {
        return send("POST", "/admin/v1/destinations/" + id + "/replay", Map.of("from", from.toString(), "to", to.toString()), 200)
                .get("replayed").asLong();
    }

    private JsonNode send(String method, String path, Object body, int expected) {
        try {
            HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(baseUrl + path)).timeout(Duration.ofMinutes(5))
                    .header("Authorization", "Bearer " + adminToken).header("Accept", "application/json");
            if (body == null) {
                b.method(method, HttpRequest.BodyPublishers.noBody());
            } else {
                b.header("Content-Type", "application/json")
                        .method(method, HttpRequest.BodyPublishers.ofString(JSON.writeValueAsString(body)));
            }
            HttpResponse<String> r = http.send(b.build(), HttpResponse.BodyHandlers.ofString());
            if (r.statusCode() != expected) {
                throw new IllegalStateException(method + " " + path + " answered " + r.statusCode() + ": " + r.body());
            }
            return r.body().isBlank() ? JSON.createObjectNode() : JSON.readTree(r.body());
        } catch (IOException e) {
            throw new IllegalStateException(method + " " + path + " failed: " + e, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        }
    }
}
