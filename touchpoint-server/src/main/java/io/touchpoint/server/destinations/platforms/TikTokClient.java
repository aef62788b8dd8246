package io.touchpoint.server.destinations.platforms;

import com.fasterxml.jackson.databind.JsonNode;
import io.touchpoint.core.destinations.Destination;
import io.touchpoint.core.destinations.OutboxEntry;
import io.touchpoint.core.destinations.TikTokEvents;

import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * TikTok's Events API 2.0: up to 1,000 events a request. TikTok answers HTTP 200 with a non-zero {@code code} when it
 * refuses a request; a refused parameter is isolated by splitting the batch as for Meta, while rate limits, refused
 * tokens and TikTok's own faults are retried.
 */
public final class TikTokClient implements PlatformClient {
    public static final String HOST = "https://business-api.tiktok.com";
    public static final String PATH = "/open_api/v1.3/event/track/";
    /** Too many requests. */
    private static final Set<Integer> RATE_LIMITS = Set.of(40100, 40016);
    /** Token missing, invalid, expired or without permission: fixed by the user. */
    private static final Set<Integer> AUTH = Set.of(40001, 40102, 40104, 40105, 40106);
    private static final Duration RATE_LIMIT_WAIT = Duration.ofSeconds(30);

    private final PlatformHttp http;

    public TikTokClient(PlatformHttp http) {
        this.http = http;
    }

    @Override
    public List<SendResult> send(Destination d, Map<String, String> secrets, List<OutboxEntry> entries) {
        Map<String, Object> body = new LinkedHashMap<>(TikTokEvents.request(d, entries));
        String base = d.baseUrl() != null ? d.baseUrl() : HOST;
        PlatformHttp.Answer a = http.postJson(base + PATH, Map.of("Access-Token", secrets.get("access_token")), body);
        JsonNode j = a.json();
        int code = j == null ? -1 : j.path("code").asInt(-1);
        if (a.ok() && code == 0) return MetaClient.each(entries, e -> SendResult.sent(e.id(), a.status(), a.summary()));
        if (RATE_LIMITS.contains(code)) {
            return MetaClient.each(entries, e -> SendResult.retry(e.id(), a.status(), a.summary(), a.retryAfter().orElse(RATE_LIMIT_WAIT)));
        }
        if (PlatformHttp.transientStatus(a.status()) || AUTH.contains(code) || code >= 50000 || (a.ok() && j == null)) {
            return MetaClient.each(entries, e -> SendResult.retry(e.id(), a.status(), a.summary(), a.retryAfter().orElse(null)));
        }
        if (entries.size() > 1) {
            List<SendResult> out = new ArrayList<>(send(d, secrets, entries.subList(0, entries.size() / 2)));
            out.addAll(send(d, secrets, entries.subList(entries.size() / 2, entries.size())));
            return out;
        }
        return List.of(SendResult.failed(entries.get(0).id(), a.status(), a.summary()));
    }

    @Override
    public SendResult test(Destination d, Map<String, String> secrets, OutboxEntry sample) {
        return send(d, secrets, List.of(sample)).get(0);
    }
}
