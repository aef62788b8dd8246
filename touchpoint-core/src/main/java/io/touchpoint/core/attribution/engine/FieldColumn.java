package io.touchpoint.core.attribution.engine;

import java.util.Arrays;
import java.util.HashMap;
import java.util.Map;

/**
 * One numeric {@code custom_data} field of a workspace's conversions as a column aligned with a {@link ReportIndex}'s
 * conversions: NaN where the conversion does not carry it as a number. The store hands the values by conversion
 * (canonical profile, time, event name); each takes the first conversion of the index with that key not given a
 * value yet. Two conversions with the same key are alike in everything a report computes from them, so which of
 * them gets which value changes no figure.
 */
public final class FieldColumn implements FieldValues {
    private final ReportIndex ix;
    private final Map<String, Integer> eventIds = new HashMap<>();
    /** The index's conversions grouped by profile: profile p's are byProfile[start[p]] to byProfile[start[p + 1] - 1]. */
    private final int[] start;
    private final int[] byProfile;
    private final double[] column;

    /** A column for {@code ix}; the caller keeps the index's profiles from changing meanwhile (no rebuild from it). */
    public FieldColumn(ReportIndex ix) {
        this.ix = ix;
        for (int e = 0; e < ix.eventNames.length; e++) eventIds.put(ix.eventNames[e], e);
        start = new int[ix.touchStart.length];
        byProfile = IndexBuilder.groupBy(ix.convProfile, ix.convProfile.length, start);
        column = new double[ix.convDay.length];
        Arrays.fill(column, Double.NaN);
    }

    @Override
    public void value(String canonicalProfile, long convertedAt, String eventName, double v) {
        Integer p = ix.profiles.get(canonicalProfile);
        Integer e = eventIds.get(eventName);
        // a conversion the index does not have (stored after it was read) has no place in its column
        if (p == null || p + 1 >= start.length || e == null || Double.isNaN(v) || Double.isInfinite(v)) return;
        for (int j = start[p]; j < start[p + 1]; j++) {
            int k = byProfile[j];
            if (Double.isNaN(column[k]) && ix.convTime[k] == convertedAt && ix.convEvent[k] == e) {
                column[k] = v;
                return;
            }
        }
    }

    /** The column, aligned with the index's conversions. */
    public double[] build() {
        return column;
    }
}
