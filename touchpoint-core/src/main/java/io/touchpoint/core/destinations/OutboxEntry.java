package io.touchpoint.core.destinations;

import io.touchpoint.core.model.Event;

import java.time.Instant;
import java.util.Map;
import java.util.Objects;

/**
 * One (event, destination) delivery in the outbox. {@code event} is the conversion as it is to be sent: the stored
 * event with what the profile added ({@code enrichedFields} says, per field, "event" or "profile"). Its
 * {@code dedupKey} stays the same on every attempt and replay, so the platform counts the event once.
 * {@code id} is 0 until stored.
 */
public record OutboxEntry(long id, String destinationId, String workspaceId, String eventId, long eventSeq,
                          String profileId, String dedupKey, Event event, Map<String, String> enrichedFields,
                          DeliveryStatus status, String skipReason, int attempts, Instant createdAt,
                          Instant nextAttemptAt) {
    public OutboxEntry {
        Objects.requireNonNull(destinationId, "destinationId");
        Objects.requireNonNull(workspaceId, "workspaceId");
        Objects.requireNonNull(eventId, "eventId");
        Objects.requireNonNull(dedupKey, "dedupKey");
        Objects.requireNonNull(status, "status");
        Objects.requireNonNull(createdAt, "createdAt");
        enrichedFields = enrichedFields == null ? Map.of() : Map.copyOf(enrichedFields);
        nextAttemptAt = nextAttemptAt == null ? createdAt : nextAttemptAt;
    }

    /** A new delivery to send now. */
    public static OutboxEntry pending(String destinationId, String workspaceId, long eventSeq, String profileId,
                                      String dedupKey, Event event, Map<String, String> enrichedFields, Instant now) {
        return new OutboxEntry(0, destinationId, workspaceId, event.id(), eventSeq, profileId, dedupKey, event,
                enrichedFields, DeliveryStatus.PENDING, null, 0, now, now);
    }

    /** A delivery decided against at once (never sent), with the reason. */
    public static OutboxEntry skipped(String destinationId, String workspaceId, long eventSeq, String profileId,
                                      String dedupKey, Event event, Map<String, String> enrichedFields, String reason,
                                      Instant now) {
        return new OutboxEntry(0, destinationId, workspaceId, event.id(), eventSeq, profileId, dedupKey, event,
                enrichedFields, DeliveryStatus.SKIPPED, reason, 0, now, now);
    }
}
