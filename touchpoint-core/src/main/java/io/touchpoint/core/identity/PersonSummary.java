package io.touchpoint.core.identity;

import io.touchpoint.core.model.Identifier;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * One person of the people list: the canonical profile, when any of its identifiers was first and last seen, its
 * identifiers, and its conversions with their value per currency ("" for conversions without a currency).
 */
public record PersonSummary(String profileId, Instant firstSeen, Instant lastSeen, List<Identifier> identifiers,
                            long conversions, Map<String, Double> valueByCurrency) {
    public PersonSummary {
        Objects.requireNonNull(profileId, "profileId");
        identifiers = List.copyOf(identifiers);
        valueByCurrency = Map.copyOf(valueByCurrency);
    }
}
