package io.touchpoint.server.telemetry;

import java.io.IOException;
import java.sql.SQLException;
import java.util.Locale;

/**
 * Recognises a failure caused by a full disk, whichever store or file it came from: SQLite's {@code SQLITE_FULL},
 * PostgreSQL's SQLSTATE {@value #POSTGRES_DISK_FULL}, or an {@link IOException} for no space left. Such a failure
 * is the operator's to fix, and the same write succeeds once space is freed, so callers answer "retry later"
 * instead of reporting a fault.
 */
public final class StorageFull {
    /** PostgreSQL's {@code disk_full}. */
    public static final String POSTGRES_DISK_FULL = "53100";

    private StorageFull() {
    }

    /** Whether {@code t} or any of its causes says the disk is full. */
    public static boolean causedBy(Throwable t) {
        int depth = 0;
        for (Throwable x = t; x != null && depth++ < 50; x = x.getCause() == x ? null : x.getCause()) {
            if (x instanceof SQLException e && full(e)) return true;
            if (x instanceof IOException && noSpace(x.getMessage())) return true;
        }
        return false;
    }

    /** Also along the chain of a batch's failures, where PostgreSQL's driver puts the statement's own error. */
    private static boolean full(SQLException e) {
        int depth = 0;
        for (SQLException x = e; x != null && depth++ < 50; x = x.getNextException() == x ? null : x.getNextException()) {
            String m = x.getMessage();
            if (POSTGRES_DISK_FULL.equals(x.getSQLState()) || noSpace(m)
                    || m != null && (m.contains("SQLITE_FULL") || m.contains("database or disk is full"))) {
                return true;
            }
        }
        return false;
    }

    private static boolean noSpace(String message) {
        if (message == null) return false;
        String m = message.toLowerCase(Locale.ROOT);
        return m.contains("no space left on device") || m.contains("not enough space on the disk");
    }
}
