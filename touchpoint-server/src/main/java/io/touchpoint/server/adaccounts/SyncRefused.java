package io.touchpoint.server.adaccounts;

import java.time.Duration;

/**
 * A platform's refusal of a sync request, sorted by what to do about it: credentials to renew ({@code AUTH}), a
 * limit to wait out ({@code RATE_LIMIT}), a fault worth another try ({@code TRANSIENT}) or a request it will never
 * answer ({@code REFUSED}). The message is the platform's own, for the connection's status.
 */
final class SyncRefused extends RuntimeException {
    enum Kind { AUTH, RATE_LIMIT, TRANSIENT, REFUSED }

    private final Kind kind;
    private final Duration retryAfter;

    SyncRefused(Kind kind, String message, Duration retryAfter) {
        super(message);
        this.kind = kind;
        this.retryAfter = retryAfter;
    }

    Kind kind() {
        return kind;
    }

    /** The wait the platform asked for, or null. */
    Duration retryAfter() {
        return retryAfter;
    }

    boolean worthRetrying() {
        return kind == Kind.RATE_LIMIT || kind == Kind.TRANSIENT;
    }
}
