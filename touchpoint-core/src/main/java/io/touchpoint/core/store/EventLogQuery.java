package io.touchpoint.core.store;

import java.time.Instant;

/**
 * A search of the events log, newest first. Null filters match everything; {@code workspaceId} null
 * means every workspace (administrators only). {@code from} is inclusive, {@code to} exclusive.
 * {@code after} is where the previous page ended (null for the first page).
 */
public record EventLogQuery(String workspaceId, EventLogEntry.Outcome outcome, String eventName, String email,
                            String requestId, Instant from, Instant to, EventLogCursor after, int limit) {
    public static final int MAX_LIMIT = 500;

    public EventLogQuery {
        if (limit < 1 || limit > MAX_LIMIT) throw new IllegalArgumentException("limit must be 1.." + MAX_LIMIT);
    }
}
