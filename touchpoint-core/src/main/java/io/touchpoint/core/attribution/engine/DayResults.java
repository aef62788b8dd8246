package io.touchpoint.core.attribution.engine;

import io.touchpoint.core.attribution.GroupBy;
import io.touchpoint.core.attribution.models.AttributionModel;

import java.time.LocalDate;
import java.util.HashMap;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The report engine's sums of each conversion day, per kind of query, kept beside a workspace's index so that a report
 * after a rebuild computes only the days the replaced days can reach: a day's conversions are credited over the
 * touchpoints of at most {@code window} days before them, so replacing day r leaves the sums of the days before r and
 * of those more than a window (and a day for daylight saving) after it as they were. A lifetime window reaches every
 * later day. Held for one index at a time ({@link #advance}); at most {@code maxQueries} kinds of query and
 * {@code maxCells} credited cells in all (20 bytes each), the kind used least recently dropped first.
 */
public final class DayResults {
    /** What a day's sums depend on besides the day: the query without its range. */
    record Kind(List<String> eventNames, GroupBy groupBy, List<AttributionModel> models, int windowDays,
                double halfLifeDays, String platform) {
        static Kind of(EngineQuery q) {
            return new Kind(q.eventNames(), q.groupBy(), q.models(), q.windowDays(), q.halfLifeDays(), q.platform());
        }
    }

    /**
     * One day's sums: the cells credited (their numbers in the engine's layout for {@code currencies} currencies) with
     * their conversions and revenue, and the day's conversion count and value per currency.
     */
    record Day(int currencies, int[] cells, double[] conversions, double[] revenue, long[] count, double[] value) {
    }

    private final int maxQueries;
    private final long maxCells;
    private final Map<Kind, Map<Integer, Day>> kinds = new LinkedHashMap<>(16, 0.75f, true);
    /** The cells of every day kept. */
    private long cells;
    private ReportIndex index;
    /** Raised by every {@link #advance}: sums computed over an earlier index are not kept. */
    private long generation;

    public DayResults(int maxQueries, long maxCells) {
        this.maxQueries = maxQueries;
        this.maxCells = maxCells;
    }

    /**
     * Moves the kept sums to {@code next}, built from the current index by replacing {@code replaced} (null: read whole,
     * nothing kept).
     */
    public synchronized void advance(ReportIndex next, Set<LocalDate> replaced) {
        generation++;
        if (replaced == null || index == null) {
            kinds.clear();
            cells = 0;
        } else {
            int[] days = replaced.stream().mapToInt(d -> (int) d.toEpochDay()).sorted().toArray();
            for (Map.Entry<Kind, Map<Integer, Day>> e : kinds.entrySet()) {
                int reach = e.getKey().windowDays() == EngineQuery.LIFETIME ? Integer.MAX_VALUE : e.getKey().windowDays() + 2;
                e.getValue().entrySet().removeIf(day -> {
                    boolean reachedByChange = reached(days, day.getKey(), reach);
                    if (reachedByChange) cells -= day.getValue().cells().length;
                    return reachedByChange;
                });
            }
        }
        index = next;
    }

    /** Whether a replaced day falls in [day - reach, day]. */
    private static boolean reached(int[] replaced, int day, int reach) {
        int at = java.util.Arrays.binarySearch(replaced, day);
        if (at >= 0) return true;
        int before = -at - 2; // the last replaced day below this one
        return before >= 0 && (long) day - replaced[before] <= reach;
    }

    /** A stamp for {@link #put}: the generation now, or -1 when the sums kept are not {@code ix}'s. */
    synchronized long stamp(ReportIndex ix) {
        return ix == index ? generation : -1;
    }

    synchronized Day get(ReportIndex ix, EngineQuery q, int day) {
        if (ix != index) return null;
        Map<Integer, Day> days = kinds.get(Kind.of(q));
        Day d = days == null ? null : days.get(day);
        return d == null || d.currencies() != ix.currencies.length ? null : d;
    }

    /** Keeps a day's sums computed over the index of {@code stamp}, unless the index was replaced meanwhile. */
    synchronized void put(long stamp, EngineQuery q, int day, Day sums) {
        if (stamp != generation || stamp < 0) return;
        Map<Integer, Day> days = kinds.computeIfAbsent(Kind.of(q), k -> new HashMap<>());
        Day before = days.put(day, sums);
        cells += sums.cells().length - (before == null ? 0 : before.cells().length);
        Iterator<Map<Integer, Day>> eldest = kinds.values().iterator();
        while (kinds.size() > 1 && (kinds.size() > maxQueries || cells > maxCells)) {
            Map<Integer, Day> dropped = eldest.next();
            if (dropped == days) continue; // the kind being computed stays
            for (Day d : dropped.values()) cells -= d.cells().length;
            eldest.remove();
        }
    }
}
