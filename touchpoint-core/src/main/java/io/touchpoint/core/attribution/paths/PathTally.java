package io.touchpoint.core.attribution.paths;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Consumer;

/**
 * Counts conversion paths: each conversion's groups with consecutive repeats collapsed into one step (Paid Search,
 * Paid Search, Email reads Paid Search → Email), a conversion without touchpoints as the path {@link #NO_TOUCHPOINT}
 * apart from paths of Direct touchpoints; per path the conversions, revenue in one currency and in others apart, and
 * the sums that make average days to convert (first touchpoint to conversion) and average touchpoints (before
 * collapsing).
 */
public final class PathTally implements Consumer<ConversionPath> {
    /** The one step of a conversion that had no touchpoint in its lookback window. */
    public static final String NO_TOUCHPOINT = "(direct)";
    private static final double DAY_MILLIS = 86_400_000d;

    /** One path's figures; {@code revenueOtherCurrencies} holds values in currencies other than the tally's. */
    public record Path(List<String> steps, boolean withoutTouchpoints, long conversions, double revenue,
                       Map<String, Double> revenueOtherCurrencies, double daysSum, long touchesSum) {
        public double averageDays() {
            return conversions == 0 ? 0 : daysSum / conversions;
        }

        public double averageTouches() {
            return conversions == 0 ? 0 : (double) touchesSum / conversions;
        }
    }

    /** The most common paths, and the conversions and distinct paths of the whole range. */
    public record Result(List<Path> paths, long conversions, int distinctPaths) {
    }

    private final String currency;
    private final Map<List<String>, Acc> byPath = new HashMap<>();
    private Acc direct;
    private long conversions;

    public PathTally(String currency) {
        this.currency = currency;
    }

    @Override
    public void accept(ConversionPath c) {
        conversions++;
        Acc acc;
        long touches = c.groups().size();
        double days;
        if (touches == 0) {
            if (direct == null) direct = new Acc(List.of(NO_TOUCHPOINT), true);
            acc = direct;
            days = 0;
        } else {
            acc = byPath.computeIfAbsent(collapse(c.groups()), steps -> new Acc(steps, false));
            days = Math.max(0, c.convertedAt() - c.firstTouchAt()) / DAY_MILLIS;
        }
        acc.conversions++;
        acc.daysSum += days;
        acc.touchesSum += touches;
        if (c.value() != null) {
            if (c.currency().equals(currency)) acc.revenue += c.value();
            else if (!c.currency().isEmpty()) acc.other.merge(c.currency(), c.value(), Double::sum);
        }
    }

    /** The groups with each run of one group as one step. */
    public static List<String> collapse(List<String> groups) {
        List<String> steps = new ArrayList<>(groups.size());
        for (String g : groups) if (steps.isEmpty() || !steps.getLast().equals(g)) steps.add(g);
        return List.copyOf(steps);
    }

    /** The {@code limit} most common paths: most conversions first, then most revenue, then by their steps. */
    public Result top(int limit) {
        List<Acc> all = new ArrayList<>(byPath.values());
        if (direct != null) all.add(direct);
        all.sort(Comparator.comparingLong((Acc a) -> -a.conversions).thenComparingDouble(a -> -a.revenue)
                .thenComparing(a -> String.join("\u0000", a.steps)));
        List<Path> out = all.stream().limit(limit).map(a -> new Path(a.steps, a.withoutTouchpoints, a.conversions, a.revenue,
                new TreeMap<>(a.other), a.daysSum, a.touchesSum)).toList();
        return new Result(out, conversions, all.size());
    }

    private static final class Acc {
        final List<String> steps;
        final boolean withoutTouchpoints;
        final Map<String, Double> other = new HashMap<>();
        long conversions;
        double revenue;
        double daysSum;
        long touchesSum;

        Acc(List<String> steps, boolean withoutTouchpoints) {
            this.steps = steps;
            this.withoutTouchpoints = withoutTouchpoints;
        }
    }
}
