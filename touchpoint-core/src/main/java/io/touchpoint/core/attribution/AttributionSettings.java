package io.touchpoint.core.attribution;

import io.touchpoint.core.model.EventNames;

import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;

/**
 * A workspace's attribution settings (docs/ATTRIBUTION.md): the lookback window (1 to 90 days), the time-decay half-life, which
 * event names count as conversions ({@code null}: every event except page views and identify calls, which are
 * visits, not outcomes) and how long a visit lasts without a page view before the next one starts a new touchpoint.
 */
public record AttributionSettings(int lookbackDays, double halfLifeDays, List<String> conversionEvents,
                                  int visitTimeoutMinutes) {
    public static final int DEFAULT_LOOKBACK_DAYS = 30;
    public static final int MAX_LOOKBACK_DAYS = 90;
    public static final double DEFAULT_HALF_LIFE_DAYS = 7;
    public static final int DEFAULT_VISIT_TIMEOUT_MINUTES = 30;
    public static final AttributionSettings DEFAULTS = new AttributionSettings(DEFAULT_LOOKBACK_DAYS,
            DEFAULT_HALF_LIFE_DAYS, null, DEFAULT_VISIT_TIMEOUT_MINUTES);

    public AttributionSettings {
        if (lookbackDays < 1 || lookbackDays > MAX_LOOKBACK_DAYS) {
            throw new IllegalArgumentException("lookback_days must be between 1 and " + MAX_LOOKBACK_DAYS);
        }
        if (!(halfLifeDays > 0) || halfLifeDays > 365) {
            throw new IllegalArgumentException("half_life_days must be more than 0 and at most 365");
        }
        // GA4 lets a session timeout range from 5 minutes to 7 h 55 min; 1 minute is allowed here for testing set-ups
        if (visitTimeoutMinutes < 1 || visitTimeoutMinutes > 475) {
            throw new IllegalArgumentException("visit_timeout_minutes must be between 1 and 475");
        }
        if (conversionEvents != null) {
            for (String name : conversionEvents) {
                if (!EventNames.isCanonical(name)) {
                    throw new IllegalArgumentException("conversion event '" + name + "' is not an accepted event name");
                }
            }
            conversionEvents = List.copyOf(new TreeSet<>(conversionEvents));
        }
    }

    public Duration lookback() {
        return Duration.ofDays(lookbackDays);
    }

    public Duration halfLife() {
        return Duration.ofMillis(Math.round(halfLifeDays * 86_400_000d));
    }

    public Duration visitTimeout() {
        return Duration.ofMinutes(visitTimeoutMinutes);
    }

    public boolean isConversion(String eventName) {
        if (conversionEvents == null) return !NOT_OUTCOMES.contains(eventName);
        return conversionEvents.contains(eventName);
    }

    /** Visits and the dashboard's test events: never outcomes, and not names a conversion list may hold. */
    private static final Set<String> NOT_OUTCOMES = Set.of(EventNames.PAGE_VIEW, EventNames.IDENTIFY,
            EventNames.TEST_EVENT);
}
