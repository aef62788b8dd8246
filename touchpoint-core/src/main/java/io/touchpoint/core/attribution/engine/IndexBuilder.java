package io.touchpoint.core.attribution.engine;

import java.time.LocalDate;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Builds a {@link ReportIndex} from a store's rows: all of a workspace's ({@link #fresh}), or an index's rows with those
 * of some days replaced ({@link #rebuild}): the days whose data the attribution stage changed since the index was read.
 * A day's rows are its conversions and the touchpoints that began on it; a merge or unmerge marks every day of its
 * profiles, so replacing whole days brings their rows under the right canonical profile. A rebuild sorts only the
 * replaced days' rows and merges them with the old index's rows of the profiles they touch; the other profiles' rows,
 * in order already, are copied over in bulk.
 */
public final class IndexBuilder implements ReportRows {
    private final ZoneId zone;
    private final Shapes shapes;
    private final Map<String, Integer> profiles;
    /** The index a rebuild splices the replaced days' rows into; null for a fresh one. */
    private final ReportIndex base;
    /** The replaced days as sorted, disjoint [start, end) millisecond ranges, and as sorted epoch days. */
    private final long[] replacedTimes;
    private final int[] replacedDays;
    private final Map<Long, Integer> storeShapes = new HashMap<>();
    private final Names events = new Names();
    private final Names currencies = new Names();
    private int touches;
    private int[] tProfile = new int[1 << 10];
    private long[] tTime = new long[1 << 10];
    private long[] tId = new long[1 << 10];
    private int[] tShape = new int[1 << 10];
    private int conversions;
    private String lastProfileKey;
    private int lastProfile;
    private int[] cDay = new int[1 << 10];
    private long[] cTime = new long[1 << 10];
    private int[] cProfile = new int[1 << 10];
    private int[] cEvent = new int[1 << 10];
    private double[] cValue = new double[1 << 10];
    private int[] cCurrency = new int[1 << 10];

    private IndexBuilder(ZoneId zone, Shapes shapes, Map<String, Integer> profiles, ReportIndex base,
                         long[] replacedTimes, int[] replacedDays) {
        this.zone = zone;
        this.shapes = shapes;
        this.profiles = profiles;
        this.base = base;
        this.replacedTimes = replacedTimes;
        this.replacedDays = replacedDays;
    }

    /** A builder for a whole workspace's rows. */
    public static IndexBuilder fresh(ZoneId zone) {
        return new IndexBuilder(zone, new Shapes(), new HashMap<>(), null, new long[0], new int[0]);
    }

    /**
     * A builder holding {@code old}'s rows except those of {@code days}, to which the store then hands those days' rows.
     * It takes over {@code old}'s shape table and profile map (reports reading {@code old} use neither).
     */
    public static IndexBuilder rebuild(ReportIndex old, Set<LocalDate> days) {
        long[] ranges = new long[days.size() * 2];
        int[] epochDays = new int[days.size()];
        int i = 0;
        for (LocalDate d : days.stream().sorted().toList()) {
            ranges[2 * i] = d.atStartOfDay(old.zone).toInstant().toEpochMilli();
            ranges[2 * i + 1] = d.plusDays(1).atStartOfDay(old.zone).toInstant().toEpochMilli();
            epochDays[i++] = (int) d.toEpochDay();
        }
        IndexBuilder b = new IndexBuilder(old.zone, old.shapes, old.profiles, old, ranges, epochDays);
        for (String e : old.eventNames) b.events.of(e);
        for (String c : old.currencies) b.currencies.of(c);
        return b;
    }

    /** Whether t falls in one of the sorted, disjoint [start, end) ranges. */
    private static boolean within(long[] ranges, long t) {
        int lo = 0;
        int hi = ranges.length / 2 - 1;
        while (lo <= hi) {
            int mid = (lo + hi) >>> 1;
            if (t < ranges[2 * mid]) hi = mid - 1;
            else if (t >= ranges[2 * mid + 1]) lo = mid + 1;
            else return true;
        }
        return false;
    }

    @Override
    public void shape(long shapeId, List<String> groupValues) {
        storeShapes.put(shapeId, shapes.of(groupValues));
    }

    @Override
    public void touch(String profile, long startedAt, long id, long shapeId) {
        Integer shape = storeShapes.get(shapeId);
        if (shape == null) throw new IllegalArgumentException("touchpoint " + id + " names unknown shape " + shapeId);
        addTouch(profile(profile), startedAt, id, shape);
    }

    @Override
    public void conversion(String profile, long convertedAt, LocalDate day, String eventName, Double value, String currency) {
        addConversion(profile(profile), convertedAt, (int) day.toEpochDay(), events.of(eventName),
                value == null ? Double.NaN : value, currencies.of(currency == null ? "" : currency));
    }

    /** The profile's dense number; a path's touchpoints come one after another, so the last one is kept at hand. */
    private int profile(String key) {
        if (key.equals(lastProfileKey)) return lastProfile;
        Integer p = profiles.get(key);
        if (p == null) {
            p = profiles.size();
            profiles.put(key, p);
        }
        lastProfileKey = key;
        lastProfile = p;
        return p;
    }

    private void touchCapacity(int n) {
        tProfile = Arrays.copyOf(tProfile, n);
        tTime = Arrays.copyOf(tTime, n);
        tId = Arrays.copyOf(tId, n);
        tShape = Arrays.copyOf(tShape, n);
    }

    private void conversionCapacity(int n) {
        cDay = Arrays.copyOf(cDay, n);
        cTime = Arrays.copyOf(cTime, n);
        cProfile = Arrays.copyOf(cProfile, n);
        cEvent = Arrays.copyOf(cEvent, n);
        cValue = Arrays.copyOf(cValue, n);
        cCurrency = Arrays.copyOf(cCurrency, n);
    }

    private void addTouch(int profile, long time, long id, int shape) {
        if (touches == tTime.length) touchCapacity(touches * 2);
        tProfile[touches] = profile;
        tTime[touches] = time;
        tId[touches] = id;
        tShape[touches] = shape;
        touches++;
    }

    private void addConversion(int profile, long time, int day, int event, double value, int currency) {
        if (conversions == cTime.length) conversionCapacity(conversions * 2);
        cDay[conversions] = day;
        cTime[conversions] = time;
        cProfile[conversions] = profile;
        cEvent[conversions] = event;
        cValue[conversions] = value;
        cCurrency[conversions] = currency;
        conversions++;
    }

    /**
     * The index: touchpoints grouped by profile (a counting sort) and ordered by time then id; conversions by day. A
     * rebuild's rows are sorted so and merged with the old index's kept ones.
     */
    public ReportIndex build() {
        int profileCount = profiles.size();
        int[] start = new int[profileCount + 1];
        int[] order = groupBy(tProfile, touches, start);
        for (int p = 0; p < profileCount; p++) RowOrder.byTimeThenId(order, start[p], start[p + 1], tTime, tId);
        int[] cOrder = byDay();
        if (base != null) return splice(start, order, cOrder);
        long[] time = new long[touches];
        long[] id = new long[touches];
        int[] shape = new int[touches];
        for (int k = 0; k < touches; k++) {
            time[k] = tTime[order[k]];
            id[k] = tId[order[k]];
            shape[k] = tShape[order[k]];
        }
        Conversions c = new Conversions(conversions);
        for (int k = 0; k < conversions; k++) c.addNew(cOrder[k], this);
        return index(start, time, id, shape, c);
    }

    /**
     * The old index's rows outside the replaced days merged with the new rows ({@code newStart}/{@code order}: grouped
     * by profile and in time order; {@code cOrder}: by day): each profile's touchpoints by (time, id), conversions by
     * day, a day's old rows before its new ones. Only the profiles with a touchpoint on a replaced day, before or now,
     * are merged row by row; the runs of profiles between them, and the conversions of the days between replaced
     * ones, are copied in bulk, so the cost beyond a memory copy is that of the changed days' profiles.
     */
    private ReportIndex splice(int[] newStart, int[] order, int[] cOrder) {
        ReportIndex old = base;
        int oldProfiles = old.touchStart.length - 1;
        int profileCount = newStart.length - 1;
        boolean[] changed = new boolean[profileCount];
        int kept = old.touchTime.length - markChanged(changed);
        for (int p = 0; p < profileCount; p++) changed[p] |= newStart[p + 1] > newStart[p];
        int total = kept + touches;
        int[] start = new int[profileCount + 1];
        long[] time = new long[total];
        long[] id = new long[total];
        int[] shape = new int[total];
        int w = 0;
        int p = 0;
        while (p < profileCount) {
            if (!changed[p] && p < oldProfiles) {
                int q = p;
                while (q < profileCount && q < oldProfiles && !changed[q]) q++;
                int from = old.touchStart[p];
                int n = old.touchStart[q] - from;
                System.arraycopy(old.touchTime, from, time, w, n);
                System.arraycopy(old.touchId, from, id, w, n);
                System.arraycopy(old.touchShape, from, shape, w, n);
                for (int r = p; r < q; r++) start[r] = old.touchStart[r] - from + w;
                w += n;
                p = q;
                continue;
            }
            start[p] = w;
            int k = p < oldProfiles ? old.touchStart[p] : 0;
            int kEnd = p < oldProfiles ? old.touchStart[p + 1] : 0;
            int j = newStart[p];
            int jEnd = newStart[p + 1];
            while (k < kEnd || j < jEnd) {
                if (k < kEnd && within(replacedTimes, old.touchTime[k])) {
                    k++;
                } else if (j == jEnd || k < kEnd && !(old.touchTime[k] > tTime[order[j]]
                        || old.touchTime[k] == tTime[order[j]] && old.touchId[k] > tId[order[j]])) {
                    time[w] = old.touchTime[k];
                    id[w] = old.touchId[k];
                    shape[w++] = old.touchShape[k++];
                } else {
                    int r = order[j++];
                    time[w] = tTime[r];
                    id[w] = tId[r];
                    shape[w++] = tShape[r];
                }
            }
            p++;
        }
        start[profileCount] = w;
        return index(start, time, id, shape, spliceConversions(cOrder));
    }

    /** Marks the old index's profiles that have a touchpoint on a replaced day; answers how many such touchpoints. */
    private int markChanged(boolean[] changed) {
        if (replacedTimes.length == 0) return 0;
        long first = replacedTimes[0];
        long last = replacedTimes[replacedTimes.length - 1];
        int[] touchStart = base.touchStart;
        long[] touchTime = base.touchTime;
        int removed = 0;
        for (int p = 0; p + 1 < touchStart.length; p++) {
            for (int k = touchStart[p]; k < touchStart[p + 1]; k++) {
                long t = touchTime[k];
                if (t >= first && t < last && within(replacedTimes, t)) {
                    changed[p] = true;
                    removed++;
                }
            }
        }
        return removed;
    }

    /**
     * The old index's conversions outside the replaced days, copied in runs of days, with the new ones ({@code cOrder}:
     * by day) put after the old ones of their day.
     */
    private Conversions spliceConversions(int[] cOrder) {
        int[] oldDay = base.convDay;
        int keptConversions = oldDay.length;
        for (int day : replacedDays) {
            keptConversions -= ReportEngine.lowerBound(oldDay, 0, oldDay.length, day + 1)
                    - ReportEngine.lowerBound(oldDay, 0, oldDay.length, day);
        }
        Conversions c = new Conversions(keptConversions + conversions);
        int i = 0;
        int j = 0;
        while (j < conversions) {
            int day = cDay[cOrder[j]];
            i = c.addKept(base, i, ReportEngine.lowerBound(oldDay, i, oldDay.length, day + 1), replacedDays);
            for (; j < conversions && cDay[cOrder[j]] == day; j++) c.addNew(cOrder[j], this);
        }
        c.addKept(base, i, oldDay.length, replacedDays);
        return c;
    }

    private ReportIndex index(int[] start, long[] time, long[] id, int[] shape, Conversions c) {
        return new ReportIndex(zone, shapes, profiles, events.array(), currencies.array(), start, time, id, shape, c.day,
                c.time, c.profile, c.event, c.value, c.currency);
    }

    /** The conversion columns of an index being built, filled in their final order. */
    private static final class Conversions {
        final int[] day;
        final long[] time;
        final int[] profile;
        final int[] event;
        final double[] value;
        final int[] currency;
        /** The rows filled so far. */
        int size;

        Conversions(int n) {
            day = new int[n];
            time = new long[n];
            profile = new int[n];
            event = new int[n];
            value = new double[n];
            currency = new int[n];
        }

        void addNew(int r, IndexBuilder b) {
            day[size] = b.cDay[r];
            time[size] = b.cTime[r];
            profile[size] = b.cProfile[r];
            event[size] = b.cEvent[r];
            value[size] = b.cValue[r];
            currency[size++] = b.cCurrency[r];
        }

        /**
         * The old index's conversions in [from, to) but those of the (sorted) replaced days, copied a run of kept days
         * at a time; answers {@code to}.
         */
        int addKept(ReportIndex old, int from, int to, int[] replaced) {
            int i = from;
            while (i < to) {
                int at = Arrays.binarySearch(replaced, old.convDay[i]);
                if (at >= 0) {
                    i = ReportEngine.lowerBound(old.convDay, i, to, old.convDay[i] + 1);
                    continue;
                }
                int next = -at - 1;
                int end = next == replaced.length ? to : ReportEngine.lowerBound(old.convDay, i, to, replaced[next]);
                int n = end - i;
                System.arraycopy(old.convDay, i, day, size, n);
                System.arraycopy(old.convTime, i, time, size, n);
                System.arraycopy(old.convProfile, i, profile, size, n);
                System.arraycopy(old.convEvent, i, event, size, n);
                System.arraycopy(old.convValue, i, value, size, n);
                System.arraycopy(old.convCurrency, i, currency, size, n);
                size += n;
                i = end;
            }
            return to;
        }
    }

    /**
     * Rows 0 to {@code rows - 1} grouped by their key (a stable counting sort): the rows in key order, key k's being
     * those from {@code start[k]} to {@code start[k + 1]}, which this fills ({@code start} has one more place than keys).
     */
    static int[] groupBy(int[] key, int rows, int[] start) {
        int keys = start.length - 1;
        for (int r = 0; r < rows; r++) start[key[r] + 1]++;
        for (int k = 0; k < keys; k++) start[k + 1] += start[k];
        int[] next = Arrays.copyOf(start, keys);
        int[] order = new int[rows];
        for (int r = 0; r < rows; r++) order[next[key[r]]++] = r;
        return order;
    }

    /** Conversion rows ordered by day, a counting sort over the days' span. */
    private int[] byDay() {
        int[] order = new int[conversions];
        if (conversions == 0) return order;
        int min = Integer.MAX_VALUE;
        int max = Integer.MIN_VALUE;
        for (int r = 0; r < conversions; r++) {
            min = Math.min(min, cDay[r]);
            max = Math.max(max, cDay[r]);
        }
        int[] first = new int[max - min + 2];
        for (int r = 0; r < conversions; r++) first[cDay[r] - min + 1]++;
        for (int d = 0; d + 1 < first.length; d++) first[d + 1] += first[d];
        for (int r = 0; r < conversions; r++) order[first[cDay[r] - min]++] = r;
        return order;
    }

    /** Strings as dense ints. */
    private static final class Names {
        private final Map<String, Integer> ids = new HashMap<>();
        private final List<String> names = new ArrayList<>();

        int of(String name) {
            return ids.computeIfAbsent(name, k -> {
                names.add(k);
                return names.size() - 1;
            });
        }

        String[] array() {
            return names.toArray(new String[0]);
        }
    }
}
