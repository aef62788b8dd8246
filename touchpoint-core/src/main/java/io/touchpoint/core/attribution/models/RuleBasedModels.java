package io.touchpoint.core.attribution.models;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Objects;

/** The six rule-based models (docs/ATTRIBUTION.md), each crediting the touchpoints of one conversion's path. */
public final class RuleBasedModels {
    /** The default half-life for time decay. */
    public static final Duration DEFAULT_HALF_LIFE = Duration.ofDays(7);

    private static final double SECONDS_PER_DAY = 86_400.0;

    private RuleBasedModels() {
    }

    /**
     * One weight per touchpoint of {@code path} (same order), summing to 1. The caller gives the path sorted by
     * time; touchpoints with equal times keep the given order, so "first" and "last" are positions in the list.
     * {@code halfLife} is used by time decay only but must be positive for every model, so a bad setting fails
     * early rather than only when someone picks time decay.
     *
     * @throws IllegalArgumentException for an empty path, a data-driven model or a non-positive half-life
     */
    public static double[] credits(AttributionModel model, List<PathTouch> path, Instant conversionTime,
                                   Duration halfLife) {
        Objects.requireNonNull(model, "model");
        Objects.requireNonNull(path, "path");
        if (!model.ruleBased()) throw new IllegalArgumentException(model + " is not a rule-based model");
        if (path.isEmpty()) throw new IllegalArgumentException("empty path");
        if (halfLife == null || halfLife.isZero() || halfLife.isNegative()) {
            throw new IllegalArgumentException("half-life must be positive: " + halfLife);
        }
        int n = path.size();
        double[] ageDays = new double[n];
        boolean[] direct = new boolean[n];
        if (model == AttributionModel.TIME_DECAY) Objects.requireNonNull(conversionTime, "conversionTime");
        for (int i = 0; i < n; i++) {
            if (conversionTime != null) ageDays[i] = seconds(Duration.between(path.get(i).time(), conversionTime)) / SECONDS_PER_DAY;
            direct[i] = path.get(i).direct();
        }
        double[] w = new double[n];
        PathWeights.weights(model, ageDays, direct, new boolean[n], n, seconds(halfLife) / SECONDS_PER_DAY, w);
        return w;
    }

    private static double seconds(Duration d) {
        return d.getSeconds() + d.getNano() / 1e9;
    }
}
