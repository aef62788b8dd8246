package io.touchpoint.core.attribution.engine;

import io.touchpoint.core.attribution.GroupBy;
import io.touchpoint.core.attribution.models.AttributionModel;
import org.junit.jupiter.api.Test;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

import static io.touchpoint.core.attribution.engine.ReportEngineTest.D;
import static io.touchpoint.core.attribution.engine.ReportEngineTest.DAY;
import static io.touchpoint.core.attribution.engine.ReportEngineTest.META_AD;
import static io.touchpoint.core.attribution.engine.ReportEngineTest.NEWSLETTER;
import static io.touchpoint.core.attribution.engine.ReportEngineTest.T;
import static io.touchpoint.core.attribution.engine.ReportEngineTest.shapeOf;
import static io.touchpoint.core.attribution.models.AttributionModel.FIRST_TOUCH;
import static io.touchpoint.core.attribution.models.AttributionModel.LINEAR;
import static io.touchpoint.core.attribution.models.AttributionModel.SOURCE_LAST_TOUCH;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

/** Averages of a numeric custom_data field per group and model, hand-computed: sum(credit × value) / sum(credit). */
class FieldColumnTest {
    /**
     * alice: Paid Social, Organic Search, Paid Search before a purchase scoring 80. bob: an e-mail before a purchase
     * scoring 40. carol: no touch, a lead scoring 10. dave: no touch in 30 days, a purchase without a score. frank:
     * Paid Social 3 days and an e-mail 1 day before a purchase scoring 20, and, at the same moment, a second purchase
     * scoring 60.
     */
    static ReportIndex index() {
        // the report engine's journeys (alice, bob, carol, dave), kept whole, and frank's
        IndexBuilder b = IndexBuilder.rebuild(ReportEngineTest.index(), Set.of());
        ReportEngineTest.shapes(b);
        b.touch("frank", T - 3 * D, 6, shapeOf(META_AD));
        b.touch("frank", T - D, 7, shapeOf(NEWSLETTER));
        b.conversion("frank", T, DAY, "purchase", 5.0, "USD");
        b.conversion("frank", T, DAY, "purchase", 5.0, "USD");
        return b.build();
    }

    static double[] scores(ReportIndex ix) {
        FieldColumn c = new FieldColumn(ix);
        c.value("frank", T, "purchase", 60);
        c.value("alice", T, "purchase", 80);
        c.value("bob", T, "purchase", 40);
        c.value("carol", T, "lead", 10);
        c.value("frank", T, "purchase", 20);
        c.value("erin", T, "purchase", 1000); // not in the index: stored after it was read
        c.value("alice", T, "lead", 1000); // no such conversion of alice's
        c.value("bob", T, "purchase", Double.NaN);
        return c.build();
    }

    static Map<String, Double> averages(EngineResult r, AttributionModel m, int field) {
        Map<String, Double> out = new HashMap<>();
        for (EngineResult.FieldCell c : r.fields()) {
            if (c.model() == m && c.field() == field) out.put(c.group(), Math.round(c.average() * 1e6) / 1e6);
        }
        return out;
    }

    @Test
    void eachGroupsAverageIsWeightedByTheCreditItsConversionsGaveIt() {
        ReportIndex ix = index();
        EngineResult r = ReportEngine.run(ix, ReportEngineTest.query(GroupBy.CHANNEL, List.of(FIRST_TOUCH, LINEAR), 30, null),
                new double[][]{scores(ix)});
        // first touch: Paid Social has alice (80) and frank's two (20, 60) whole; Email bob's 40; Direct carol's 10
        // (dave's purchase, credited there too, carries no score)
        assertThat(averages(r, FIRST_TOUCH, 0)).isEqualTo(Map.of("Paid Social", 53.333333, "Email", 40.0,
                "Direct", 10.0));
        // linear: Paid Social alice 1/3 × 80 + frank 1/2 × (20 + 60) = 66.667 over 1/3 + 1 → 50;
        // Email bob 1 × 40 + frank 1/2 × 80 = 80 over 2 → 40; Organic and Paid Search only alice's 80
        assertThat(averages(r, LINEAR, 0)).isEqualTo(Map.of("Paid Social", 50.0, "Email", 40.0, "Organic Search", 80.0,
                "Paid Search", 80.0, "Direct", 10.0));
        // the conversions' own figures are what they are without fields
        assertThat(r.credits()).isEqualTo(ReportEngine.run(ix, ReportEngineTest.query(GroupBy.CHANNEL,
                List.of(FIRST_TOUCH, LINEAR), 30, null)).credits());
    }

    @Test
    void aGroupWithoutAScoredConversionHasNoAverageAndFieldsAreApart() {
        ReportIndex ix = index();
        FieldColumn onlyCarol = new FieldColumn(ix);
        onlyCarol.value("carol", T, "lead", 7.5);
        EngineResult r = ReportEngine.run(ix, ReportEngineTest.query(GroupBy.PLATFORM, List.of(SOURCE_LAST_TOUCH), 30, "google"),
                new double[][]{scores(ix), onlyCarol.build()});
        // only alice's purchase has a Google touch
        assertThat(averages(r, SOURCE_LAST_TOUCH, 0)).isEqualTo(Map.of("google", 80.0));
        assertThat(averages(r, SOURCE_LAST_TOUCH, 1)).as("carol's lead has no Google touch").isEmpty();
        assertThat(new EngineResult.FieldCell("x", LINEAR, 0, 0, 0).average()).isNull();
    }

    @Test
    void aRebuiltIndexTakesAColumnOfItsOwn() {
        ReportIndex before = index();
        IndexBuilder b = IndexBuilder.rebuild(before, Set.of(DAY));
        b.conversion("bob", T, DAY, "purchase", 30.0, "USD");
        ReportIndex after = b.build();
        FieldColumn c = new FieldColumn(after);
        c.value("bob", T, "purchase", 40);
        c.value("alice", T, "purchase", 80); // alice's purchase day was rebuilt without it
        EngineResult r = ReportEngine.run(after, ReportEngineTest.query(GroupBy.CHANNEL, List.of(FIRST_TOUCH), 30, null),
                new double[][]{c.build()});
        assertThat(averages(r, FIRST_TOUCH, 0)).isEqualTo(Map.of("Email", 40.0));
        assertThatThrownBy(() -> ReportEngine.run(after, ReportEngineTest.query(GroupBy.CHANNEL, List.of(FIRST_TOUCH), 30, null),
                new double[][]{scores(before)})).isInstanceOf(IllegalArgumentException.class);
        assertThat(scores(before)[0]).as("aligned with the index's conversions, alice's first").isCloseTo(80.0, within(0.0));
    }
}
