package io.touchpoint.core.ingest;

import io.touchpoint.core.model.Workspace;

import java.time.Instant;
import java.util.Map;

/**
 * One decoded payload handed to a dialect mapper: the JSON object (as Jackson's untyped maps, lists,
 * strings, numbers and booleans), its raw text, and the facts the edge already knows. {@code funnelId} is
 * the funnel whose mark selected the workspace (Able dialect), null otherwise.
 */
public record IngestInput(Map<String, Object> body, String rawPayload, Workspace workspace,
                          String requestId, String eventId, Instant receivedAt, String funnelId) {

    public IngestInput(Map<String, Object> body, String rawPayload, Workspace workspace, String requestId,
                       String eventId, Instant receivedAt) {
        this(body, rawPayload, workspace, requestId, eventId, receivedAt, null);
    }
}
