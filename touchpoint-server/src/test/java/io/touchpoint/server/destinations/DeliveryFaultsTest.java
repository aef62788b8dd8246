package io.touchpoint.server.destinations;

import io.touchpoint.core.destinations.Delivery;
import io.touchpoint.core.destinations.DeliveryAttempt;
import io.touchpoint.server.destinations.fakes.FakeMeta;
import io.touchpoint.server.support.HttpTestClient.Response;
import io.touchpoint.server.support.TestServer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The outbox under a platform's faults: 5xx answers, a rate limit with Retry-After, a refused connection, a timeout,
 * a platform that stays down until the tries run out (dead letters, then replay), and a second platform that is
 * served meanwhile. Every conversion is counted once by the platform, whatever was re-sent.
 */
class DeliveryFaultsTest extends DeliveryServerTest {
    static final String PIXEL = "555000111222333";
    static final String TOKEN = "EAAB-faults";
    private final FakeMeta meta = new FakeMeta(PIXEL, TOKEN);
    private final FakeMeta other = new FakeMeta(PIXEL, TOKEN);

    @Override
    protected Map<String, String> settings() {
        return Map.of("delivery.timeout-seconds", "1", "delivery.max-attempts", "3");
    }

    @AfterAll
    void stopFakes() {
        meta.close();
        other.close();
    }

    @BeforeEach
    void resetFakes() {
        meta.reset();
        other.reset();
    }

    private String connect(Ws ws, FakeMeta fake) {
        return (String) addDestination(ws, "meta", Map.of("pixel_id", PIXEL, "access_token", TOKEN),
                Map.of("base_url", fake.baseUrl())).get("id");
    }

    private String purchase(Ws ws, String key) {
        return sendEvent(ws, json(Map.of("event_name", "purchase", "email", key + "@example.com", "amount", 10,
                "idempotency_key", key)));
    }

    private List<Integer> statuses(Delivery d) {
        return server.store().destinations().attempts(d.outboxId()).stream().map(DeliveryAttempt::statusCode).toList();
    }

    @Test
    void serverErrorsAreRetriedUntilTheyPass() throws Exception {
        Ws ws = newWorkspace();
        String dst = connect(ws, meta);
        meta.failNext(2, 500, "{\"error\":{\"message\":\"An unknown error occurred\",\"type\":\"OAuthException\",\"code\":1,\"is_transient\":true}}", Map.of());
        String event = purchase(ws, "retry-500");
        Delivery d = awaitDelivery(ws, event, dst, x -> x.status().wireName().equals("sent"), Duration.ofSeconds(30));
        assertThat(statuses(d)).containsExactly(500, 500, 200);
        assertThat(meta.acceptedCount(FakeMeta.dedupKey("Purchase", "retry-500"))).isEqualTo(1);
    }

    @Test
    void aRateLimitsRetryAfterIsHonoured() throws Exception {
        Ws ws = newWorkspace();
        String dst = connect(ws, meta);
        meta.failNext(1, 429, "{\"error\":{\"message\":\"Too many calls\",\"code\":4}}", Map.of("Retry-After", "3"));
        String event = purchase(ws, "retry-429");
        Delivery waiting = awaitStatus(ws, event, dst, "retrying");
        DeliveryAttempt first = server.store().destinations().attempts(waiting.outboxId()).get(0);
        assertThat(first.nextAttemptAt()).isAfterOrEqualTo(first.attemptedAt().plusSeconds(3));
        // while it waits out the Retry-After: the destination says since when, the metric how long
        assertThat(java.time.Instant.parse((String) stats(dst).get("oldest_open_at"))).isEqualTo(waiting.createdAt());
        assertThat(oldestOpenAgeMetric()).isGreaterThan(0);
        Delivery sent = awaitStatus(ws, event, dst, "sent");
        List<DeliveryAttempt> attempts = server.store().destinations().attempts(sent.outboxId());
        assertThat(attempts.get(1).attemptedAt()).isAfterOrEqualTo(first.attemptedAt().plusSeconds(3));
        assertThat(stats(dst).get("oldest_open_at")).isNull();
    }

    @SuppressWarnings("unchecked")
    private Map<String, Object> stats(String dst) {
        return (Map<String, Object>) http.get("/admin/v1/destinations/" + dst, TestServer.ADMIN_TOKEN).json().get("stats");
    }

    private double oldestOpenAgeMetric() {
        return http.get("/metrics", null).body().lines().filter(l -> l.startsWith("touchpoint_delivery_oldest_open_age_seconds "))
                .mapToDouble(l -> Double.parseDouble(l.substring(l.indexOf(' ') + 1))).findFirst().orElseThrow();
    }

