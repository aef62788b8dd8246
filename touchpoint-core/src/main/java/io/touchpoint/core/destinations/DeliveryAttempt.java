package io.touchpoint.core.destinations;

import java.time.Instant;
import java.util.Objects;

/**
 * What one attempt at one outbox entry came to, as the ledger keeps it. {@code outcome} is the entry's status after
 * the attempt: SENT, RETRYING (then {@code nextAttemptAt} says when), DEAD or SKIPPED (then {@code reason} says
 * why). {@code statusCode} is the HTTP status (0 when no answer came: refused, timed out); {@code response} is the
 * platform's own answer, shortened, never holding a secret.
 */
public record DeliveryAttempt(long outboxId, Instant attemptedAt, int statusCode, String response,
                              DeliveryStatus outcome, String reason, Instant nextAttemptAt) {
    /** Longest platform answer kept per attempt. */
    public static final int MAX_RESPONSE = 2000;

    public DeliveryAttempt {
        Objects.requireNonNull(attemptedAt, "attemptedAt");
        Objects.requireNonNull(outcome, "outcome");
        if (outcome == DeliveryStatus.PENDING) throw new IllegalArgumentException("an attempt ends sent, retrying, dead or skipped");
        if (outcome == DeliveryStatus.RETRYING) Objects.requireNonNull(nextAttemptAt, "nextAttemptAt");
        if (response != null && response.length() > MAX_RESPONSE) response = response.substring(0, MAX_RESPONSE);
    }
}
