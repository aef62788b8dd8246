package io.touchpoint.core.auth;

import java.security.SecureRandom;

/**
 * Time-ordered, prefixed ids such as {@code evt_01JD2Y6Q1ZK3V6M8P0R7T9W2XA}: 48 bits of milliseconds and
 * 80 random bits in Crockford base 32 (the ULID layout), so ids sort by creation time.
 */
public final class Ids {
    private static final char[] CROCKFORD = "0123456789ABCDEFGHJKMNPQRSTVWXYZ".toCharArray();
    private static final SecureRandom RANDOM = new SecureRandom();

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

    private static long lastMillis;
    private static long lastHigh;
    private static long lastLow;

    /**
     * Monotonic within this process: in the same millisecond the 80 random bits of the previous id are
     * incremented instead of drawn again (the ULID spec's monotonic mode), so ids sort in creation order.
     */
    public static String funnel() {
        return "fn_" + ulid();
    }

    public static String destination() {
        return "dst_" + ulid();
    }

    public static String export() {
        return "exp_" + ulid();
    }

    public static String adAccount() {
        return "ada_" + ulid();
    }

    public static String savedView() {
        return "view_" + ulid();
    }

    public static String user() {
        return "usr_" + ulid();
    }

    static synchronized String ulid() {
        long now = Math.max(System.currentTimeMillis(), lastMillis); // never go backwards with the clock
        if (now == lastMillis) {
            lastLow = (lastLow + 1) & 0xFF_FFFF_FFFFL;
            if (lastLow == 0) lastHigh = (lastHigh + 1) & 0xFF_FFFF_FFFFL;
        } else {
            byte[] rnd = new byte[10];
            RANDOM.nextBytes(rnd);
            lastHigh = 0;
            lastLow = 0;
            for (int i = 0; i < 5; i++) lastHigh = (lastHigh << 8) | (rnd[i] & 0xff);
            for (int i = 5; i < 10; i++) lastLow = (lastLow << 8) | (rnd[i] & 0xff);
            lastLow &= 0x7F_FFFF_FFFFL; // leave room to count up within the millisecond
        }
        lastMillis = now;
        char[] out = new char[26];
        long time = now;
        for (int i = 9; i >= 0; i--) {
            out[i] = CROCKFORD[(int) (time & 31)];
            time >>>= 5;
        }
        long hi = lastHigh, lo = lastLow;
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
