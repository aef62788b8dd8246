package io.touchpoint.core.store;

import io.touchpoint.core.model.Event;

import java.util.Optional;

/** Reading stored canonical events. */
public interface EventStore {
    Optional<Event> find(String workspaceId, String eventId);

    long count(String workspaceId);
}
