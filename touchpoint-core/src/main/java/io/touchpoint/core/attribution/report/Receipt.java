package io.touchpoint.core.attribution.report;

import io.touchpoint.core.attribution.models.AttributionModel;
import io.touchpoint.core.touchpoint.Touchpoint;

import java.time.Instant;
import java.util.List;
import java.util.Map;

/** One conversion explained (docs/ATTRIBUTION.md): its path and each touchpoint's credit under every rule-based model. */
public record Receipt(String eventId, String eventName, Instant convertedAt, Double value, String currency,
                      String profileId, List<Step> path) {
    /** @param touchpointId 0 for the Direct stand-in of a conversion with no touchpoint in its window */
    public record Step(long touchpointId, Instant time, Touchpoint touchpoint, Map<AttributionModel, Double> credits) {
    }
}
