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
 * profiles, so replacing whole days brings their rows under the right canonical profile.
 */
public final class IndexBuilder implements ReportRows {
    private final ZoneId zone;
    private final Shapes shapes;
    private final Map<String, Integer> profiles;
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

    private IndexBuilder(ZoneId zone, Shapes shapes, Map<String, Integer> profiles) {
        this.zone = zone;
        this.shapes = shapes;
        this.profiles = profiles;
    }

    /** A builder for a whole workspace's rows. */
    public static IndexBuilder fresh(ZoneId zone) {
        return new IndexBuilder(zone, new Shapes(), new HashMap<>());
    }

    /**
     * A builder holding {@code old}'s rows except those of {@code days}, to which the store then hands those days' rows.
     * It takes over {@code old}'s shape table and profile map (reports reading {@code old} use neither).
     */
    public static IndexBuilder rebuild(ReportIndex old, Set<LocalDate> days) {
        IndexBuilder b = new IndexBuilder(old.zone, old.shapes, old.profiles);
        b.touchCapacity(old.touchTime.length + (1 << 16));
        b.conversionCapacity(old.convDay.length + (1 << 14));
        for (String e : old.eventNames) b.events.of(e);
        for (String c : old.currencies) b.currencies.of(c);
        long[] ranges = new long[days.size() * 2];
        int[] epochDays = new int[days.size()];
        int i = 0;
        for (LocalDate d : days.stream().sorted().toList()) {
            ranges[2 * i] = d.atStartOfDay(old.zone).toInstant().toEpochMilli();
            ranges[2 * i + 1] = d.plusDays(1).atStartOfDay(old.zone).toInstant().toEpochMilli();
            epochDays[i++] = (int) d.toEpochDay();
        }
        for (int p = 0; p + 1 < old.touchStart.length; p++) {
            for (int k = old.touchStart[p]; k < old.touchStart[p + 1]; k++) {
                if (!within(ranges, old.touchTime[k])) b.addTouch(p, old.touchTime[k], old.touchId[k], old.touchShape[k]);
            }
        }
        for (int k = 0; k < old.convDay.length; k++) {
            if (Arrays.binarySearch(epochDays, old.convDay[k]) >= 0) continue;
            b.addConversion(old.convProfile[k], old.convTime[k], old.convDay[k], old.convEvent[k], old.convValue[k],
                    old.convCurrency[k]);
        }
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

    /** The index: touchpoints grouped by profile (a counting sort) and ordered by time then id; conversions by day. */
    public ReportIndex build() {
        int profileCount = profiles.size();
        int[] start = new int[profileCount + 1];
        int[] order = groupBy(tProfile, touches, start);
        for (int p = 0; p < profileCount; p++) sortByTime(order, start[p], start[p + 1]);
        long[] time = new long[touches];
        long[] id = new long[touches];
        int[] shape = new int[touches];
        for (int k = 0; k < touches; k++) {
            time[k] = tTime[order[k]];
            id[k] = tId[order[k]];
            shape[k] = tShape[order[k]];
        }
        int[] cOrder = byDay();
        int[] day = new int[conversions];
        long[] ctime = new long[conversions];
        int[] cprofile = new int[conversions];
        int[] event = new int[conversions];
        double[] value = new double[conversions];
        int[] currency = new int[conversions];
        for (int k = 0; k < conversions; k++) {
            int r = cOrder[k];
            day[k] = cDay[r];
            ctime[k] = cTime[r];
            cprofile[k] = cProfile[r];
            event[k] = cEvent[r];
            value[k] = cValue[r];
            currency[k] = cCurrency[r];
        }
        return new ReportIndex(zone, shapes, profiles, events.array(), currencies.array(), start, time, id, shape, day,
                ctime, cprofile, event, value, currency);
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

    /**
     * A profile's rows by (time, id): none when they are in order already (a stored path is; a rebuild adds a day's
     * touchpoints after the rest), insertion sort for the usual handful, a full sort for long ones.
     */
    private void sortByTime(int[] order, int from, int to) {
        int unsorted = from + 1;
        while (unsorted < to && !after(order[unsorted - 1], order[unsorted])) unsorted++;
        if (unsorted >= to) return;
        if (to - from > 32) {
            Integer[] boxed = new Integer[to - from];
            for (int i = from; i < to; i++) boxed[i - from] = order[i];
            Arrays.sort(boxed, (a, b) -> after(a, b) ? 1 : after(b, a) ? -1 : 0);
            for (int i = from; i < to; i++) order[i] = boxed[i - from];
            return;
        }
        for (int i = from + 1; i < to; i++) {
            int r = order[i];
            int j = i - 1;
            while (j >= from && after(order[j], r)) {
                order[j + 1] = order[j];
                j--;
            }
            order[j + 1] = r;
        }
    }

    private boolean after(int a, int b) {
        return tTime[a] > tTime[b] || tTime[a] == tTime[b] && tId[a] > tId[b];
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
