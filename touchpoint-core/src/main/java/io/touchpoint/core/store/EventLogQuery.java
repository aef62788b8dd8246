package io.touchpoint.core.store;

import io.touchpoint.core.model.Identifier;

import java.time.Instant;

/**
 * A search of the events log, newest first. Null filters match everything; {@code workspaceId} null
 * means every workspace (administrators only). {@code from} is inclusive, {@code to} exclusive.
 * {@code after} is where the previous page ended (null for the first page).
 *
 * <p>{@code newerThan}, when set, makes it a live-tail poll instead: the entries committed after that sequence
 * number (the log's commit order, see {@link EventLogStore#latestSequence()}) that match the filters, oldest
 * first, at most {@code limit}; a page then has no next cursor. Commit order rather than receive time, so an
 * entry received earlier but committed later is not missed.
 *
 * <p>{@code identifier}, when set, keeps the entries that carried it (normalised as identity resolution stores it: an
 * accepted or duplicate entry's event identifiers, a refused entry's email); it needs a workspace.
 */
public record EventLogQuery(String workspaceId, EventLogEntry.Outcome outcome, String eventName, String email,
                            String requestId, Instant from, Instant to, EventLogCursor after, Long newerThan,
                            int limit, Identifier identifier) {
    public static final int MAX_LIMIT = 500;

    public EventLogQuery {
        if (limit < 1 || limit > MAX_LIMIT) throw new IllegalArgumentException("limit must be 1.." + MAX_LIMIT);
        if (newerThan != null && after != null) {
            throw new IllegalArgumentException("a tail poll (newerThan) does not page backwards (after)");
        }
        if (identifier != null && workspaceId == null) {
            throw new IllegalArgumentException("an identifier is searched within one workspace");
        }
    }

    /** Without an identifier filter. */
    public EventLogQuery(String workspaceId, EventLogEntry.Outcome outcome, String eventName, String email,
                         String requestId, Instant from, Instant to, EventLogCursor after, Long newerThan, int limit) {
        this(workspaceId, outcome, eventName, email, requestId, from, to, after, newerThan, limit, null);
    }

    /** A newest-first search, as before tail polls existed. */
    public EventLogQuery(String workspaceId, EventLogEntry.Outcome outcome, String eventName, String email,
                         String requestId, Instant from, Instant to, EventLogCursor after, int limit) {
        this(workspaceId, outcome, eventName, email, requestId, from, to, after, null, limit, null);
    }
}
