package io.touchpoint.core.attribution.engine;

import io.touchpoint.core.attribution.GroupBy;
import io.touchpoint.core.attribution.models.AttributionModel;
import io.touchpoint.core.attribution.report.ConversionTotal;
import io.touchpoint.core.attribution.report.CreditCell;
import org.junit.jupiter.api.Test;

import java.time.LocalDate;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.TreeSet;

import static io.touchpoint.core.attribution.engine.ReportEngineTest.SHAPES;
import static io.touchpoint.core.attribution.engine.ReportEngineTest.shapeOf;
import static io.touchpoint.core.attribution.engine.ReportEngineTest.shapes;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Random changes to random days, each brought into an index by a rebuild from the changed days' rows only: the rebuilt
 * index holds the rows a fresh read of all the data holds, profile by profile, and answers every query alike.
 */
class IndexRebuildTest {
    /** A zone with a daylight saving change in the span: its days are not all 24 hours long. */
    static final ZoneId ZONE = ZoneId.of("Europe/Berlin");
    static final LocalDate FIRST = LocalDate.of(2026, 3, 15);
    static final int DAYS = 20;
    private static final String[] EVENTS = {"purchase", "lead"};
    private static final String[] CURRENCIES = {"USD", "EUR", ""};

    private record Touch(String profile, long at, long id, long shape) {
    }

    private record Conversion(String profile, long at, LocalDate day, String event, Double value, String currency) {
    }

    private final Random rnd = new Random(27);
    private long ids = 1;
    /** Profiles the rows are spread over. */
    private int people = 40;
    /** The credited cells the engine's day sums may keep. */
    private long keptCells = 1_000_000;

    @Test
    void rebuildingTheChangedDaysEqualsReadingEverythingAfresh() {
        rebuildsMatchFreshReads(400, 150, 40);
    }

    /** Day sums dropped for room between reports are computed again, alike. */
    @Test
    void daySumsDroppedForRoomAreComputedAgain() {
        keptCells = 200;
        rebuildsMatchFreshReads(400, 150, 10);
    }

    /** Most profiles have no touchpoint on a changed day: their runs are copied whole between the changed ones'. */
    @Test
    void rebuildingAFewOfManyProfilesEqualsReadingEverythingAfresh() {
        people = 900;
        rebuildsMatchFreshReads(1_500, 400, 15);
    }

    private void rebuildsMatchFreshReads(int touchCount, int conversionCount, int rounds) {
        List<Touch> touches = new ArrayList<>();
        List<Conversion> conversions = new ArrayList<>();
        for (int k = 0; k < touchCount; k++) touches.add(touch(rnd.nextInt(DAYS)));
        for (int k = 0; k < conversionCount; k++) conversions.add(conversion(rnd.nextInt(DAYS)));
        ReportIndex index = fresh(touches, conversions);
        // the engine's per-day sums, kept across the rebuilds: only the days a change can reach are computed again
        DayResults kept = new DayResults(8, keptCells);
        kept.advance(index, null);
        for (int round = 0; round < rounds; round++) {
            for (EngineQuery q : queries()) ReportEngine.run(index, q, kept);
            Set<LocalDate> changed = new TreeSet<>();
            int n = 1 + rnd.nextInt(3);
            for (int i = 0; i < n; i++) changed.add(FIRST.plusDays(rnd.nextInt(DAYS + 2))); // a day with no rows yet too
            change(changed, touches, conversions);
            int before = index.touchpoints();
            IndexBuilder b = IndexBuilder.rebuild(index, changed);
            shapes(b);
            List<Touch> dayTouches = new ArrayList<>(touches.stream().filter(t -> changed.contains(day(t.at()))).toList());
            Collections.shuffle(dayTouches, rnd); // the store's order is its own
            for (Touch t : dayTouches) b.touch(t.profile(), t.at(), t.id(), t.shape());
            for (Conversion c : conversions) {
                if (changed.contains(c.day())) b.conversion(c.profile(), c.at(), c.day(), c.event(), c.value(), c.currency());
            }
            ReportIndex rebuilt = b.build();
            kept.advance(rebuilt, changed);
            ReportIndex expected = fresh(touches, conversions);
            assertThat(paths(rebuilt)).as("round %d", round).isEqualTo(paths(expected));
            assertThat(conversionRows(rebuilt)).as("round %d", round).isEqualTo(conversionRows(expected));
            for (EngineQuery q : queries()) {
                assertThat(answer(rebuilt, q)).as("round %d, %s", round, q).isEqualTo(answer(expected, q));
                assertThat(answer(ReportEngine.run(rebuilt, q, kept))).as("kept days, round %d, %s", round, q)
                        .isEqualTo(answer(expected, q));
            }
            assertThat(index.touchpoints()).as("the index read before is left as it was").isEqualTo(before);
            index = rebuilt;
        }
    }

    private Touch touch(int day) {
        long start = FIRST.plusDays(day).atStartOfDay(ZONE).toInstant().toEpochMilli();
        long end = FIRST.plusDays(day + 1).atStartOfDay(ZONE).toInstant().toEpochMilli();
        // a few share a time, so the id orders them
        long at = rnd.nextInt(5) == 0 ? start + 3_600_000L : start + (long) (rnd.nextDouble() * (end - start));
        return new Touch("p" + rnd.nextInt(people), at, ids++, shapeOf(SHAPES.get(rnd.nextInt(SHAPES.size()))));
    }

