package io.touchpoint.core.attribution.engine;

import java.time.ZoneId;
import java.util.Map;

/**
 * One workspace's attribution data as compact columns, for the report engine: its conversions ordered by day, each
 * canonical profile's touchpoints ordered by time (then id), and the touch shapes they point at. Immutable once built;
 * a change makes a new index ({@link IndexBuilder#rebuild}). About 20 bytes per touchpoint, 32 per conversion and,
 * for the profile map the next rebuild needs, about 100 per profile (docs/ATTRIBUTION.md, *Report engine*).
 */
public final class ReportIndex {
    final ZoneId zone;
    final Shapes shapes;
    final Shapes.Frozen shapeTable;
    final Map<String, Integer> profiles;
    final String[] eventNames;
    final String[] currencies;
    /** Profile p's touchpoints are [touchStart[p], touchStart[p + 1]). */
    final int[] touchStart;
    final long[] touchTime;
    final long[] touchId;
    final int[] touchShape;
    /** Epoch days; conversions are ordered by day. */
    final int[] convDay;
    final long[] convTime;
    final int[] convProfile;
    final int[] convEvent;
    /** NaN when the conversion has no value. */
    final double[] convValue;
    final int[] convCurrency;

    ReportIndex(ZoneId zone, Shapes shapes, Map<String, Integer> profiles, String[] eventNames, String[] currencies,
                int[] touchStart, long[] touchTime, long[] touchId, int[] touchShape, int[] convDay, long[] convTime,
                int[] convProfile, int[] convEvent, double[] convValue, int[] convCurrency) {
        this.zone = zone;
        this.shapes = shapes;
        this.shapeTable = shapes.freeze();
        this.profiles = profiles;
        this.eventNames = eventNames;
        this.currencies = currencies;
        this.touchStart = touchStart;
        this.touchTime = touchTime;
        this.touchId = touchId;
        this.touchShape = touchShape;
        this.convDay = convDay;
        this.convTime = convTime;
        this.convProfile = convProfile;
        this.convEvent = convEvent;
        this.convValue = convValue;
        this.convCurrency = convCurrency;
    }

    public ZoneId zone() {
        return zone;
    }

    public int conversions() {
        return convDay.length;
    }

    public int touchpoints() {
        return touchTime.length;
    }

    /** The memory the columns take, roughly, in bytes (the profile map counted at 100 bytes an entry). */
    public long bytes() {
        return touchTime.length * 20L + convDay.length * 32L + touchStart.length * 4L + profiles.size() * 100L;
    }
}
