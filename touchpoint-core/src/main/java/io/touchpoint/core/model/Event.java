package io.touchpoint.core.model;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * The one canonical event (docs/WIRE-FORMATS.md). Every dialect maps into it; everything after the HTTP edge
 * reads only this. {@code rawPayload} is the JSON text exactly as the sender wrote it.
 */
public record Event(
        String id,
        String workspaceId,
        Source source,
        String requestId,
        Instant receivedAt,
        Instant eventTime,
        String name,
        List<Identifier> identifiers,
        Person person,
        Context context,
        Commerce commerce,
        String idempotencyKey,
        boolean doNotForward,
        Map<String, Object> customData,
        String rawPayload) {

    public Event {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(workspaceId, "workspaceId");
        Objects.requireNonNull(source, "source");
        Objects.requireNonNull(receivedAt, "receivedAt");
        Objects.requireNonNull(eventTime, "eventTime");
        Objects.requireNonNull(name, "name");
        identifiers = List.copyOf(identifiers);
        person = person == null ? Person.EMPTY : person;
        context = context == null ? Context.EMPTY : context;
        commerce = commerce == null ? Commerce.NONE : commerce;
        customData = customData == null ? Map.of() : customData;
    }

    /** This event with {@code raw} as its raw payload. */
    public Event withRawPayload(String raw) {
        return new Event(id, workspaceId, source, requestId, receivedAt, eventTime, name, identifiers, person, context,
                commerce, idempotencyKey, doNotForward, customData, raw);
    }

    /** The first identifier of the given type, or null. */
    public String identifier(IdentifierType type) {
        for (Identifier i : identifiers) {
            if (i.type() == type) return i.value();
        }
        return null;
    }
}
