package io.touchpoint.core.destinations;

import io.touchpoint.core.attribution.models.AttributionModel;

import java.util.List;
import java.util.Map;

/**
 * What a caller asks for when adding or changing a destination; null fields are "not given" (on a change: keep).
 * {@code settings} holds plain and secret settings together, as the API takes them.
 */
public record DestinationInput(DestinationType type, String name, Map<String, String> settings, List<String> events,
                               Map<String, String> eventMap, DeliveryMode mode, AttributionModel model, String baseUrl,
                               Boolean enabled) {
}
