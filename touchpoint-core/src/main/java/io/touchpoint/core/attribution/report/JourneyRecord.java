package io.touchpoint.core.attribution.report;

import io.touchpoint.core.attribution.Touchpoint;

import java.util.List;

/**
 * One journey as the data-driven models see it: a profile's touchpoints up to a conversion (converting) or after
 * its last conversion in the range (not converting), oldest first. {@code value} is in the workspace's currency
 * (0 for conversions in another currency or without a value).
 */
public record JourneyRecord(List<Touchpoint> path, boolean converted, double value) {
}
