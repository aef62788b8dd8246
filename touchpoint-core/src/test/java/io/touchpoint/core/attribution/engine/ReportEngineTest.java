package io.touchpoint.core.attribution.engine;

import io.touchpoint.core.attribution.AttributionSettings;
import io.touchpoint.core.attribution.ConversionCredits;
import io.touchpoint.core.attribution.GroupBy;
import io.touchpoint.core.attribution.StoredTouch;
import io.touchpoint.core.attribution.models.AttributionModel;
import io.touchpoint.core.attribution.report.ConversionTotal;
import io.touchpoint.core.attribution.report.CreditCell;
import io.touchpoint.core.model.Campaign;
import io.touchpoint.core.touchpoint.ChannelGrouping;
import io.touchpoint.core.touchpoint.Touchpoint;
import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;

import static io.touchpoint.core.attribution.models.AttributionModel.*;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

/** Hand-computed journeys through the report engine: every path model, windows, event filters, days, rebuilds. */
class ReportEngineTest {
    static final LocalDate DAY = LocalDate.of(2026, 3, 20);
    static final long T = DAY.atTime(12, 0).toInstant(ZoneOffset.UTC).toEpochMilli();
    static final long D = 86_400_000L;

    static final Touchpoint META_AD = touch("facebook", "cpc", "spring");
    static final Touchpoint GOOGLE_ORGANIC = touch("google", "organic", null);
    static final Touchpoint GOOGLE_AD = touch("google", "cpc", "brand");
    static final Touchpoint NEWSLETTER = touch("newsletter", "email", "march");

    static Touchpoint touch(String source, String medium, String campaign) {
        return ChannelGrouping.classify(new ChannelGrouping.Visit(
                new Campaign(source, medium, campaign, null, null, null, null, null, null, null, null), null, null, null));
    }

    /** Rows as a store would hand them; shape numbers are the touchpoints' positions in {@link #SHAPES}. */
    static final List<Touchpoint> SHAPES = List.of(META_AD, GOOGLE_ORGANIC, GOOGLE_AD, NEWSLETTER);

    static void shapes(ReportRows rows) {
        for (int i = 0; i < SHAPES.size(); i++) rows.shape(100 + i, values(SHAPES.get(i)));
    }

    static List<String> values(Touchpoint t) {
        List<String> v = new ArrayList<>();
        for (GroupBy g : GroupBy.values()) v.add(g.of(t));
        return v;
    }

    static long shapeOf(Touchpoint t) {
        return 100 + SHAPES.indexOf(t);
    }

    /**
     * alice: Paid Social (meta) 10 days before, Organic Search (google) 5 days before, Paid Search (google) 1 day
     * before a 90 USD purchase. bob: an e-mail 2 days before a 30 USD purchase. carol: nothing, a lead without value.
     * dave: Paid Social 200 days before a 10 EUR purchase the next day.
     */
    static ReportIndex index() {
        IndexBuilder b = IndexBuilder.fresh(ZoneOffset.UTC);
        shapes(b);
        b.touch("alice", T - 10 * D, 1, shapeOf(META_AD));
        b.touch("alice", T - 5 * D, 2, shapeOf(GOOGLE_ORGANIC));
        b.touch("alice", T - D, 3, shapeOf(GOOGLE_AD));
        b.conversion("alice", T, DAY, "purchase", 90.0, "USD");
        b.touch("bob", T - 2 * D, 4, shapeOf(NEWSLETTER));
        b.conversion("bob", T, DAY, "purchase", 30.0, "USD");
        b.conversion("carol", T, DAY, "lead", null, "");
        b.touch("dave", T - 200 * D, 5, shapeOf(META_AD));
        b.conversion("dave", T + D, DAY.plusDays(1), "purchase", 10.0, "EUR");
        return b.build();
    }

    static EngineQuery query(GroupBy g, List<AttributionModel> models, int window, String platform) {
        return new EngineQuery(DAY, DAY.plusDays(1), null, g, models, window, 7, platform, false);
    }

    /** group → conversions under the model, all currencies. */
    static Map<String, Double> conversions(EngineResult r, AttributionModel m) {
        Map<String, Double> out = new HashMap<>();
        for (CreditCell c : r.credits()) if (c.model() == m) out.merge(c.group(), c.conversions(), Double::sum);
        out.replaceAll((g, v) -> Math.round(v * 1e6) / 1e6);
        return out;
    }

