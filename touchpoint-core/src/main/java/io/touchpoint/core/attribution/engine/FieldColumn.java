package io.touchpoint.core.attribution.engine;

import java.util.Arrays;
import java.util.HashMap;
import java.util.Map;

/**
 * One numeric {@code custom_data} field of a workspace's conversions as a column aligned with a {@link ReportIndex}'s
 * conversions: NaN where the conversion does not carry it as a number. The store hands the values by conversion
 * (canonical profile, time, event name); they are matched to the index's conversions by that key. Two conversions
 * with the same key are alike in everything a report computes from them, so which of them gets which value changes no
 * figure.
 */
public final class FieldColumn implements FieldValues {
    private final ReportIndex ix;
    private final Map<String, Integer> eventIds = new HashMap<>();
    private int rows;
    private int[] profile = new int[1 << 8];
    private long[] time = new long[1 << 8];
    private int[] event = new int[1 << 8];
    private double[] value = new double[1 << 8];

    /** A column for {@code ix}; the caller keeps the index's profiles from changing meanwhile (no rebuild from it). */
    public FieldColumn(ReportIndex ix) {
        this.ix = ix;
        for (int e = 0; e < ix.eventNames.length; e++) eventIds.put(ix.eventNames[e], e);
    }

    @Override
    public void value(String canonicalProfile, long convertedAt, String eventName, double v) {
        Integer p = ix.profiles.get(canonicalProfile);
        Integer e = eventIds.get(eventName);
        // a conversion the index does not have (stored after it was read) has no place in its column
        if (p == null || p + 1 >= ix.touchStart.length || e == null || Double.isNaN(v) || Double.isInfinite(v)) return;
        if (rows == time.length) {
            int n = rows * 2;
            profile = Arrays.copyOf(profile, n);
            time = Arrays.copyOf(time, n);
            event = Arrays.copyOf(event, n);
            value = Arrays.copyOf(value, n);
        }
        profile[rows] = p;
        time[rows] = convertedAt;
        event[rows] = e;
        value[rows] = v;
        rows++;
    }

    /** The column: the values grouped by profile (a counting sort), then each conversion takes an unused match. */
    public double[] build() {
        int profiles = ix.touchStart.length - 1;
        int[] start = new int[profiles + 1];
        for (int r = 0; r < rows; r++) start[profile[r] + 1]++;
        for (int p = 0; p < profiles; p++) start[p + 1] += start[p];
        int[] next = Arrays.copyOf(start, profiles);
        int[] byProfile = new int[rows];
        for (int r = 0; r < rows; r++) byProfile[next[profile[r]]++] = r;
        boolean[] used = new boolean[rows];
        double[] out = new double[ix.convDay.length];
        Arrays.fill(out, Double.NaN);
        for (int k = 0; k < out.length; k++) {
            int p = ix.convProfile[k];
            for (int j = start[p]; j < start[p + 1]; j++) {
                int r = byProfile[j];
                if (!used[r] && time[r] == ix.convTime[k] && event[r] == ix.convEvent[k]) {
                    used[r] = true;
                    out[k] = value[r];
                    break;
                }
            }
        }
        return out;
    }
}
