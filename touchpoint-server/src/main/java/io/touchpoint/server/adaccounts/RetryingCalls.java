package io.touchpoint.server.adaccounts;

import com.fasterxml.jackson.databind.JsonNode;
import io.touchpoint.server.destinations.platforms.PlatformHttp;

import java.time.Duration;
import java.util.function.Function;
import java.util.function.Supplier;

/**
 * One request of a sync, tried again while the platform answers with a rate limit or a fault of its own: after its
 * Retry-After when it gives one, otherwise after a wait that doubles each time, at most {@code retries} times. A
 * refusal that waiting does not cure (an expired token) ends the sync at once, so it never becomes a retry storm.
 */
final class RetryingCalls {
    private static final Duration MAX_WAIT = Duration.ofMinutes(5);

    /** Waits; tests give one that only records. */
    interface Sleeper {
        void sleep(Duration d) throws InterruptedException;
    }

    private final int retries;
    private final Duration backoff;
    private final Sleeper sleeper;

    RetryingCalls(int retries, Duration backoff, Sleeper sleeper) {
        this.retries = retries;
        this.backoff = backoff;
        this.sleeper = sleeper;
    }

    /**
     * The answer's JSON once {@code refusal} finds nothing wrong with it (it returns null then).
     *
     * @throws SyncRefused the last refusal, when it is not worth retrying or the retries are spent
     */
    JsonNode call(Supplier<PlatformHttp.Answer> request, Function<PlatformHttp.Answer, SyncRefused> refusal) {
        for (int attempt = 0; ; attempt++) {
            PlatformHttp.Answer a = request.get();
            SyncRefused r = refusal.apply(a);
            if (r == null) {
                JsonNode json = a.json();
                if (json == null) throw new SyncRefused(SyncRefused.Kind.REFUSED, "the platform's answer is not JSON: "
                        + abbreviate(a.body()), null);
                return json;
            }
            if (!r.worthRetrying() || attempt >= retries) throw r;
            Duration wait = r.retryAfter() != null ? r.retryAfter() : backoff.multipliedBy(1L << Math.min(attempt, 20));
            try {
                sleeper.sleep(wait.compareTo(MAX_WAIT) > 0 ? MAX_WAIT : wait);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new SyncRefused(SyncRefused.Kind.TRANSIENT, "interrupted while waiting out: " + r.getMessage(), null);
            }
        }
    }

    /** What a failure without a recognisable error body says: its status, or that nothing answered. */
    static SyncRefused byStatus(PlatformHttp.Answer a) {
        String what = a.status() == 0 ? a.summary() : "HTTP " + a.status() + ": " + abbreviate(a.body());
        if (a.status() == 401 || a.status() == 403) return new SyncRefused(SyncRefused.Kind.AUTH, what, null);
        if (a.status() == 429) return new SyncRefused(SyncRefused.Kind.RATE_LIMIT, what, a.retryAfter().orElse(null));
        if (PlatformHttp.transientStatus(a.status())) return new SyncRefused(SyncRefused.Kind.TRANSIENT, what, a.retryAfter().orElse(null));
        return new SyncRefused(SyncRefused.Kind.REFUSED, what, null);
    }

    static String abbreviate(String s) {
        if (s == null) return "";
        return s.length() > 300 ? s.substring(0, 300) + "…" : s;
    }
}
