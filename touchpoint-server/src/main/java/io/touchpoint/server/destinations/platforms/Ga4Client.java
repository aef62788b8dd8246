package io.touchpoint.server.destinations.platforms;

import com.fasterxml.jackson.databind.JsonNode;
import io.touchpoint.core.destinations.Destination;
import io.touchpoint.core.destinations.Ga4Events;
import io.touchpoint.core.destinations.OutboxEntry;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;

/**
 * GA4's Measurement Protocol: one request per event (a request carries one client id), sent side by side. GA answers
 * 2xx even to what it drops, so "send a test event" asks its validation server instead, which lists what is wrong.
 */
public final class Ga4Client implements PlatformClient {
    public static final String HOST = "https://www.google-analytics.com";

    private final PlatformHttp http;

    public Ga4Client(PlatformHttp http) {
        this.http = http;
    }

    @Override
    public List<SendResult> send(Destination d, Map<String, String> secrets, List<OutboxEntry> entries) {
        return Parallel.each(entries, e -> {
            PlatformHttp.Answer a = post(d, secrets, e, "/mp/collect");
            if (a.ok()) return SendResult.sent(e.id(), a.status(), a.summary());
            if (PlatformHttp.transientStatus(a.status())) return SendResult.retry(e.id(), a.status(), a.summary(), a.retryAfter().orElse(null));
            return SendResult.failed(e.id(), a.status(), a.summary());
        });
    }

    @Override
    public SendResult test(Destination d, Map<String, String> secrets, OutboxEntry sample) {
        PlatformHttp.Answer a = post(d, secrets, sample, "/debug/mp/collect");
        JsonNode messages = a.json() == null ? null : a.json().path("validationMessages");
        if (a.ok() && (messages == null || messages.isEmpty())) return SendResult.sent(sample.id(), a.status(), a.summary());
        return SendResult.failed(sample.id(), a.status(), a.summary());
    }

    private PlatformHttp.Answer post(Destination d, Map<String, String> secrets, OutboxEntry e, String path) {
        String base = d.baseUrl() != null ? d.baseUrl() : HOST;
        String url = base + path + "?measurement_id=" + URLEncoder.encode(d.setting("measurement_id"), StandardCharsets.UTF_8)
                + "&api_secret=" + URLEncoder.encode(secrets.get("api_secret"), StandardCharsets.UTF_8);
        return http.postJson(url, Map.of(), Ga4Events.request(d, e));
    }
}
