package io.touchpoint.server.destinations;

import io.touchpoint.core.destinations.DeliveryAttempt;
import io.touchpoint.core.destinations.DeliveryStatus;
import io.touchpoint.core.destinations.OutboxEntry;
import io.touchpoint.server.destinations.platforms.SendResult;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

class RetryPolicyTest {
    static final Instant NOW = Instant.parse("2026-12-01T10:00:00Z");
    private final RetryPolicy policy = new RetryPolicy(Duration.ofSeconds(2), Duration.ofMinutes(10), 5, Duration.ofHours(24));

    static OutboxEntry entry(int attempts, Instant created) {
        return new OutboxEntry(7, "dst_1", "ws_1", "evt_1", 1, "prf_1", "key", null, Map.of(), DeliveryStatus.RETRYING, null,
                attempts, created, created);
    }

    @Test
    void backoffDoublesWithFullJitterUpToTheCap() {
        for (int i = 0; i < 200; i++) {
            assertThat(policy.backoff(1)).isBetween(Duration.ofSeconds(1), Duration.ofSeconds(2));
            assertThat(policy.backoff(3)).isBetween(Duration.ofSeconds(4), Duration.ofSeconds(8));
            assertThat(policy.backoff(40)).isBetween(Duration.ofMinutes(5), Duration.ofMinutes(10));
        }
    }

    @Test
    void aDestinationThatKeepsFailingIsProbedAtLeastEveryThirtySeconds() {
        for (int i = 0; i < 200; i++) {
            assertThat(policy.pause(1)).isBetween(Duration.ofSeconds(1), Duration.ofSeconds(2));
            assertThat(policy.pause(4)).isBetween(Duration.ofSeconds(8), Duration.ofSeconds(16));
            assertThat(policy.pause(9)).isEqualTo(RetryPolicy.MAX_PAUSE);
            assertThat(policy.pause(40)).isEqualTo(Duration.ofSeconds(30));
        }
    }

    @Test
    void aTransientFailureWaitsAtLeastThePlatformsRetryAfter() {
        DeliveryAttempt a = policy.attempt(entry(0, NOW), SendResult.retry(7, 429, "slow down", Duration.ofSeconds(90)), NOW);
        assertThat(a.outcome()).isEqualTo(DeliveryStatus.RETRYING);
        assertThat(a.nextAttemptAt()).isEqualTo(NOW.plusSeconds(90));
        DeliveryAttempt b = policy.attempt(entry(0, NOW), SendResult.retry(7, 503, "down", null), NOW);
        assertThat(b.nextAttemptAt()).isBetween(NOW.plusSeconds(1), NOW.plusSeconds(2));
    }

    @Test
    void triesOrAgeRunOutIntoTheDeadLetters() {
        assertThat(policy.attempt(entry(4, NOW), SendResult.retry(7, 500, "x", null), NOW).outcome()).isEqualTo(DeliveryStatus.DEAD);
        assertThat(policy.attempt(entry(1, NOW.minus(Duration.ofHours(25))), SendResult.retry(7, 500, "x", null), NOW).outcome())
                .isEqualTo(DeliveryStatus.DEAD);
        assertThat(policy.attempt(entry(0, NOW), SendResult.failed(7, 400, "bad"), NOW).outcome()).isEqualTo(DeliveryStatus.DEAD);
        assertThat(policy.attempt(entry(0, NOW), SendResult.sent(7, 200, "ok"), NOW).outcome()).isEqualTo(DeliveryStatus.SENT);
        DeliveryAttempt skipped = policy.attempt(entry(0, NOW), SendResult.skipped(7, "too_old"), NOW);
        assertThat(skipped.outcome()).isEqualTo(DeliveryStatus.SKIPPED);
        assertThat(skipped.reason()).isEqualTo("too_old");
    }
}
