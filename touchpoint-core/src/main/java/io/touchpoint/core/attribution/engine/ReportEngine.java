package io.touchpoint.core.attribution.engine;

import io.touchpoint.core.attribution.GroupBy;
import io.touchpoint.core.attribution.models.AttributionModel;
import io.touchpoint.core.attribution.models.PathWeights;
import io.touchpoint.core.attribution.report.ConversionTotal;
import io.touchpoint.core.attribution.report.CreditCell;

import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Evaluates an {@link EngineQuery} over a {@link ReportIndex} in memory (docs/ATTRIBUTION.md, *Report engine*): the
 * conversions of the range's days whose event matches; for each, its profile's touchpoints in the window before it
 * (two binary searches in the profile's time-ordered touchpoints), credited under each model and summed per group,
 * model and currency in flat arrays. A conversion with no touchpoint in its window is credited to the Direct stand-in,
 * except under the source-specific models, which credit only conversions with a touch of their platform.
 */
public final class ReportEngine {
    private static final double DAY_MILLIS = 86_400_000.0;

    private ReportEngine() {
    }

    public static EngineResult run(ReportIndex ix, EngineQuery q) {
        return run(ix, q, new double[0][]);
    }

    /**
     * The query's result, summed day by day: each conversion day's sums are taken from {@code kept} when it holds them
     * for {@code ix}, else computed and kept there. The same answer (added in the same order) whichever days were kept.
     */
    public static EngineResult run(ReportIndex ix, EngineQuery q, DayResults kept) {
        return new Run(ix, q, new double[0][], kept).run();
    }

    /**
     * The query's result with, per group and model, the credit-weighted sums of each field column ({@link FieldColumn},
     * aligned with {@code ix}'s conversions): a conversion's credit counts in a field's sums only when it carries it.
     */
    public static EngineResult run(ReportIndex ix, EngineQuery q, double[][] fields) {
        for (double[] f : fields) {
            if (f.length != ix.convDay.length) throw new IllegalArgumentException("a field column of another index");
        }
        return new Run(ix, q, fields, null).run();
    }

    private static final class Run {
        private final ReportIndex ix;
        private final EngineQuery q;
        private final AttributionModel[] models;
        private final int groupCount;
        private final int[] groupOfShape;
        private final String[] groupNames;
        private final boolean[] eventCounts;
        private final boolean[] ofPlatform;
        private final int currencies;
        private final double[] conversions;
        private final double[] revenue;
        private final long[] totalCount;
        private final double[] totalValue;
        private final double[][] fields;
        /** Per group, model and field: sum(credit × value), sum(credit). */
        private final double[] fieldSum;
        private final double[] fieldCredit;
        /** Per-day sums kept across reports, or null: the range is summed conversion by conversion. */
        private final DayResults kept;
        /** Where {@link #credit} adds: the range's sums, or one day's when summing day by day. */
        private double[] sumConversions;
        private double[] sumRevenue;
        private long[] sumCount;
        private double[] sumValue;
        /** The conversion being credited. */
        private int conversion;
        private final List<CreditCell> daily = new ArrayList<>();
        private final List<ConversionTotal> dailyTotals = new ArrayList<>();
        private double[] ages = new double[16];
        private boolean[] direct = new boolean[16];
        private boolean[] paid = new boolean[16];
        private double[] weights = new double[16];

        Run(ReportIndex ix, EngineQuery q, double[][] fields, DayResults kept) {
            this.ix = ix;
            this.q = q;
            this.fields = fields;
            this.kept = kept;
            this.models = q.models().toArray(new AttributionModel[0]);
            Shapes.Frozen shapes = ix.shapeTable;
            Map<String, Integer> groups = new HashMap<>();
            List<String> names = new ArrayList<>();
            groupOfShape = new int[shapes.size()];
            ofPlatform = new boolean[shapes.size()];
            for (int s = 0; s < shapes.size(); s++) {
                groupOfShape[s] = groups.computeIfAbsent(shapes.value(s, q.groupBy()), g -> {
                    names.add(g);
                    return names.size() - 1;
                });
                ofPlatform[s] = s != Shapes.STAND_IN && shapes.value(s, GroupBy.PLATFORM).equals(q.platform());
            }
            groupNames = names.toArray(new String[0]);
            groupCount = groupNames.length;
            eventCounts = new boolean[ix.eventNames.length];
            for (int e = 0; e < eventCounts.length; e++) {
                eventCounts[e] = q.eventNames() == null || q.eventNames().contains(ix.eventNames[e]);
            }
            currencies = ix.currencies.length;
            int cells = groupCount * models.length * currencies;
            conversions = new double[cells];
            revenue = new double[cells];
            totalCount = new long[currencies];
            totalValue = new double[currencies];
            fieldSum = new double[groupCount * models.length * fields.length];
            fieldCredit = new double[fieldSum.length];
            sumConversions = conversions;
            sumRevenue = revenue;
            sumCount = totalCount;
            sumValue = totalValue;
        }

        EngineResult run() {
            if (kept != null) return byDay();
            int first = (int) q.from().toEpochDay();
            int last = (int) q.to().toEpochDay();
            int i = lowerBound(ix.convDay, 0, ix.convDay.length, first);
            int end = lowerBound(ix.convDay, i, ix.convDay.length, last + 1);
            double[] dayConversions = q.daily() ? new double[conversions.length] : null;
            double[] dayRevenue = q.daily() ? new double[conversions.length] : null;
            long[] dayCount = q.daily() ? new long[currencies] : null;
            double[] dayValue = q.daily() ? new double[currencies] : null;
            while (i < end) {
                int day = ix.convDay[i];
                int dayEnd = lowerBound(ix.convDay, i, end, day + 1);
                for (; i < dayEnd; i++) {
                    if (!eventCounts[ix.convEvent[i]]) continue;
                    credit(i, dayConversions, dayRevenue, dayCount, dayValue);
                }
                if (q.daily()) {
                    LocalDate d = LocalDate.ofEpochDay(day);
                    emit(d, dayConversions, dayRevenue, daily);
                    totals(d, dayCount, dayValue, dailyTotals);
                    Arrays.fill(dayConversions, 0);
                    Arrays.fill(dayRevenue, 0);
                    Arrays.fill(dayCount, 0);
                    Arrays.fill(dayValue, 0);
                }
            }
            return result();
        }

        /** The range's sums, and the days' when asked for, as the answer. */
        private EngineResult result() {
            List<CreditCell> cells = new ArrayList<>();
            emit(null, conversions, revenue, cells);
            List<ConversionTotal> totals = new ArrayList<>();
            totals(null, totalCount, totalValue, totals);
            return new EngineResult(cells, totals, daily, dailyTotals, fieldCells());
        }

        /** {@link #run} a day at a time, each day's sums from {@link #kept} or computed and kept. */
        private EngineResult byDay() {
            int first = (int) q.from().toEpochDay();
            int last = (int) q.to().toEpochDay();
            int i = lowerBound(ix.convDay, 0, ix.convDay.length, first);
            int end = lowerBound(ix.convDay, i, ix.convDay.length, last + 1);
            long stamp = kept.stamp(ix);
            double[] dayConversions = new double[conversions.length];
            double[] dayRevenue = new double[conversions.length];
            long[] dayCount = new long[currencies];
            double[] dayValue = new double[currencies];
            while (i < end) {
                int day = ix.convDay[i];
                int dayEnd = lowerBound(ix.convDay, i, end, day + 1);
                DayResults.Day sums = kept.get(ix, q, day);
                if (sums == null) {
                    sumConversions = dayConversions;
                    sumRevenue = dayRevenue;
                    sumCount = dayCount;
                    sumValue = dayValue;
                    for (int k = i; k < dayEnd; k++) {
                        if (eventCounts[ix.convEvent[k]]) credit(k, null, null, null, null);
                    }
                    sums = sparse(dayConversions, dayRevenue, dayCount, dayValue);
                    kept.put(stamp, q, day, sums);
                } else {
                    for (int k = 0; k < sums.cells().length; k++) {
                        dayConversions[sums.cells()[k]] = sums.conversions()[k];
                        dayRevenue[sums.cells()[k]] = sums.revenue()[k];
                    }
                    System.arraycopy(sums.count(), 0, dayCount, 0, currencies);
                    System.arraycopy(sums.value(), 0, dayValue, 0, currencies);
                }
                i = dayEnd;
                for (int k = 0; k < sums.cells().length; k++) {
                    conversions[sums.cells()[k]] += sums.conversions()[k];
                    revenue[sums.cells()[k]] += sums.revenue()[k];
                }
                for (int c = 0; c < currencies; c++) {
                    totalCount[c] += sums.count()[c];
                    totalValue[c] += sums.value()[c];
                }
                if (q.daily()) {
                    LocalDate d = LocalDate.ofEpochDay(day);
                    emit(d, dayConversions, dayRevenue, daily);
                    totals(d, dayCount, dayValue, dailyTotals);
                }
                for (int cell : sums.cells()) {
                    dayConversions[cell] = 0;
                    dayRevenue[cell] = 0;
                }
                Arrays.fill(dayCount, 0);
                Arrays.fill(dayValue, 0);
            }
            return result();
        }

        /** A day's dense sums as the cells they credit. */
        private DayResults.Day sparse(double[] conv, double[] rev, long[] count, double[] value) {
            int n = 0;
            for (int cell = 0; cell < conv.length; cell++) if (conv[cell] != 0 || rev[cell] != 0) n++;
            int[] cells = new int[n];
            double[] c = new double[n];
            double[] r = new double[n];
            n = 0;
            for (int cell = 0; cell < conv.length; cell++) {
                if (conv[cell] == 0 && rev[cell] == 0) continue;
                cells[n] = cell;
                c[n] = conv[cell];
                r[n++] = rev[cell];
            }
            return new DayResults.Day(currencies, cells, c, r, count.clone(), value.clone());
        }

        private void credit(int i, double[] dayConversions, double[] dayRevenue, long[] dayCount, double[] dayValue) {
            conversion = i;
            int currency = ix.convCurrency[i];
            double value = Double.isNaN(ix.convValue[i]) ? 0 : ix.convValue[i];
            sumCount[currency]++;
            sumValue[currency] += value;
            if (dayCount != null) {
                dayCount[currency]++;
                dayValue[currency] += value;
            }
            int p = ix.convProfile[i];
            long at = ix.convTime[i];
            int s = ix.touchStart[p];
            int hi = upperBound(ix.touchTime, s, ix.touchStart[p + 1], at);
            int lo = q.windowDays() == EngineQuery.LIFETIME ? s
                    : lowerBound(ix.touchTime, s, hi, at - q.windowDays() * 86_400_000L);
            int n = hi - lo;
            fill(lo, n, at);
            for (int m = 0; m < models.length; m++) {
                AttributionModel model = models[m];
                if (model.needsPlatform()) {
                    int k = sourceTouch(lo, n, model == AttributionModel.SOURCE_FIRST_TOUCH);
                    if (k >= 0) add(ix.touchShape[k], m, currency, 1, value, dayConversions, dayRevenue);
                } else if (n == 0 || model == AttributionModel.LINEAR_PAID && !PathWeights.hasPaid(paid, n)) {
                    add(Shapes.STAND_IN, m, currency, 1, value, dayConversions, dayRevenue);
                } else {
                    PathWeights.weights(model, ages, direct, paid, n, q.halfLifeDays(), weights);
                    for (int k = 0; k < n; k++) {
                        if (weights[k] != 0) add(ix.touchShape[lo + k], m, currency, weights[k], value, dayConversions, dayRevenue);
                    }
                }
            }
        }

        /** The path's ages, Direct and paid flags into the scratch arrays. */
        private void fill(int lo, int n, long at) {
            if (ages.length < n) {
                int size = Integer.highestOneBit(n) * 2;
                ages = new double[size];
                direct = new boolean[size];
                paid = new boolean[size];
                weights = new double[size];
            }
            Shapes.Frozen shapes = ix.shapeTable;
            for (int k = 0; k < n; k++) {
                int shape = ix.touchShape[lo + k];
                ages[k] = (at - ix.touchTime[lo + k]) / DAY_MILLIS;
                direct[k] = shapes.direct()[shape];
                paid[k] = shapes.paid()[shape];
            }
        }

        /** The first or last touch of the path on the query's platform, or -1. */
        private int sourceTouch(int lo, int n, boolean first) {
            for (int k = 0; k < n; k++) {
                int at = first ? lo + k : lo + n - 1 - k;
                if (ofPlatform[ix.touchShape[at]]) return at;
            }
            return -1;
        }

        private void add(int shape, int m, int currency, double credit, double value, double[] dayConversions,
                         double[] dayRevenue) {
            int cell = (groupOfShape[shape] * models.length + m) * currencies + currency;
            for (int f = 0; f < fields.length; f++) {
                double v = fields[f][conversion];
                if (Double.isNaN(v)) continue;
                int at = (groupOfShape[shape] * models.length + m) * fields.length + f;
                fieldSum[at] += credit * v;
                fieldCredit[at] += credit;
            }
            sumConversions[cell] += credit;
            sumRevenue[cell] += credit * value;
            if (dayConversions != null) {
                dayConversions[cell] += credit;
                dayRevenue[cell] += credit * value;
            }
        }

        private void emit(LocalDate day, double[] conv, double[] rev, List<CreditCell> out) {
            for (int cell = 0; cell < conv.length; cell++) {
                if (conv[cell] == 0 && rev[cell] == 0) continue;
                int currency = cell % currencies;
                int m = cell / currencies % models.length;
                int g = cell / currencies / models.length;
                out.add(new CreditCell(day, groupNames[g], models[m], ix.currencies[currency], conv[cell], rev[cell]));
            }
        }

        private List<EngineResult.FieldCell> fieldCells() {
            List<EngineResult.FieldCell> out = new ArrayList<>();
            for (int at = 0; at < fieldSum.length; at++) {
                if (fieldCredit[at] == 0) continue;
                int f = at % fields.length;
                int m = at / fields.length % models.length;
                int g = at / fields.length / models.length;
                out.add(new EngineResult.FieldCell(groupNames[g], models[m], f, fieldSum[at], fieldCredit[at]));
            }
            return out;
        }

        private void totals(LocalDate day, long[] count, double[] value, List<ConversionTotal> out) {
            for (int c = 0; c < currencies; c++) {
                if (count[c] > 0) out.add(new ConversionTotal(day, ix.currencies[c], count[c], value[c]));
            }
        }
    }

    /** The first index in [from, to) whose value is at least {@code key}. */
    static int lowerBound(int[] a, int from, int to, int key) {
        int lo = from;
        int hi = to;
        while (lo < hi) {
            int mid = (lo + hi) >>> 1;
            if (a[mid] < key) lo = mid + 1;
            else hi = mid;
        }
        return lo;
    }

    static int lowerBound(long[] a, int from, int to, long key) {
        int lo = from;
        int hi = to;
        while (lo < hi) {
            int mid = (lo + hi) >>> 1;
            if (a[mid] < key) lo = mid + 1;
            else hi = mid;
        }
        return lo;
    }

    /** The first index in [from, to) whose value is above {@code key}. */
    static int upperBound(long[] a, int from, int to, long key) {
        return key == Long.MAX_VALUE ? to : lowerBound(a, from, to, key + 1);
    }
}
