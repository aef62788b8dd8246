package io.touchpoint.core.destinations;

import java.time.Instant;
import java.util.Map;

/** A destination's deliveries counted per status, and its most recent failure (null when none). */
public record DestinationStats(Map<DeliveryStatus, Long> counts, Instant lastErrorAt, String lastError,
                               Instant lastSentAt) {
    public long count(DeliveryStatus status) {
        return counts.getOrDefault(status, 0L);
    }
}
