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
}
