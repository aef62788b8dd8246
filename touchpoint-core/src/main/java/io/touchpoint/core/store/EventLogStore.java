package io.touchpoint.core.store;

import java.util.List;

/** Reading the events log. Writes go through {@link IngestStore}. */
public interface EventLogStore {
    Page<EventLogEntry> search(EventLogQuery query);

    /** Every entry of one request (a batch has one per item), in item order; workspaceId null = any. */
    List<EventLogEntry> byRequestId(String workspaceId, String requestId);
}
