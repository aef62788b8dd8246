package io.touchpoint.server.destinations.platforms;

import com.fasterxml.jackson.databind.JsonNode;
import io.touchpoint.core.destinations.Destination;
import io.touchpoint.core.destinations.GoogleAdsConversions;
import io.touchpoint.core.destinations.OutboxEntry;
import io.touchpoint.core.auth.Secrets;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Google Ads click conversions through the REST {@code uploadClickConversions} method with partial failure on, so
 * one refused conversion fails alone: the answer's failure details name the refused ones by index. The access token
 * comes from the OAuth refresh token and is kept until shortly before it expires.
 */
public final class GoogleAdsClient implements PlatformClient {
    public static final String API_VERSION = "v22";
    public static final String ADS_HOST = "https://googleads.googleapis.com";
    public static final String OAUTH_HOST = "https://oauth2.googleapis.com";

    private final PlatformHttp http;
    private final Clock clock;
    private final Map<String, Token> tokens = new ConcurrentHashMap<>();

    private record Token(String value, Instant expires) {
    }

    public GoogleAdsClient(PlatformHttp http, Clock clock) {
        this.http = http;
        this.clock = clock;
    }

    @Override
    public List<SendResult> send(Destination d, Map<String, String> secrets, List<OutboxEntry> entries) {
        return upload(d, secrets, entries, false);
    }

    @Override
    public SendResult test(Destination d, Map<String, String> secrets, OutboxEntry sample) {
        return upload(d, secrets, List.of(sample), true).get(0);
    }

    private List<SendResult> upload(Destination d, Map<String, String> secrets, List<OutboxEntry> entries, boolean validateOnly) {
        String key = d.id() + ":" + Secrets.sha256Hex(secrets.getOrDefault("refresh_token", ""));
        Token token = tokens.get(key);
        if (token == null || token.expires.isBefore(clock.instant())) {
            PlatformHttp.Answer t = refresh(d, secrets);
            JsonNode j = t.json();
            if (!t.ok() || j == null || !j.hasNonNull("access_token")) {
                // a refused refresh token or client is fixed by the user; retried until then, then dead
                return MetaClient.each(entries, e -> SendResult.retry(e.id(), t.status(), "OAuth token refresh: " + t.summary(),
                        t.retryAfter().orElse(null)));
            }
            token = new Token(j.get("access_token").asText(), clock.instant().plusSeconds(Math.max(60, j.path("expires_in").asLong(3600) - 60)));
            tokens.put(key, token);
        }
        Map<String, Object> body = new LinkedHashMap<>(GoogleAdsConversions.request(d, entries));
        if (validateOnly) body.put("validateOnly", true);
        Map<String, String> headers = new HashMap<>();
        headers.put("Authorization", "Bearer " + token.value);
        headers.put("developer-token", secrets.get("developer_token"));
        if (d.setting("login_customer_id") != null) {
            headers.put("login-customer-id", GoogleAdsConversions.customerId(d.setting("login_customer_id")));
        }
        String base = d.baseUrl() != null ? d.baseUrl() : ADS_HOST;
        PlatformHttp.Answer a = http.postJson(base + "/" + API_VERSION + "/customers/"
                + GoogleAdsConversions.customerId(d.setting("customer_id")) + ":uploadClickConversions", headers, body);
        if (a.status() == 401) tokens.remove(key);
        if (PlatformHttp.transientStatus(a.status()) || a.status() == 401 || a.status() == 403) {
            return MetaClient.each(entries, e -> SendResult.retry(e.id(), a.status(), a.summary(), a.retryAfter().orElse(null)));
        }
        if (!a.ok()) return MetaClient.each(entries, e -> SendResult.failed(e.id(), a.status(), a.summary()));
        return partial(entries, a);
    }

    /** Sent, except the conversions the partial-failure details name by index. */
    private static List<SendResult> partial(List<OutboxEntry> entries, PlatformHttp.Answer a) {
        JsonNode root = a.json();
        Map<Integer, List<String>> failures = new HashMap<>();
        JsonNode details = root == null ? null : root.path("partialFailureError").path("details");
        if (details != null && details.isArray()) {
            for (JsonNode detail : details) {
                for (JsonNode error : detail.path("errors")) {
                    int index = -1;
                    for (JsonNode el : error.path("location").path("fieldPathElements")) {
                        if ("conversions".equals(el.path("fieldName").asText())) index = el.path("index").asInt(-1);
                    }
                    String code = error.path("errorCode").toString();
                    failures.computeIfAbsent(index, i -> new ArrayList<>()).add(code + " " + error.path("message").asText());
                }
            }
        }
        JsonNode results = root == null ? null : root.path("results");
        List<SendResult> out = new ArrayList<>();
        for (int i = 0; i < entries.size(); i++) {
            OutboxEntry e = entries.get(i);
            List<String> f = failures.get(i);
            if (f == null && failures.containsKey(-1) && failures.size() == 1) f = failures.get(-1);
            if (f != null) {
                out.add(SendResult.failed(e.id(), a.status(), "partial failure: " + String.join("; ", f)));
            } else {
                JsonNode r = results != null && results.has(i) ? results.get(i) : null;
                out.add(SendResult.sent(e.id(), a.status(), r == null ? a.summary() : r.toString()));
            }
        }
        return out;
    }

    private PlatformHttp.Answer refresh(Destination d, Map<String, String> secrets) {
        String base = d.baseUrl() != null ? d.baseUrl() : OAUTH_HOST;
        String form = "grant_type=refresh_token&client_id=" + enc(d.setting("client_id")) + "&client_secret="
                + enc(secrets.get("client_secret")) + "&refresh_token=" + enc(secrets.get("refresh_token"));
        return http.post(base + "/token", Map.of(), "application/x-www-form-urlencoded", form);
    }

    private static String enc(String s) {
        return URLEncoder.encode(s == null ? "" : s, StandardCharsets.UTF_8);
    }
}
