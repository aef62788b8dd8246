package io.touchpoint.server.destinations;

import io.touchpoint.core.destinations.DeliveryAttempt;
import io.touchpoint.core.destinations.DeliveryStatus;
import io.touchpoint.core.destinations.OutboxEntry;
import io.touchpoint.server.destinations.platforms.SendResult;

import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.ThreadLocalRandom;

/**
 * How failed deliveries are tried again: exponential backoff from {@code base}, capped at {@code cap}, jittered
 * between half and all of the wait so a platform coming back is not hit by every waiting sender at once; never
 * sooner than the platform's own {@code Retry-After}. After {@code maxAttempts} tries, or once the entry is older than {@code maxAge}, a delivery
 * that still fails goes to the dead letters.
 */
public record RetryPolicy(Duration base, Duration cap, int maxAttempts, Duration maxAge) {
    public static final RetryPolicy DEFAULT = new RetryPolicy(Duration.ofSeconds(2), Duration.ofMinutes(10), 12, Duration.ofHours(24));

    /** The longest pause between probes of a platform that is down: a platform back is sent to within this. */
    public static final Duration MAX_PAUSE = Duration.ofSeconds(30);

    /** How long a destination pauses after {@code failures} failed rounds in a row: the backoff, at most {@link #MAX_PAUSE}. */
    public Duration pause(int failures) {
        Duration wait = backoff(failures);
        return wait.compareTo(MAX_PAUSE) > 0 ? MAX_PAUSE : wait;
    }

    /** The wait before try number {@code attempts + 1}, jittered: uniformly between half and all of the backoff. */
    public Duration backoff(int attempts) {
        long ms = base.toMillis() << Math.min(20, Math.max(0, attempts - 1));
        ms = Math.min(ms, cap.toMillis());
        return Duration.ofMillis(ms / 2 + ThreadLocalRandom.current().nextLong(ms / 2 + 1));
    }

    /** The ledger's record of one result for {@code entry}, tried at {@code now}. */
    public DeliveryAttempt attempt(OutboxEntry entry, SendResult r, Instant now) {
        return switch (r.outcome()) {
            case SENT -> new DeliveryAttempt(entry.id(), now, r.status(), r.response(), DeliveryStatus.SENT, null, null);
            case SKIPPED -> new DeliveryAttempt(entry.id(), now, r.status(), r.response(), DeliveryStatus.SKIPPED, r.reason(), null);
            case FAILED -> new DeliveryAttempt(entry.id(), now, r.status(), r.response(), DeliveryStatus.DEAD, "refused by the platform", null);
            case RETRY -> {
                int tries = entry.attempts() + 1;
                if (tries >= maxAttempts) {
                    yield new DeliveryAttempt(entry.id(), now, r.status(), r.response(), DeliveryStatus.DEAD,
                            "still failing after " + tries + " tries", null);
                }
                if (entry.createdAt().plus(maxAge).isBefore(now)) {
                    yield new DeliveryAttempt(entry.id(), now, r.status(), r.response(), DeliveryStatus.DEAD,
                            "still failing after " + maxAge.toHours() + " h in the outbox", null);
                }
                Duration wait = backoff(tries);
                if (r.retryAfter() != null && r.retryAfter().compareTo(wait) > 0) wait = r.retryAfter();
                yield new DeliveryAttempt(entry.id(), now, r.status(), r.response(), DeliveryStatus.RETRYING, null, now.plus(wait));
            }
        };
    }
}
