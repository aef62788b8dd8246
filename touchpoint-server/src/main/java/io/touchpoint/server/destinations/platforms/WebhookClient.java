package io.touchpoint.server.destinations.platforms;

import io.touchpoint.core.destinations.Destination;
import io.touchpoint.core.destinations.OutboxEntry;
import io.touchpoint.core.destinations.WebhookSignature;
import io.touchpoint.server.http.Json;

import java.time.Clock;
import java.util.List;
import java.util.Map;
import java.util.function.BiFunction;

/**
 * A signed webhook: one POST per event, side by side, with an HMAC-SHA256 signature over the timestamp and body (the
 * receiver checks both, so a captured request cannot be replayed later) and the dedup key as {@code Idempotency-Key}.
 * A 2xx is delivered; 408, 429 and 5xx are retried; any other answer is final.
 */
public final class WebhookClient implements PlatformClient {
    private final PlatformHttp http;
    private final Clock clock;
    private final BiFunction<OutboxEntry, Boolean, Map<String, Object>> body;

    /** @param body the JSON sent for an entry (true for a test ping) */
    public WebhookClient(PlatformHttp http, Clock clock, BiFunction<OutboxEntry, Boolean, Map<String, Object>> body) {
        this.http = http;
        this.clock = clock;
        this.body = body;
    }

    @Override
    public List<SendResult> send(Destination d, Map<String, String> secrets, List<OutboxEntry> entries) {
        return Parallel.each(entries, e -> post(d, secrets, e, false));
    }

    @Override
    public SendResult test(Destination d, Map<String, String> secrets, OutboxEntry sample) {
        return post(d, secrets, sample, true);
    }

    private SendResult post(Destination d, Map<String, String> secrets, OutboxEntry e, boolean test) {
        String text = Json.text(body.apply(e, test));
        long now = clock.instant().getEpochSecond();
        PlatformHttp.Answer a = http.post(d.setting("url"), Map.of(
                WebhookSignature.HEADER, WebhookSignature.header(secrets.get("secret"), now, text),
                "Idempotency-Key", e.dedupKey()), "application/json", text);
        if (a.ok()) return SendResult.sent(e.id(), a.status(), a.summary());
        if (PlatformHttp.transientStatus(a.status())) return SendResult.retry(e.id(), a.status(), a.summary(), a.retryAfter().orElse(null));
        return SendResult.failed(e.id(), a.status(), a.summary());
    }
}
