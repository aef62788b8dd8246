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
        double[] w = new double[n];
        switch (model) {
            case FIRST_TOUCH -> w[0] = 1;
            case LAST_TOUCH -> w[n - 1] = 1;
            case LAST_NON_DIRECT -> w[lastNonDirect(path)] = 1;
            case LINEAR -> java.util.Arrays.fill(w, 1.0 / n);
            case TIME_DECAY -> timeDecay(path, Objects.requireNonNull(conversionTime, "conversionTime"), halfLife, w);
            case POSITION_BASED -> positionBased(w);
            default -> throw new AssertionError(model);
        }
        return w;
    }

    private static int lastNonDirect(List<PathTouch> path) {
        for (int i = path.size() - 1; i >= 0; i--) {
            if (!path.get(i).direct()) return i;
        }
        return path.size() - 1;
    }

    private static void timeDecay(List<PathTouch> path, Instant conversionTime, Duration halfLife, double[] w) {
        double h = seconds(halfLife) / SECONDS_PER_DAY;
        double[] d = new double[w.length];
        double minD = Double.POSITIVE_INFINITY;
        for (int i = 0; i < w.length; i++) {
            // A touchpoint stamped after the conversion (clock skew) counts as touching at the conversion.
            d[i] = Math.max(0, seconds(Duration.between(path.get(i).time(), conversionTime)) / SECONDS_PER_DAY);
            minD = Math.min(minD, d[i]);
        }
        // Measuring from the nearest touchpoint scales every weight by the same factor, which normalising cancels,
        // and keeps paths far older than the half-life from underflowing to 0/0.
        double sum = 0;
        for (int i = 0; i < w.length; i++) {
            w[i] = Math.pow(2, -(d[i] - minD) / h);
            sum += w[i];
        }
        for (int i = 0; i < w.length; i++) w[i] /= sum;
    }

    private static void positionBased(double[] w) {
        int n = w.length;
        if (n == 1) {
            w[0] = 1;
        } else if (n == 2) {
            w[0] = 0.5;
            w[1] = 0.5;
        } else {
            w[0] = 0.4;
            w[n - 1] = 0.4;
            for (int i = 1; i < n - 1; i++) w[i] = 0.2 / (n - 2);
        }
    }

    private static double seconds(Duration d) {
        return d.getSeconds() + d.getNano() / 1e9;
    }
}
