package io.touchpoint.server.destinations.platforms;

import java.time.Duration;

/**
 * What became of one outbox entry in one send: {@code SENT}; {@code RETRY} (a fault that may pass: the platform down,
 * a timeout, a rate limit — {@code retryAfter} when the platform said how long to wait); {@code FAILED} (the platform
 * refused this event and would refuse it again: it goes to the dead letters); {@code SKIPPED} (not sent, by rule).
 * {@code status} is the HTTP status, 0 when no answer came.
 */
public record SendResult(long outboxId, Outcome outcome, int status, String response, Duration retryAfter, String reason) {
    public enum Outcome { SENT, RETRY, FAILED, SKIPPED }

    public static SendResult sent(long id, int status, String response) {
        return new SendResult(id, Outcome.SENT, status, response, null, null);
    }

    public static SendResult retry(long id, int status, String response, Duration retryAfter) {
        return new SendResult(id, Outcome.RETRY, status, response, retryAfter, null);
    }

    public static SendResult failed(long id, int status, String response) {
        return new SendResult(id, Outcome.FAILED, status, response, null, null);
    }

    public static SendResult skipped(long id, String reason) {
        return new SendResult(id, Outcome.SKIPPED, 0, null, null, reason);
    }
}
