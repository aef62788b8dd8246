package io.touchpoint.server.http;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Fixed one-minute windows per key (a workspace, or a client address for unauthenticated calls):
 * simple to explain in {@code X-RateLimit-*} headers and cheap on the hot path.
 */
public final class RateLimiter {
    private final Map<String, Window> windows = new ConcurrentHashMap<>();

    /** The outcome of one request's check, for the response headers. */
    public record Decision(boolean allowed, int limit, int remaining, long resetEpochSeconds, long retryAfterSeconds) {
    }

    private record Window(long minute, AtomicInteger used) {
    }

    public Decision check(String key, int limitPerMinute, long nowMillis) {
        long minute = nowMillis / 60_000;
        Window w = windows.compute(key, (k, old) -> old != null && old.minute() == minute ? old
                : new Window(minute, new AtomicInteger()));
        int used = w.used().incrementAndGet();
        long reset = (minute + 1) * 60;
        long retryAfter = Math.max(1, reset - nowMillis / 1000);
        if (windows.size() > 100_000) windows.values().removeIf(x -> x.minute() < minute);
        return new Decision(used <= limitPerMinute, limitPerMinute, Math.max(0, limitPerMinute - used), reset, retryAfter);
    }
}
