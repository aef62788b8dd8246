package io.touchpoint.server.processing;

import java.sql.SQLException;
import java.sql.SQLNonTransientConnectionException;
import java.sql.SQLRecoverableException;
import java.sql.SQLTransientException;
import java.util.Locale;
import java.util.Set;

/**
 * Tells a failure of the store itself (no connection, disk full, busy, shutting down) from a failure on what a
 * step was handling: only the second may count against an event, or an outage would set events aside.
 */
final class StoreFailures {
    /** SQLState classes that speak of the database, not of the statement's data (PostgreSQL's codes). */
    private static final Set<String> UNAVAILABLE_CLASSES = Set.of("08", "40", "53", "55", "57", "58");
    /** SQLite reports these in its messages (its driver sets no SQLState). */
    private static final String[] SQLITE_UNAVAILABLE = {"SQLITE_BUSY", "SQLITE_LOCKED", "SQLITE_FULL", "SQLITE_IOERR",
            "SQLITE_CANTOPEN", "SQLITE_READONLY", "SQLITE_NOMEM", "SQLITE_INTERRUPT", "database is locked"};

    private StoreFailures() {
    }

    static boolean unavailable(Throwable failure) {
        for (Throwable t = failure; t != null; t = t.getCause() == t ? null : t.getCause()) {
            if (t instanceof SQLTransientException || t instanceof SQLRecoverableException
                    || t instanceof SQLNonTransientConnectionException || t instanceof InterruptedException) {
                return true;
            }
            if (t instanceof SQLException s) {
                String state = s.getSQLState();
                if (state != null && state.length() >= 2 && UNAVAILABLE_CLASSES.contains(state.substring(0, 2).toUpperCase(Locale.ROOT))) {
                    return true;
                }
            }
            String message = String.valueOf(t.getMessage());
            for (String m : SQLITE_UNAVAILABLE) if (message.contains(m)) return true;
        }
        return false;
    }

    /** The failure as recorded for a set-aside event: its message and, when it differs, its root cause's. */
    static String describe(Throwable failure) {
        Throwable root = failure;
        while (root.getCause() != null && root.getCause() != root) root = root.getCause();
        String top = failure.getClass().getSimpleName() + ": " + failure.getMessage();
        return root == failure ? top : top + " (cause: " + root.getClass().getSimpleName() + ": " + root.getMessage() + ")";
    }
}