    @Test
    void theClassicModelsOverAThirtyDayWindow() {
        EngineResult r = ReportEngine.run(index(), query(GroupBy.CHANNEL, List.of(FIRST_TOUCH, LAST_TOUCH, LINEAR,
                POSITION_BASED), 30, null));
        // dave's only touch is 200 days old: the Direct stand-in, like carol's empty path
        assertThat(conversions(r, FIRST_TOUCH)).isEqualTo(Map.of("Paid Social", 1.0, "Email", 1.0, "Direct", 2.0));
        assertThat(conversions(r, LAST_TOUCH)).isEqualTo(Map.of("Paid Search", 1.0, "Email", 1.0, "Direct", 2.0));
        assertThat(conversions(r, LINEAR)).isEqualTo(Map.of("Paid Social", 0.333333, "Organic Search", 0.333333,
                "Paid Search", 0.333333, "Email", 1.0, "Direct", 2.0));
        assertThat(conversions(r, POSITION_BASED)).isEqualTo(Map.of("Paid Social", 0.4, "Organic Search", 0.2,
                "Paid Search", 0.4, "Email", 1.0, "Direct", 2.0));
        assertThat(r.totals()).containsExactlyInAnyOrder(new ConversionTotal(null, "USD", 2, 120),
                new ConversionTotal(null, "", 1, 0), new ConversionTotal(null, "EUR", 1, 10));
    }

    @Test
    void linearPaidSplitsOverPaidTouchesAndCreditsTheStandInWithoutOne() {
        EngineResult r = ReportEngine.run(index(), query(GroupBy.CHANNEL, List.of(LINEAR_PAID), 30, null));
        // alice: Paid Social and Paid Search half each; bob's e-mail is not paid, carol and dave have no touch
        assertThat(conversions(r, LINEAR_PAID)).isEqualTo(Map.of("Paid Social", 0.5, "Paid Search", 0.5, "Direct", 3.0));
        double usd = r.credits().stream().filter(c -> c.group().equals("Paid Search") && c.currency().equals("USD"))
                .mapToDouble(CreditCell::revenue).sum();
        assertThat(usd).isEqualTo(45.0);
    }

    @Test
    void sourceModelsLookOnlyAtThePlatformsTouches() {
        EngineQuery google = query(GroupBy.CHANNEL, List.of(SOURCE_FIRST_TOUCH, SOURCE_LAST_TOUCH), 30, "google");
        EngineResult r = ReportEngine.run(index(), google);
        // alice's google touches are the organic visit, then the ad; the others had none and are not credited
        assertThat(conversions(r, SOURCE_FIRST_TOUCH)).isEqualTo(Map.of("Organic Search", 1.0));
        assertThat(conversions(r, SOURCE_LAST_TOUCH)).isEqualTo(Map.of("Paid Search", 1.0));
        assertThat(r.totals().stream().mapToLong(ConversionTotal::conversions).sum()).isEqualTo(4);

        EngineResult meta = ReportEngine.run(index(), query(GroupBy.CAMPAIGN, List.of(SOURCE_LAST_TOUCH), 30, "meta"));
        assertThat(conversions(meta, SOURCE_LAST_TOUCH)).isEqualTo(Map.of("spring", 1.0));
        EngineResult metaLifetime = ReportEngine.run(index(), query(GroupBy.CAMPAIGN, List.of(SOURCE_LAST_TOUCH),
                EngineQuery.LIFETIME, "meta"));
        assertThat(conversions(metaLifetime, SOURCE_LAST_TOUCH)).isEqualTo(Map.of("spring", 2.0));
    }

    @Test
    void theWindowDecidesWhichTouchesCount() {
        EngineResult week = ReportEngine.run(index(), query(GroupBy.CHANNEL, List.of(FIRST_TOUCH, LINEAR_PAID), 7, null));
        assertThat(conversions(week, FIRST_TOUCH)).isEqualTo(Map.of("Organic Search", 1.0, "Email", 1.0, "Direct", 2.0));
        assertThat(conversions(week, LINEAR_PAID)).isEqualTo(Map.of("Paid Search", 1.0, "Direct", 3.0));
        // a touch exactly one window before the conversion is inside it
        EngineResult day = ReportEngine.run(index(), query(GroupBy.CHANNEL, List.of(FIRST_TOUCH), 1, null));
        assertThat(conversions(day, FIRST_TOUCH)).isEqualTo(Map.of("Paid Search", 1.0, "Direct", 3.0));
        EngineResult lifetime = ReportEngine.run(index(), query(GroupBy.CHANNEL, List.of(FIRST_TOUCH), EngineQuery.LIFETIME, null));
        assertThat(conversions(lifetime, FIRST_TOUCH)).isEqualTo(Map.of("Paid Social", 2.0, "Email", 1.0, "Direct", 1.0));
    }

