package io.touchpoint.core.attribution.report;

import java.time.Instant;

/**
 * One conversion behind a report row: the conversion and the share of it that one rule-based model credits to the
 * row's group ({@code credit}, from 0 to 1: several touchpoints of the group add up).
 *
 * @param profileId the canonical profile, as a receipt names it
 */
public record CreditedConversion(String eventId, String eventName, Instant convertedAt, Double value, String currency,
                                 String profileId, double credit) {
}
