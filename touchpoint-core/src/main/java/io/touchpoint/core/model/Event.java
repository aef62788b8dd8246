package io.touchpoint.core.model;

import io.touchpoint.core.consent.Consent;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * The one canonical event (docs/WIRE-FORMATS.md). Every dialect maps into it; everything after the HTTP edge
 * reads only this. {@code rawPayload} is the JSON text exactly as the sender wrote it. {@code consent} is what the
 * visitor or sender chose, with the workspace's default for the rest ({@link Consent#UNKNOWN} for events stored
 * before consent was recorded, which read as they did then).
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
        String rawPayload,
        Consent consent) {

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
        consent = consent == null ? Consent.UNKNOWN : consent;
    }

    /** An event whose consent is not known. */
    public Event(String id, String workspaceId, Source source, String requestId, Instant receivedAt, Instant eventTime,
                 String name, List<Identifier> identifiers, Person person, Context context, Commerce commerce,
                 String idempotencyKey, boolean doNotForward, Map<String, Object> customData, String rawPayload) {
        this(id, workspaceId, source, requestId, receivedAt, eventTime, name, identifiers, person, context, commerce,
                idempotencyKey, doNotForward, customData, rawPayload, Consent.UNKNOWN);
    }

    /** The same event carrying {@code c}. */
    public Event withConsent(Consent c) {
        return new Event(id, workspaceId, source, requestId, receivedAt, eventTime, name, identifiers, person, context,
                commerce, idempotencyKey, doNotForward, customData, rawPayload, c);
    }

    /** This event with {@code raw} as its raw payload. */
    public Event withRawPayload(String raw) {
        return new Event(id, workspaceId, source, requestId, receivedAt, eventTime, name, identifiers, person, context,
                commerce, idempotencyKey, doNotForward, customData, raw, consent);
    }

    /** The first identifier of the given type, or null. */
    public String identifier(IdentifierType type) {
        for (Identifier i : identifiers) {
            if (i.type() == type) return i.value();
        }
        return null;
    }
}
