package io.touchpoint.core.attribution.models;

/**
 * The path models' weights on primitive arrays, so that a report crediting a million conversions allocates nothing
 * per conversion. {@link RuleBasedModels} computes a receipt's credits here too, so stored and computed credits follow
 * one definition (docs/ATTRIBUTION.md).
 */
public final class PathWeights {
    private PathWeights() {
    }

    /**
     * Writes the weights of the path's {@code n} touches (oldest first) into {@code out[0..n)}; they sum to 1.
     * {@code ageDays[i]} is how long before the conversion touch i began (negative: after it, read as 0);
     * {@code direct[i]} whether it is Direct; {@code paid[i]} whether its channel is paid. Only the models that
     * credit every path: the six rule-based ones and linear paid, whose path without a paid touch the caller credits to
     * the Direct stand-in (see {@link #hasPaid}).
     */
    public static void weights(AttributionModel model, double[] ageDays, boolean[] direct, boolean[] paid, int n,
                               double halfLifeDays, double[] out) {
        if (n <= 0) throw new IllegalArgumentException("empty path");
        java.util.Arrays.fill(out, 0, n, 0);
        switch (model) {
            case FIRST_TOUCH -> out[0] = 1;
            case LAST_TOUCH -> out[n - 1] = 1;
            case LAST_NON_DIRECT -> out[lastNonDirect(direct, n)] = 1;
            case LINEAR -> java.util.Arrays.fill(out, 0, n, 1.0 / n);
            case TIME_DECAY -> timeDecay(ageDays, n, halfLifeDays, out);
            case POSITION_BASED -> positionBased(n, out);
            case LINEAR_PAID -> linearPaid(paid, n, out);
            default -> throw new IllegalArgumentException(model + " does not weigh a whole path");
        }
    }

    public static boolean hasPaid(boolean[] paid, int n) {
        for (int i = 0; i < n; i++) if (paid[i]) return true;
        return false;
    }

    private static int lastNonDirect(boolean[] direct, int n) {
        for (int i = n - 1; i >= 0; i--) if (!direct[i]) return i;
        return n - 1;
    }

    private static void linearPaid(boolean[] paid, int n, double[] out) {
        int count = 0;
        for (int i = 0; i < n; i++) if (paid[i]) count++;
        if (count == 0) throw new IllegalArgumentException("linear paid needs a paid touch");
        for (int i = 0; i < n; i++) if (paid[i]) out[i] = 1.0 / count;
    }

    private static void timeDecay(double[] ageDays, int n, double h, double[] out) {
        double minD = Double.POSITIVE_INFINITY;
        for (int i = 0; i < n; i++) minD = Math.min(minD, Math.max(0, ageDays[i]));
        // Measuring from the nearest touchpoint scales every weight by the same factor, which normalising cancels,
        // and keeps paths far older than the half-life from underflowing to 0/0.
        double sum = 0;
        for (int i = 0; i < n; i++) {
            // a touchpoint stamped after the conversion (clock skew) counts as touching at the conversion
            out[i] = Math.pow(2, -(Math.max(0, ageDays[i]) - minD) / h);
            sum += out[i];
        }
        for (int i = 0; i < n; i++) out[i] /= sum;
    }

    private static void positionBased(int n, double[] out) {
        if (n == 1) {
            out[0] = 1;
        } else if (n == 2) {
            out[0] = 0.5;
            out[1] = 0.5;
        } else {
            out[0] = 0.4;
            out[n - 1] = 0.4;
            for (int i = 1; i < n - 1; i++) out[i] = 0.2 / (n - 2);
        }
    }
}