    private Conversion conversion(int day) {
        LocalDate d = FIRST.plusDays(day);
        long at = d.atStartOfDay(ZONE).toInstant().toEpochMilli() + rnd.nextInt(86_000_000);
        return new Conversion("p" + rnd.nextInt(people), at, d, EVENTS[rnd.nextInt(EVENTS.length)],
                rnd.nextInt(4) == 0 ? null : (double) rnd.nextInt(200), CURRENCIES[rnd.nextInt(CURRENCIES.length)]);
    }

    /** Drops some of the days' rows, adds others, and moves some to another profile (as a merge does). */
    private void change(Set<LocalDate> days, List<Touch> touches, List<Conversion> conversions) {
        touches.removeIf(t -> days.contains(day(t.at())) && rnd.nextInt(3) == 0);
        conversions.removeIf(c -> days.contains(c.day()) && rnd.nextInt(3) == 0);
        touches.replaceAll(t -> days.contains(day(t.at())) && rnd.nextInt(4) == 0
                ? new Touch("p" + rnd.nextInt(people + 5), t.at(), t.id(), t.shape()) : t);
        conversions.replaceAll(c -> days.contains(c.day()) && rnd.nextInt(4) == 0
                ? new Conversion("p" + rnd.nextInt(people + 5), c.at(), c.day(), c.event(), c.value(), c.currency()) : c);
        for (LocalDate d : days) {
            int day = (int) (d.toEpochDay() - FIRST.toEpochDay());
            for (int k = rnd.nextInt(25); k > 0; k--) touches.add(touch(day));
            for (int k = rnd.nextInt(8); k > 0; k--) conversions.add(conversion(day));
        }
    }

    private static LocalDate day(long at) {
        return java.time.Instant.ofEpochMilli(at).atZone(ZONE).toLocalDate();
    }

    private static ReportIndex fresh(List<Touch> touches, List<Conversion> conversions) {
        IndexBuilder b = IndexBuilder.fresh(ZONE);
        shapes(b);
        for (Touch t : touches) b.touch(t.profile(), t.at(), t.id(), t.shape());
        for (Conversion c : conversions) b.conversion(c.profile(), c.at(), c.day(), c.event(), c.value(), c.currency());
        return b.build();
    }

    /** Profile → its touchpoints in the index's order, each as time, id and channel. */
    static Map<String, List<String>> paths(ReportIndex ix) {
        Map<String, List<String>> out = new HashMap<>();
        ix.profiles.forEach((key, p) -> {
            List<String> path = new ArrayList<>();
            for (int k = ix.touchStart[p]; k < ix.touchStart[p + 1]; k++) {
                path.add(ix.touchTime[k] + "/" + ix.touchId[k] + "/" + ix.shapeTable.value(ix.touchShape[k], GroupBy.CAMPAIGN));
            }
            if (!path.isEmpty()) out.put(key, path);
        });
        return out;
    }

    /** The conversions in the index's order, each by its values (profile by key): ordered by day, then as handed. */
    static List<String> conversionRows(ReportIndex ix) {
        Map<Integer, String> keys = new HashMap<>();
        ix.profiles.forEach((key, p) -> keys.put(p, key));
        List<String> out = new ArrayList<>();
        for (int k = 0; k < ix.conversions(); k++) {
            out.add(ix.convDay[k] + "/" + keys.get(ix.convProfile[k]) + "/" + ix.convTime[k] + "/"
                    + ix.eventNames[ix.convEvent[k]] + "/" + ix.convValue[k] + "/" + ix.currencies[ix.convCurrency[k]]);
        }
        // within a day the store's order is its own: compare each day's rows as a set
        List<String> sorted = new ArrayList<>(out);
        Collections.sort(sorted);
        assertThat(out.stream().map(r -> Integer.parseInt(r.substring(0, r.indexOf('/')))).toList()).isSorted();
        return sorted;
    }

    static List<EngineQuery> queries() {
        List<EngineQuery> out = new ArrayList<>();
        LocalDate last = FIRST.plusDays(DAYS + 1);
        for (int window : new int[]{1, 7, EngineQuery.LIFETIME}) {
            out.add(new EngineQuery(FIRST, last, null, GroupBy.CHANNEL, AttributionModel.RULE_BASED, window, 7, null, true));
        }
        out.add(new EngineQuery(FIRST.plusDays(5), FIRST.plusDays(12), List.of("purchase"), GroupBy.CAMPAIGN,
                List.of(AttributionModel.LINEAR_PAID, AttributionModel.SOURCE_FIRST_TOUCH, AttributionModel.SOURCE_LAST_TOUCH),
                14, 3, "google", false));
        return out;
    }

    /** The answer with figures rounded off the order in which sums were added. */
    static List<String> answer(ReportIndex ix, EngineQuery q) {
        return answer(ReportEngine.run(ix, q));
    }

    static List<String> answer(EngineResult r) {
        List<String> out = new ArrayList<>();
        for (List<CreditCell> cells : List.of(r.credits(), r.dailyCredits())) {
            for (CreditCell c : cells) {
                out.add(c.day() + "|" + c.group() + "|" + c.model() + "|" + c.currency() + "|"
                        + Math.round(c.conversions() * 1e9) + "|" + Math.round(c.revenue() * 1e6));
            }
        }
        for (List<ConversionTotal> totals : List.of(r.totals(), r.dailyTotals())) {
            for (ConversionTotal t : totals) out.add(String.valueOf(t));
        }
        Collections.sort(out);
        return out;
    }
}
