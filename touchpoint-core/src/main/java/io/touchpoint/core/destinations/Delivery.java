package io.touchpoint.core.destinations;

import java.time.Instant;
import java.util.Map;

/**
 * Where one event's delivery to one destination stands, as the events log and the conversion receipt show it:
 * status, tries so far, the last answer, which fields came from the event and which from the profile, and when it
 * was sent (null until then).
 */
public record Delivery(long outboxId, String destinationId, DestinationType type, String destinationName,
                       String eventId, DeliveryStatus status, String reason, int attempts, int lastStatusCode,
                       String response, Map<String, String> enrichedFields, Instant createdAt, Instant nextAttemptAt,
                       Instant sentAt) {
}
