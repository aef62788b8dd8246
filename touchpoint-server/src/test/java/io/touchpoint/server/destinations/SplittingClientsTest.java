package io.touchpoint.server.destinations;

import io.touchpoint.core.destinations.DeliveryStatus;
import io.touchpoint.core.destinations.Destination;
import io.touchpoint.core.destinations.DestinationType;
import io.touchpoint.core.destinations.OutboxEntry;
import io.touchpoint.core.model.Context;
import io.touchpoint.core.model.Event;
import io.touchpoint.core.model.Identifier;
import io.touchpoint.core.model.IdentifierType;
import io.touchpoint.core.model.Source;
import io.touchpoint.server.destinations.fakes.FakeMeta;
import io.touchpoint.server.destinations.fakes.FakeTikTok;
import io.touchpoint.server.destinations.platforms.MetaClient;
import io.touchpoint.server.destinations.platforms.PlatformHttp;
import io.touchpoint.server.destinations.platforms.SendResult;
import io.touchpoint.server.destinations.platforms.TikTokClient;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The batching clients against their platforms' fakes: Meta refuses a whole request for one malformed event, so the
 * client splits the batch until the bad event stands alone, sends every other event and marks only the bad one
 * failed; TikTok's refusals come as a code inside HTTP 200; rate limits wait as long as the platform asks.
 */
class SplittingClientsTest {
    private final PlatformHttp http = new PlatformHttp(Duration.ofSeconds(2), Duration.ofSeconds(5), "Touchpoint/test");

    @AfterEach
    void closeClient() {
        http.close();
    }

    static List<OutboxEntry> batch(int n, int badIndex, Instant now) {
        List<OutboxEntry> out = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            // a conversion dated a day ahead is malformed for both platforms
            Instant at = i == badIndex ? now.plus(Duration.ofDays(1)) : now.minusSeconds(60);
            String id = "evt_" + i;
            Event e = new Event(id, "ws_1", Source.COMETLY, "req_" + i, at, at, "purchase",
                    List.of(new Identifier(IdentifierType.EMAIL, "p" + i + "@example.com")), null,
                    new Context("203.0.113.9", "Mozilla/5.0", "https://shop.example.com/", null, null, null), null,
                    "key-" + i, false, null, "{}");
            out.add(new OutboxEntry(i + 1, "dst_1", "ws_1", id, i + 1, "prf_" + i, "key-" + i, e, Map.of(), DeliveryStatus.PENDING,
                    null, 0, now, now));
        }
        return out;
    }

    static Destination destination(DestinationType type, Map<String, String> settings, String baseUrl) {
        Instant now = Instant.now();
        return new Destination("dst_1", "ws_1", type, "t", settings, "sealed", null, null, null, null, baseUrl, true, now, now);
    }

    @Test
    void metaSendsEveryEventButTheMalformedOne() {
        try (FakeMeta meta = new FakeMeta("42", "tok")) {
            List<OutboxEntry> entries = batch(9, 6, Instant.now());
            List<SendResult> results = new MetaClient(http).send(destination(DestinationType.META, Map.of("pixel_id", "42"),
                    meta.baseUrl()), Map.of("access_token", "tok"), entries);
            assertThat(results).hasSize(9);
            assertThat(results).filteredOn(r -> r.outcome() == SendResult.Outcome.FAILED).extracting(SendResult::outboxId).containsExactly(7L);
            assertThat(results).filteredOn(r -> r.outcome() == SendResult.Outcome.FAILED).first()
                    .satisfies(r -> assertThat(r.response()).contains("\"code\":100"));
            assertThat(meta.acceptedKeys()).hasSize(8).noneMatch(k -> k.endsWith("key-6"));
        }
    }

    @Test
    void tiktokAnswersWithItsCodeInsideA200AndOnlyARealRefusalIsFinal() {
        try (FakeTikTok tiktok = new FakeTikTok("tok", "C4PIXEL0001")) {
            Destination d = destination(DestinationType.TIKTOK, Map.of("pixel_code", "C4PIXEL0001"), tiktok.baseUrl());
            TikTokClient client = new TikTokClient(http);
            tiktok.failNext(1, 200, "{\"code\":40100,\"message\":\"Too many requests\",\"request_id\":\"r1\"}", Map.of());
            assertThat(client.send(d, Map.of("access_token", "tok"), batch(2, -1, Instant.now())))
                    .allSatisfy(r -> assertThat(r.outcome()).isEqualTo(SendResult.Outcome.RETRY));
            assertThat(client.send(d, Map.of("access_token", "wrong"), batch(2, -1, Instant.now())))
                    .as("a refused token is the user's to fix: retried, not dead").allSatisfy(r -> assertThat(r.outcome()).isEqualTo(SendResult.Outcome.RETRY));
            assertThat(client.send(d, Map.of("access_token", "tok"), batch(3, -1, Instant.now())))
                    .allSatisfy(r -> assertThat(r.outcome()).isEqualTo(SendResult.Outcome.SENT));
            assertThat(tiktok.acceptedKeys()).hasSize(3);
            assertThat(tiktok.violations()).filteredOn(v -> !v.contains("token")).isEmpty();
        }
    }

    @Test
    void aRateLimitIsRetriedWithTheWaitThePlatformAsksFor() {
        try (FakeMeta meta = new FakeMeta("42", "tok")) {
            meta.rateLimitAfter(0);
            List<SendResult> results = new MetaClient(http).send(destination(DestinationType.META, Map.of("pixel_id", "42"),
                    meta.baseUrl()), Map.of("access_token", "tok"), batch(3, -1, Instant.now()));
            assertThat(results).allSatisfy(r -> {
                assertThat(r.outcome()).isEqualTo(SendResult.Outcome.RETRY);
                assertThat(r.retryAfter()).isEqualTo(Duration.ofSeconds(60));
            });
            assertThat(meta.requests()).hasSize(1);
        }
    }
}
