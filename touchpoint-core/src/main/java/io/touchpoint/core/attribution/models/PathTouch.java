package io.touchpoint.core.attribution.models;

import java.time.Instant;
import java.util.Objects;

/**
 * One touchpoint of a conversion's path as the rule-based models see it: when it happened, and whether its
 * channel is Direct (only last non-direct cares).
 */
public record PathTouch(Instant time, boolean direct) {
    public PathTouch {
        Objects.requireNonNull(time, "time");
    }
}