    @Test
    void aRefusedConnectionAndATimeoutAreRetriedAndThePlatformCountsTheEventOnce() throws Exception {
        Ws ws = newWorkspace();
        String dst = connect(ws, meta);
        meta.down(true);
        String refused = purchase(ws, "refused");
        Delivery d = awaitStatus(ws, refused, dst, "retrying");
        assertThat(d.lastStatusCode()).isZero();
        meta.up();
        awaitDelivery(ws, refused, dst, x -> x.status().wireName().equals("sent"), Duration.ofSeconds(30));

        meta.delay(Duration.ofMillis(1500));
        String slow = purchase(ws, "slow");
        Delivery timedOut = awaitStatus(ws, slow, dst, "retrying");
        assertThat(timedOut.response()).contains("timed out");
        meta.delay(Duration.ZERO);
        awaitDelivery(ws, slow, dst, x -> x.status().wireName().equals("sent"), Duration.ofSeconds(30));
        assertThat(meta.acceptedCount(FakeMeta.dedupKey("Purchase", "slow"))).isEqualTo(1);
        assertThat(meta.acceptedCount(FakeMeta.dedupKey("Purchase", "refused"))).isEqualTo(1);
    }

    @Test
    void aPlatformDownPastItsTriesLeavesDeadLettersThatAReplaySendsWhileAnotherPlatformIsServedMeanwhile() throws Exception {
        Ws ws = newWorkspace();
        String down = connect(ws, meta);
        String up = connect(ws, other);
        meta.down(true);
        Instant start = Instant.now();
        String event = purchase(ws, "outage");
        Delivery served = awaitStatus(ws, event, up, "sent");
        assertThat(served.sentAt()).isBefore(start.plusSeconds(10));
        Delivery dead = awaitDelivery(ws, event, down, x -> x.status().wireName().equals("dead"), Duration.ofSeconds(40));
        assertThat(dead.attempts()).isEqualTo(3);
        Response stats = http.get("/admin/v1/destinations/" + down, TestServer.ADMIN_TOKEN);
        assertThat(map(stats.json().get("stats"))).containsEntry("dead", 1);
        Response deadList = http.get("/admin/v1/destinations/" + down + "/deliveries?status=dead", TestServer.ADMIN_TOKEN);
        assertThat(list(deadList.json().get("data"))).extracting(x -> x.get("event_id")).containsExactly(event);

        meta.up();
        Response replay = http.postJson("/admin/v1/destinations/" + down + "/replay", TestServer.ADMIN_TOKEN, "{\"status\":\"dead\"}");
        assertThat(replay.status()).as(replay.body()).isEqualTo(200);
        assertThat(replay.json()).containsEntry("replayed", 1);
        awaitStatus(ws, event, down, "sent");
        assertThat(meta.acceptedCount(FakeMeta.dedupKey("Purchase", "outage"))).isEqualTo(1);
        assertThat(other.acceptedCount(FakeMeta.dedupKey("Purchase", "outage"))).isEqualTo(1);

        Response again = http.postJson("/admin/v1/destinations/" + down + "/replay", TestServer.ADMIN_TOKEN,
                json(Map.of("event_ids", List.of(event))));
        assertThat(again.json()).containsEntry("replayed", 1);
        awaitDelivery(ws, event, down, x -> x.status().wireName().equals("sent") && x.attempts() == 1
                && server.store().destinations().attempts(x.outboxId()).size() == 5, Duration.ofSeconds(20));
        assertThat(meta.receivedCount(FakeMeta.dedupKey("Purchase", "outage"))).isEqualTo(2);
        assertThat(meta.acceptedCount(FakeMeta.dedupKey("Purchase", "outage"))).as("same dedup key: counted once").isEqualTo(1);
    }

    @Test
    void replayRefusesAnUnclearSelection() {
        Ws ws = newWorkspace();
        String dst = connect(ws, meta);
        Response none = http.postJson("/admin/v1/destinations/" + dst + "/replay", TestServer.ADMIN_TOKEN, "{}");
        assertThat(none.status()).isEqualTo(422);
        Response both = http.postJson("/admin/v1/destinations/" + dst + "/replay", TestServer.ADMIN_TOKEN,
                "{\"status\":\"dead\",\"event_ids\":[\"evt_1\"]}");
        assertThat(both.status()).isEqualTo(422);
        Response open = http.postJson("/admin/v1/destinations/" + dst + "/replay", TestServer.ADMIN_TOKEN, "{\"status\":\"pending\"}");
        assertThat(open.status()).isEqualTo(422);
        assertThat(http.postJson("/admin/v1/destinations/dst_nope/replay", TestServer.ADMIN_TOKEN, "{\"status\":\"dead\"}").status())
                .isEqualTo(404);
    }
}
