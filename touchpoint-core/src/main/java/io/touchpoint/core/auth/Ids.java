package io.touchpoint.core.auth;

import java.security.SecureRandom;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Time-ordered, prefixed ids such as {@code evt_01JD2Y6Q1ZK3V6M8P0R7T9W2XA}: 48 bits of milliseconds and
 * 80 random bits in Crockford base 32 (the ULID layout), so ids sort by creation time.
 */
public final class Ids {
    private static final char[] CROCKFORD = "0123456789ABCDEFGHJKMNPQRSTVWXYZ".toCharArray();
    private static final SecureRandom RANDOM = new SecureRandom();
    private static final AtomicLong LAST_MILLIS = new AtomicLong();

    private Ids() {
    }

    public static String event() {
        return "evt_" + ulid();
    }

    public static String request() {
        return "req_" + ulid();
    }

    public static String workspace() {
        return "ws_" + ulid();
    }

    public static String token() {
        return "tok_" + ulid();
    }

    static String ulid() {
        // never go backwards if the wall clock does; ids stay sortable within this process
        long now = LAST_MILLIS.updateAndGet(prev -> Math.max(prev, System.currentTimeMillis()));
        char[] out = new char[26];
        long time = now;
        for (int i = 9; i >= 0; i--) {
            out[i] = CROCKFORD[(int) (time & 31)];
            time >>>= 5;
        }
        byte[] rnd = new byte[10];
        RANDOM.nextBytes(rnd);
        long hi = 0, lo = 0;
        for (int i = 0; i < 5; i++) hi = (hi << 8) | (rnd[i] & 0xff);
        for (int i = 5; i < 10; i++) lo = (lo << 8) | (rnd[i] & 0xff);
        for (int i = 17; i >= 10; i--) {
            out[i] = CROCKFORD[(int) (hi & 31)];
            hi >>>= 5;
        }
        for (int i = 25; i >= 18; i--) {
            out[i] = CROCKFORD[(int) (lo & 31)];
            lo >>>= 5;
        }
        return new String(out);
    }
}
