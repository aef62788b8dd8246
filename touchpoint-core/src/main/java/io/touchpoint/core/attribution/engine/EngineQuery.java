package io.touchpoint.core.attribution.engine;

import io.touchpoint.core.attribution.GroupBy;
import io.touchpoint.core.attribution.models.AttributionModel;

import java.time.LocalDate;
import java.util.List;
import java.util.Objects;

/**
 * What the report engine computes: conversions whose day is in [{@code from}, {@code to}] and whose event is one of
 * {@code eventNames} (null: every conversion), each credited over its profile's touchpoints that began within
 * {@code windowDays} before it ({@link #LIFETIME}: any time before it) under each of the path models, summed per group;
 * per day too when {@code daily}. {@code platform} (a Platform wire name) is what the source-specific models look at.
 */
public record EngineQuery(LocalDate from, LocalDate to, List<String> eventNames, GroupBy groupBy,
                          List<AttributionModel> models, int windowDays, double halfLifeDays, String platform,
                          boolean daily) {
    /** The window that takes every earlier touchpoint of the profile. */
    public static final int LIFETIME = Integer.MAX_VALUE;

    public EngineQuery {
        Objects.requireNonNull(from, "from");
        Objects.requireNonNull(to, "to");
        Objects.requireNonNull(groupBy, "groupBy");
        models = List.copyOf(models);
        eventNames = eventNames == null ? null : List.copyOf(eventNames);
        for (AttributionModel m : models) {
            if (!m.pathBased()) throw new IllegalArgumentException(m.wireName() + " is not computed from one path");
            if (m.needsPlatform() && (platform == null || platform.isBlank())) {
                throw new IllegalArgumentException(m.wireName() + " needs a platform");
            }
        }
        if (windowDays < 1) throw new IllegalArgumentException("window must be at least 1 day");
        if (!(halfLifeDays > 0)) throw new IllegalArgumentException("half-life must be positive");
    }
}
