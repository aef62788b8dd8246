package io.touchpoint.core.store;

import io.touchpoint.core.model.Event;
import io.touchpoint.core.recognition.PageViewSample;

import java.time.Instant;
import java.util.List;
import java.util.Optional;

/** Reading stored canonical events. */
public interface EventStore {
    Optional<Event> find(String workspaceId, String eventId);

    long count(String workspaceId);

    /** The id of the stored event that used this idempotency key in the workspace, if one did. */
    Optional<String> idWithKey(String workspaceId, String idempotencyKey);

    /**
     * The workspace's pixel page views with an event time in [{@code from}, {@code to}), the newest first, at most
     * {@code limit}; each with when its visitor token was first linked in the identity graph (null when not yet).
     */
    List<PageViewSample> pixelPageViews(String workspaceId, Instant from, Instant to, int limit);
}
