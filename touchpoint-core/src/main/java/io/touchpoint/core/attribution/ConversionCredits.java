package io.touchpoint.core.attribution;

import io.touchpoint.core.attribution.models.AttributionModel;
import io.touchpoint.core.attribution.models.PathTouch;
import io.touchpoint.core.attribution.models.RuleBasedModels;
import io.touchpoint.core.touchpoint.ChannelGrouping;
import io.touchpoint.core.touchpoint.Touchpoint;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;

/**
 * One conversion's path and the credit each of its touchpoints gets under every rule-based model. The path
 * is the profile's touchpoints that began inside the lookback window before the conversion, oldest first (ties by
 * id); a conversion with none is credited to a Direct stand-in, so that every conversion is counted once in every
 * report and totals reconcile with the number and value of conversions.
 */
public record ConversionCredits(List<StoredTouch> path, Map<AttributionModel, double[]> credits) {
    private static final Touchpoint DIRECT = ChannelGrouping.classify(new ChannelGrouping.Visit(null, null, null, null));

    public static ConversionCredits compute(Instant conversionTime, List<StoredTouch> touches, AttributionSettings s) {
        List<StoredTouch> path = path(conversionTime, touches, s.lookback());
        List<PathTouch> touchesForModels = new ArrayList<>(path.size());
        for (StoredTouch t : path) touchesForModels.add(new PathTouch(t.time(), t.direct()));
        Map<AttributionModel, double[]> credits = new EnumMap<>(AttributionModel.class);
        for (AttributionModel m : AttributionModel.RULE_BASED) {
            credits.put(m, RuleBasedModels.credits(m, touchesForModels, conversionTime, s.halfLife()));
        }
        return new ConversionCredits(path, credits);
    }

    /** The touchpoints that began within {@code lookback} before the conversion, oldest first, or the Direct stand-in. */
    public static List<StoredTouch> path(Instant conversionTime, List<StoredTouch> touches, Duration lookback) {
        Instant from = conversionTime.minus(lookback);
        List<StoredTouch> path = new ArrayList<>();
        for (StoredTouch t : touches) {
            if (!t.time().isBefore(from) && !t.time().isAfter(conversionTime)) path.add(t);
        }
        path.sort(Comparator.comparing(StoredTouch::time).thenComparingLong(StoredTouch::id));
        if (path.isEmpty()) path.add(directStandIn(conversionTime));
        return List.copyOf(path);
    }

    public static StoredTouch directStandIn(Instant conversionTime) {
        return new StoredTouch(0, conversionTime, conversionTime, DIRECT);
    }
}