    @Test
    void eventNamesDaysAndTheDailySeries() {
        EngineQuery purchases = new EngineQuery(DAY, DAY.plusDays(1), List.of("purchase"), GroupBy.CHANNEL,
                List.of(LAST_TOUCH), 30, 7, null, true);
        EngineResult r = ReportEngine.run(index(), purchases);
        assertThat(conversions(r, LAST_TOUCH)).isEqualTo(Map.of("Paid Search", 1.0, "Email", 1.0, "Direct", 1.0));
        assertThat(r.dailyTotals()).containsExactlyInAnyOrder(new ConversionTotal(DAY, "USD", 2, 120),
                new ConversionTotal(DAY.plusDays(1), "EUR", 1, 10));
        assertThat(r.dailyCredits()).contains(new CreditCell(DAY.plusDays(1), "Direct", LAST_TOUCH, "EUR", 1, 10));
        EngineResult firstDay = ReportEngine.run(index(), new EngineQuery(DAY, DAY, null, GroupBy.CHANNEL,
                List.of(LAST_TOUCH), 30, 7, null, false));
        assertThat(firstDay.totals().stream().mapToLong(ConversionTotal::conversions).sum()).isEqualTo(3);
    }

    @Test
    void rebuildingADayReplacesItsRowsOnly() {
        ReportIndex before = index();
        LocalDate touchDay = Instant.ofEpochMilli(T - 2 * D).atZone(ZoneOffset.UTC).toLocalDate();
        // bob merged into alice: the stage marks every day of both, and the store hands those days' rows again
        IndexBuilder b = IndexBuilder.rebuild(before, Set.of(touchDay, DAY));
        shapes(b);
        b.touch("alice", T - 2 * D, 4, shapeOf(NEWSLETTER));
        b.conversion("alice", T, DAY, "purchase", 90.0, "USD");
        b.conversion("alice", T, DAY, "purchase", 30.0, "USD");
        b.conversion("carol", T, DAY, "lead", null, "");
        ReportIndex after = b.build();
        EngineResult r = ReportEngine.run(after, query(GroupBy.CHANNEL, List.of(FIRST_TOUCH, LAST_TOUCH), 30, null));
        assertThat(conversions(r, FIRST_TOUCH)).isEqualTo(Map.of("Paid Social", 2.0, "Direct", 2.0));
        assertThat(conversions(r, LAST_TOUCH)).isEqualTo(Map.of("Paid Search", 2.0, "Direct", 2.0));
        assertThat(after.touchpoints()).isEqualTo(5);
        assertThat(after.conversions()).isEqualTo(4);
        // the index read before the rebuild still answers as it did
        assertThat(conversions(ReportEngine.run(before, query(GroupBy.CHANNEL, List.of(FIRST_TOUCH), 30, null)), FIRST_TOUCH))
                .isEqualTo(Map.of("Paid Social", 1.0, "Email", 1.0, "Direct", 2.0));
    }

    /** The engine's credits are the stored ones: same paths, same weights, for every rule-based model. */
    @Test
    void matchesConversionCreditsOnRandomJourneys() {
        Random rnd = new Random(7);
        AttributionSettings settings = new AttributionSettings(14, 7, null, 30);
        IndexBuilder b = IndexBuilder.fresh(ZoneOffset.UTC);
        shapes(b);
        Map<String, double[]> expected = new HashMap<>();
        long id = 1;
        for (int p = 0; p < 300; p++) {
            List<StoredTouch> touches = new ArrayList<>();
            int n = rnd.nextInt(6);
            for (int k = 0; k < n; k++) {
                long at = T - rnd.nextInt(30) * D - rnd.nextInt(1000) * 60_000L;
                Touchpoint t = SHAPES.get(rnd.nextInt(SHAPES.size()));
                touches.add(new StoredTouch(id, Instant.ofEpochMilli(at), null, t));
                b.touch("p" + p, at, id++, shapeOf(t));
            }
            long conv = T + rnd.nextInt(3) * 3_600_000L;
            b.conversion("p" + p, conv, DAY, "purchase", 10.0, "USD");
            ConversionCredits cc = ConversionCredits.compute(Instant.ofEpochMilli(conv), touches, settings);
            for (AttributionModel m : AttributionModel.RULE_BASED) {
                double[] w = cc.credits().get(m);
                for (int i = 0; i < w.length; i++) {
                    expected.computeIfAbsent(m + "|" + GroupBy.CHANNEL.of(cc.path().get(i).touchpoint()), k -> new double[1])[0] += w[i];
                }
            }
        }
        EngineResult r = ReportEngine.run(b.build(), new EngineQuery(DAY, DAY, null, GroupBy.CHANNEL,
                AttributionModel.RULE_BASED, 14, 7, null, false));
        Map<String, Double> got = new HashMap<>();
        for (CreditCell c : r.credits()) got.merge(c.model() + "|" + c.group(), c.conversions(), Double::sum);
        assertThat(got.keySet()).isEqualTo(expected.keySet());
        expected.forEach((k, v) -> assertThat(got.get(k)).as(k).isCloseTo(v[0], within(1e-9)));
    }
}
