package io.touchpoint.core.attribution.models;

import java.util.List;
import java.util.Objects;

/**
 * One journey as the data-driven models see it: the groups (channels, campaigns, … — any strings) of its
 * touchpoints in time order, and how many conversions (0 for a journey that did not convert) and how much value
 * it produced.
 */
public record Journey(List<String> states, double conversions, double value) {
    public Journey {
        states = List.copyOf(Objects.requireNonNull(states, "states")); // also rejects null groups
        if (!(conversions >= 0) || Double.isInfinite(conversions)) {
            throw new IllegalArgumentException("conversions must be finite and >= 0: " + conversions);
        }
        if (!Double.isFinite(value)) throw new IllegalArgumentException("value must be finite: " + value);
    }

    public boolean converted() {
        return conversions > 0;
    }
}
