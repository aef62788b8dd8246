package io.touchpoint.core.adaccounts;

import java.util.Locale;

/**
 * How a connection's last sync ended. {@code AUTH_FAILED} waits for new credentials (the daily sync skips it until
 * a change or an on-demand sync), so an expired token does not hammer the platform; {@code PARTIAL} stored some days
 * and refused others (no exchange rate for them), which the message names.
 */
public enum SyncStatus {
    NEVER, RUNNING, OK, PARTIAL, AUTH_FAILED, RATE_LIMITED, FAILED;

    public String wireName() {
        return name().toLowerCase(Locale.ROOT);
    }

    public static SyncStatus fromWireName(String s) {
        return valueOf(s.toUpperCase(Locale.ROOT));
    }
}
