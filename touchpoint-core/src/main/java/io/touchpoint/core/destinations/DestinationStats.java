package io.touchpoint.core.destinations;

import java.time.Instant;
import java.util.Map;

/**
 * A destination's deliveries counted per status, its most recent failure and send (null when none), and when its
 * longest-waiting open delivery (pending or retrying) was first queued (null when none is open): a delivery replayed
 * counts from its first queueing, since it has waited that long to reach the platform.
 */
public record DestinationStats(Map<DeliveryStatus, Long> counts, Instant lastErrorAt, String lastError,
                               Instant lastSentAt, Instant oldestOpenAt) {
    public long count(DeliveryStatus status) {
        return counts.getOrDefault(status, 0L);
    }
}
