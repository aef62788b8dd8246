package io.touchpoint.core.store;

import java.util.List;

/** Reading the events log. Writes go through {@link IngestStore}. */
public interface EventLogStore {
    Page<EventLogEntry> search(EventLogQuery query);

    /** Every entry of one request (a batch has one per item), in item order; workspaceId null = any. */
    List<EventLogEntry> byRequestId(String workspaceId, String requestId);

    /**
     * The sequence number of the last committed entry of any workspace (0 when the log is empty): where a live
     * tail starts, with {@link EventLogQuery#newerThan()}. Sequence numbers follow commit order.
     */
    long latestSequence();

    /**
     * The log indexer's step: moves the identifiers of up to {@code limit} entries, oldest first, from where ingest
     * wrote them beside each entry into the index {@link EventLogQuery#identifier()} searches, in one transaction;
     * answers how many entries it moved (0 when none waits). A search finds an entry before and after it moved.
     */
    int indexNext(int limit);
}
