package io.touchpoint.server.destinations.platforms;

import com.fasterxml.jackson.databind.JsonNode;
import io.touchpoint.core.destinations.Destination;
import io.touchpoint.core.destinations.MetaEvents;
import io.touchpoint.core.destinations.OutboxEntry;

import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Meta's Conversions API: up to 1,000 events a request to {@code /{version}/{pixel id}/events}. Meta refuses a whole
 * request for one malformed event, so a refused batch is split in halves until the bad event stands alone and goes
 * to the dead letters while the rest are sent. Rate limits, Meta's transient errors and a refused token are retried.
 */
public final class MetaClient implements PlatformClient {
    public static final String API_VERSION = "v24.0";
    public static final String HOST = "https://graph.facebook.com";
    /** Meta's throttling codes: application, user, page and ads-management limits. */
    private static final Set<Integer> RATE_LIMITS = Set.of(4, 17, 32, 613, 80004);
    /** A token that is invalid, expired or lacks permission: fixed by the user, so worth retrying until then. */
    private static final Set<Integer> AUTH = Set.of(102, 190, 10, 200);
    private static final Duration RATE_LIMIT_WAIT = Duration.ofSeconds(60);

    private final PlatformHttp http;

    public MetaClient(PlatformHttp http) {
        this.http = http;
    }

    @Override
    public List<SendResult> send(Destination d, Map<String, String> secrets, List<OutboxEntry> entries) {
        return sendSplitting(d, secrets, entries);
    }

    @Override
    public SendResult test(Destination d, Map<String, String> secrets, OutboxEntry sample) {
        return sendSplitting(d, secrets, List.of(sample)).get(0);
    }

    private List<SendResult> sendSplitting(Destination d, Map<String, String> secrets, List<OutboxEntry> entries) {
        Map<String, Object> body = new LinkedHashMap<>(MetaEvents.request(d, entries));
        body.put("access_token", secrets.get("access_token"));
        String base = d.baseUrl() != null ? d.baseUrl() : HOST;
        PlatformHttp.Answer a = http.postJson(base + "/" + API_VERSION + "/" + d.setting("pixel_id") + "/events", Map.of(), body);
        if (a.ok()) return each(entries, e -> SendResult.sent(e.id(), a.status(), a.summary()));
        JsonNode error = a.json() == null ? null : a.json().get("error");
        int code = error == null ? -1 : error.path("code").asInt(-1);
        boolean metaTransient = error != null && error.path("is_transient").asBoolean(false);
        if (RATE_LIMITS.contains(code)) {
            Duration wait = a.retryAfter().orElse(RATE_LIMIT_WAIT);
            return each(entries, e -> SendResult.retry(e.id(), a.status(), a.summary(), wait));
        }
        if (PlatformHttp.transientStatus(a.status()) || metaTransient || AUTH.contains(code) || code == 1 || code == 2) {
            return each(entries, e -> SendResult.retry(e.id(), a.status(), a.summary(), a.retryAfter().orElse(null)));
        }
        if (entries.size() > 1) {
            List<SendResult> out = new ArrayList<>(sendSplitting(d, secrets, entries.subList(0, entries.size() / 2)));
            out.addAll(sendSplitting(d, secrets, entries.subList(entries.size() / 2, entries.size())));
            return out;
        }
        return List.of(SendResult.failed(entries.get(0).id(), a.status(), a.summary()));
    }

    static List<SendResult> each(List<OutboxEntry> entries, java.util.function.Function<OutboxEntry, SendResult> f) {
        return entries.stream().map(f).toList();
    }
}
