package io.touchpoint.server.http;

import io.touchpoint.core.normalize.IpAddresses;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.time.Clock;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Failed dashboard sign-ins counted per client address in one-minute windows: after
 * {@link #MAX_FAILURES_PER_MINUTE} failures, that address is refused (even with the right credential) until
 * the window ends. IPv6 clients are counted per /64, the block one subscriber usually holds, so hopping
 * addresses inside it gains nothing. The administrator credential carries 238 random bits, so the throttle
 * is a second line: it keeps the log quiet and the guessing rate at a handful per minute.
 */
public final class SignInThrottle {
    public static final int MAX_FAILURES_PER_MINUTE = 10;
    private static final int MAX_TRACKED = 100_000;
    private final Clock clock;
    private final Map<String, Window> windows = new ConcurrentHashMap<>();

    private record Window(long minute, int failures) {
    }

    public SignInThrottle(Clock clock) {
        this.clock = clock;
    }

    /** Seconds to wait when {@code clientIp} has used up its failures this minute; empty when it may try. */
    public Optional<Long> refusal(String clientIp) {
        long now = clock.millis();
        Window w = windows.get(key(clientIp));
        if (w == null || w.minute() != now / 60_000 || w.failures() < MAX_FAILURES_PER_MINUTE) return Optional.empty();
        return Optional.of(wait(w.minute(), now));
    }

    /**
     * Takes one of this minute's tries for {@code clientIp}, counted as a failure until {@link #succeeded} gives it
     * back; seconds to wait when none is left. Checking and counting are one step, so concurrent guesses cannot all
     * pass the check before any of them is counted.
     */
    public Optional<Long> attempt(String clientIp) {
        long now = clock.millis();
        long minute = now / 60_000;
        if (windows.size() >= MAX_TRACKED) windows.values().removeIf(w -> w.minute() < minute);
        boolean[] allowed = new boolean[1];
        windows.compute(key(clientIp), (k, old) -> {
            Window w = old != null && old.minute() == minute ? old : new Window(minute, 0);
            allowed[0] = w.failures() < MAX_FAILURES_PER_MINUTE;
            return allowed[0] ? new Window(minute, w.failures() + 1) : w;
        });
        return allowed[0] ? Optional.empty() : Optional.of(wait(minute, now));
    }

    /** The try taken by {@link #attempt} was the right credential: it is not a failure. */
    public void succeeded(String clientIp) {
        long minute = clock.millis() / 60_000;
        windows.computeIfPresent(key(clientIp), (k, w) -> w.minute() == minute && w.failures() > 0
                ? new Window(minute, w.failures() - 1) : w);
    }

    /** The answer to a client refused for {@code waitSeconds}: 429 {@code sign_in_throttled}. */
    public static ApiException throttled(long waitSeconds) {
        return new ApiException(429, "rate_limit_error", "sign_in_throttled", "too many failed sign-ins from this address;"
                + " retry after " + waitSeconds + " s", null, null, Map.of("Retry-After", Long.toString(waitSeconds)));
    }

    private static long wait(long minute, long nowMillis) {
        return Math.max(1, (minute + 1) * 60 - nowMillis / 1000);
    }

    /** The address, or its /64 for IPv6. */
    static String key(String clientIp) {
        String ip = IpAddresses.normalize(clientIp).orElse(clientIp == null ? "" : clientIp);
        if (!ip.contains(":")) return ip;
        try {
            byte[] a = InetAddress.getByName(ip).getAddress();
            if (a.length != 16) return ip;
            StringBuilder sb = new StringBuilder();
            for (int i = 0; i < 8; i += 2) sb.append(String.format("%02x%02x:", a[i], a[i + 1]));
            return sb.append(":/64").toString();
        } catch (UnknownHostException e) {
            return ip;
        }
    }
}
