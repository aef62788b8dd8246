package io.touchpoint.tests;

import io.touchpoint.core.attribution.AttributionSettings;
import io.touchpoint.core.attribution.GroupBy;
import io.touchpoint.core.attribution.engine.EngineQuery;
import io.touchpoint.core.attribution.engine.EngineResult;
import io.touchpoint.core.attribution.engine.FieldColumn;
import io.touchpoint.core.attribution.engine.IndexBuilder;
import io.touchpoint.core.attribution.engine.ReportEngine;
import io.touchpoint.core.attribution.engine.ReportIndex;
import io.touchpoint.core.attribution.models.AttributionModel;
import io.touchpoint.core.attribution.models.Journey;
import io.touchpoint.core.attribution.report.ConversionTotal;
import io.touchpoint.core.attribution.report.CreditCell;
import io.touchpoint.core.attribution.report.Receipt;
import io.touchpoint.core.attribution.report.ReportQuery;
import io.touchpoint.core.identity.Profile;
import io.touchpoint.core.model.Event;
import io.touchpoint.core.touchpoint.Channel;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import static io.touchpoint.core.model.IdentifierType.*;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

/** Attribution: touchpoints from visits, conversions and stored credits kept current through merges, unmerges and erasure. */
public abstract class AttributionStoreContract extends AttributionFixture {
    @Test
    void settingsDefaultAndRoundTrip() {
        assertThat(store.attribution().settings(ws.id())).isEqualTo(AttributionSettings.DEFAULTS);
        AttributionSettings s = new AttributionSettings(14, 3.5, List.of("purchase", "lead_generated"), 45);
        store.attribution().putSettings(ws.id(), s);
        assertThat(store.attribution().settings(ws.id())).isEqualTo(s);
        assertThat(store.attribution().settings(ws.id()).conversionEvents()).containsExactly("lead_generated", "purchase");
    }

    @Test
    void aPathOfMetaGoogleAndDirectVisitsIsCreditedUnderEveryRuleBasedModel() {
        ingest("page_view", Duration.ofDays(-10), META_AD, null, id(CLIENT_ID, "c1"));
        ingest("page_view", Duration.ofDays(-10).plusMinutes(5), HOME, null, id(CLIENT_ID, "c1")); // same visit
        ingest("page_view", Duration.ofDays(-5), GOOGLE_AD, null, id(CLIENT_ID, "c1"));
        ingest("page_view", Duration.ofDays(-1), HOME, null, id(CLIENT_ID, "c1")); // a new visit, no signal: Direct
        ingest("lead_generated", Duration.ofDays(-1).plusMinutes(1), null, null, id(CLIENT_ID, "c1"), id(EMAIL, "jane@shop.io"));
        Event purchase = ingest("purchase", Duration.ZERO, null, "100", id(EMAIL, "jane@shop.io"));
        processAll();

        Receipt r = store.attribution().receipt(ws.id(), purchase.id()).orElseThrow();
        assertThat(r.path()).extracting(s -> s.touchpoint().channel())
                .containsExactly(Channel.PAID_SOCIAL, Channel.PAID_SEARCH, Channel.DIRECT);
        assertThat(r.value()).isEqualTo(100.0);
        assertThat(credits(r, Channel.PAID_SOCIAL).get(AttributionModel.FIRST_TOUCH)).isEqualTo(1.0);
        assertThat(credits(r, Channel.PAID_SEARCH).get(AttributionModel.LAST_NON_DIRECT)).isEqualTo(1.0);
        assertThat(credits(r, Channel.DIRECT).get(AttributionModel.LAST_TOUCH)).isEqualTo(1.0);
        for (Channel c : List.of(Channel.PAID_SOCIAL, Channel.PAID_SEARCH, Channel.DIRECT)) {
            assertThat(credits(r, c).get(AttributionModel.LINEAR)).isCloseTo(1 / 3.0, within(1e-12));
        }
        // revenue in the rollup: 100 EUR to Google under last non-direct, to Meta under first touch, a third each linear
        assertThat(credited(GroupBy.CHANNEL, "Paid Search", AttributionModel.LAST_NON_DIRECT, true)).isCloseTo(100, within(1e-9));
        assertThat(credited(GroupBy.CHANNEL, "Paid Social", AttributionModel.FIRST_TOUCH, true)).isCloseTo(100, within(1e-9));
        assertThat(credited(GroupBy.PLATFORM, "meta", AttributionModel.LINEAR, true)).isCloseTo(100 / 3.0, within(1e-9));
        assertThat(credited(GroupBy.CAMPAIGN, "spring", AttributionModel.POSITION_BASED, false)).isCloseTo(0.4, within(1e-9));
    }

    @Test
    void everyModelsCreditsAddUpToTheConversionsAndTheirValue() {
        ingest("page_view", Duration.ofDays(-3), META_AD, null, id(VISITOR_TOKEN, "a"));
        ingest("purchase", Duration.ofDays(-2), null, "40", id(VISITOR_TOKEN, "a"));
        ingest("page_view", Duration.ofDays(-1), GOOGLE_AD, null, id(VISITOR_TOKEN, "a"));
        ingest("purchase", Duration.ZERO, null, "60", id(VISITOR_TOKEN, "a"));
        ingest("lead_generated", Duration.ZERO, null, null, id(VISITOR_TOKEN, "b")); // no touchpoint at all: the Direct stand-in
        processAll();

        List<ConversionTotal> totals = store.attribution().totals(query(GroupBy.CHANNEL, null));
        assertThat(totals.stream().mapToLong(ConversionTotal::conversions).sum()).isEqualTo(3);
        assertThat(totals.stream().mapToDouble(ConversionTotal::value).sum()).isEqualTo(100.0);
        List<CreditCell> cells = store.attribution().credits(query(GroupBy.SOURCE, null));
        for (AttributionModel m : AttributionModel.RULE_BASED) {
            assertThat(cells.stream().filter(c -> c.model() == m).mapToDouble(CreditCell::conversions).sum()).isCloseTo(3, within(1e-9));
            assertThat(cells.stream().filter(c -> c.model() == m).mapToDouble(CreditCell::revenue).sum()).isCloseTo(100, within(1e-9));
        }
        assertThat(store.attribution().totals(query(GroupBy.CHANNEL, List.of("lead_generated")))).singleElement()
                .satisfies(t -> assertThat(t.conversions()).isEqualTo(1));
        ReportQuery daily = new ReportQuery(ws.id(), DAY0.minusDays(3), DAY0, GroupBy.CHANNEL, List.of(AttributionModel.LINEAR), null, true);
        assertThat(store.attribution().credits(daily)).extracting(CreditCell::day).contains(DAY0.minusDays(2), DAY0);
    }

    @Test
    void aMergeThatAddsAnEarlierTouchpointChangesTheStoredCredits() {
        ingest("page_view", Duration.ofDays(-6), META_AD, null, id(VISITOR_TOKEN, "laptop"));
        ingest("page_view", Duration.ofDays(-2), GOOGLE_AD, null, id(VISITOR_TOKEN, "phone"));
        Event purchase = ingest("purchase", Duration.ZERO, null, "80", id(VISITOR_TOKEN, "phone"), id(EMAIL, "kim@shop.io"));
        processAll();
        assertThat(credited(GroupBy.CHANNEL, "Paid Search", AttributionModel.FIRST_TOUCH, true)).isCloseTo(80, within(1e-9));

        // the laptop turns out to be the same person: its earlier Meta visit joins the purchase's path
        ingest("lead_generated", Duration.ofDays(1), null, null, id(VISITOR_TOKEN, "laptop"), id(EMAIL, "kim@shop.io"));
        processAll();

        Receipt r = store.attribution().receipt(ws.id(), purchase.id()).orElseThrow();
        assertThat(r.path()).extracting(s -> s.touchpoint().channel()).containsExactly(Channel.PAID_SOCIAL, Channel.PAID_SEARCH);
        assertThat(credited(GroupBy.CHANNEL, "Paid Social", AttributionModel.FIRST_TOUCH, true)).isCloseTo(80, within(1e-9));
        assertThat(credited(GroupBy.CHANNEL, "Paid Search", AttributionModel.FIRST_TOUCH, true)).isCloseTo(0, within(1e-9));
        assertThat(credited(GroupBy.CHANNEL, "Paid Search", AttributionModel.LAST_TOUCH, true)).isCloseTo(80, within(1e-9));

        // undoing the merge takes the Meta visit back out
        Profile p = store.identity().profile(ws.id(), r.profileId()).orElseThrow();
        long mergeId = p.merges().stream().filter(m -> m.outcome().equals(Profile.MergeRecord.MERGED)).findFirst().orElseThrow().id();
        assertThat(store.identity().unmerge(ws.id(), mergeId)).isTrue();
        processAll();
        assertThat(store.attribution().receipt(ws.id(), purchase.id()).orElseThrow().path())
                .extracting(s -> s.touchpoint().channel()).containsExactly(Channel.PAID_SEARCH);
        assertThat(credited(GroupBy.CHANNEL, "Paid Social", AttributionModel.FIRST_TOUCH, true)).isCloseTo(0, within(1e-9));
    }

    /** The report engine's index, read whole or brought forward by the days changed since {@code before}'s version. */
    private record EngineIndex(ReportIndex index, long version) {
    }

    private EngineIndex engineIndex(EngineIndex before) {
        IndexBuilder[] builder = new IndexBuilder[1];
        long version = store.attribution().reportRows(ws.id(), before == null ? -1 : before.version(), days -> builder[0] =
                days == null ? IndexBuilder.fresh(ZoneId.of(ws.settings().timeZone())) : IndexBuilder.rebuild(before.index(), days));
        return new EngineIndex(builder[0] == null ? before.index() : builder[0].build(), version);
    }

    /** Every rule-based model's credits per group and currency: the engine's over the lookback window equal the rollup's. */
    private void engineMatchesTheRollup(ReportIndex index) {
        for (GroupBy g : GroupBy.STORED) {
            ReportQuery q = query(g, null);
            EngineResult r = ReportEngine.run(index, new EngineQuery(q.from(), q.to(), null, g, AttributionModel.RULE_BASED,
                    AttributionSettings.DEFAULT_LOOKBACK_DAYS, AttributionSettings.DEFAULT_HALF_LIFE_DAYS, null, false));
            assertThat(cells(r.credits())).as(g.wireName()).isEqualTo(cells(store.attribution().credits(q)));
            assertThat(r.totals()).containsExactlyInAnyOrderElementsOf(store.attribution().totals(q));
        }
    }

    private static Map<String, String> cells(List<CreditCell> credits) {
        Map<String, double[]> sums = new HashMap<>();
        for (CreditCell c : credits) {
            double[] s = sums.computeIfAbsent(c.group() + "|" + c.model() + "|" + c.currency(), k -> new double[2]);
            s[0] += c.conversions();
            s[1] += c.revenue();
        }
        Map<String, String> out = new HashMap<>();
        sums.forEach((k, s) -> {
            if (Math.abs(s[0]) > 1e-9 || Math.abs(s[1]) > 1e-9) out.put(k, String.format("%.6f %.6f", s[0], s[1]));
        });
        return out;
    }

    @Test
    void theReportEngineCreditsAsTheRollupDoesThroughMergesAndUnmerges() {
        ingest("page_view", Duration.ofDays(-6), META_AD, null, id(VISITOR_TOKEN, "laptop"));
        ingest("page_view", Duration.ofDays(-2), GOOGLE_AD, null, id(VISITOR_TOKEN, "phone"));
        Event purchase = ingest("purchase", Duration.ZERO, null, "80", id(VISITOR_TOKEN, "phone"), id(EMAIL, "kim@shop.io"));
        ingest("lead_generated", Duration.ofDays(-1), null, null, id(VISITOR_TOKEN, "other"));
        processAll();
        EngineIndex first = engineIndex(null);
        engineMatchesTheRollup(first.index());
        assertThat(engineIndex(first).index()).as("nothing changed: the index is kept").isSameAs(first.index());

        ingest("lead_generated", Duration.ofDays(1), null, null, id(VISITOR_TOKEN, "laptop"), id(EMAIL, "kim@shop.io"));
        processAll();
        EngineIndex merged = engineIndex(first);
        assertThat(merged.version()).isGreaterThan(first.version());
        engineMatchesTheRollup(merged.index());
        engineMatchesTheRollup(engineIndex(null).index());

        Receipt r = store.attribution().receipt(ws.id(), purchase.id()).orElseThrow();
        Profile p = store.identity().profile(ws.id(), r.profileId()).orElseThrow();
        long mergeId = p.merges().stream().filter(m -> m.outcome().equals(Profile.MergeRecord.MERGED)).findFirst().orElseThrow().id();
        assertThat(store.identity().unmerge(ws.id(), mergeId)).isTrue();
        processAll();
        engineMatchesTheRollup(engineIndex(merged).index());
    }

    /** group → the model's average of the field over the index's conversions, from the store's values. */
    private Map<String, Double> averages(ReportIndex index, String field, AttributionModel model) {
        FieldColumn column = new FieldColumn(index);
        store.attribution().conversionFieldValues(ws.id(), field, column);
        EngineResult r = ReportEngine.run(index, new EngineQuery(DAY0.minusDays(60), DAY0.plusDays(60), null, GroupBy.CHANNEL,
                List.of(model), 30, 7, null, false), new double[][]{column.build()});
        Map<String, Double> out = new HashMap<>();
        for (EngineResult.FieldCell c : r.fields()) out.put(c.group(), Math.round(c.average() * 1e6) / 1e6);
        return out;
    }

    @Test
    void theEngineAveragesANumericCustomDataFieldThroughAMerge() {
        ingest("page_view", Duration.ofDays(-6), META_AD, null, id(VISITOR_TOKEN, "laptop"));
        ingest("page_view", Duration.ofDays(-2), GOOGLE_AD, null, id(VISITOR_TOKEN, "phone"));
        ingest("purchase", Duration.ZERO, null, "80", Map.of("lead_score", 90, "stage", "won"), id(VISITOR_TOKEN, "phone"),
                id(EMAIL, "kim@shop.io"));
        ingest("lead_generated", Duration.ofDays(-1), null, null, Map.of("lead_score", "warm"), id(VISITOR_TOKEN, "other"));
        processAll();
        EngineIndex first = engineIndex(null);
        // the phone's purchase alone: its one touch is Google's; the other lead's score is a word
        assertThat(averages(first.index(), "lead_score", AttributionModel.FIRST_TOUCH)).isEqualTo(Map.of("Paid Search", 90.0));
        assertThat(averages(first.index(), "stage", AttributionModel.FIRST_TOUCH)).isEmpty();

        // the laptop's lead names kim: one profile, whose purchase now starts at Meta
        ingest("lead_generated", Duration.ofDays(1), null, null, Map.of("lead_score", 30.5), id(VISITOR_TOKEN, "laptop"),
                id(EMAIL, "kim@shop.io"));
        processAll();
        ReportIndex merged = engineIndex(first).index();
        // first touch: both conversions to Paid Social, (90 + 30.5) / 2; linear: each half to both channels
        assertThat(averages(merged, "lead_score", AttributionModel.FIRST_TOUCH)).isEqualTo(Map.of("Paid Social", 60.25));
        assertThat(averages(merged, "lead_score", AttributionModel.LINEAR)).isEqualTo(Map.of("Paid Social", 60.25, "Paid Search", 60.25));
        assertThat(averages(merged, "lead_score", AttributionModel.LAST_TOUCH)).isEqualTo(Map.of("Paid Search", 60.25));
    }

    @Test
    void touchpointsKeepTheirAdIdsAndTheEngineGroupsByAdSetAndAd() {
        ingest("page_view", Duration.ofDays(-3), TIKTOK_AD, null, id(VISITOR_TOKEN, "a"));
        ingest("page_view", Duration.ofDays(-2), GOOGLE_AD, null, id(VISITOR_TOKEN, "a"));
        Event purchase = ingest("purchase", Duration.ZERO, null, "50", id(VISITOR_TOKEN, "a"));
        processAll();
        Receipt r = store.attribution().receipt(ws.id(), purchase.id()).orElseThrow();
        assertThat(r.path()).extracting(s -> s.touchpoint().adId()).containsExactly("17003", null);
        assertThat(r.path().get(0).touchpoint().campaignId()).isEqualTo("17001");
        ReportIndex index = engineIndex(null).index();
        for (GroupBy g : List.of(GroupBy.AD_SET, GroupBy.AD)) {
            EngineResult byId = ReportEngine.run(index, new EngineQuery(DAY0.minusDays(60), DAY0.plusDays(60), null, g,
                    List.of(AttributionModel.FIRST_TOUCH, AttributionModel.LAST_TOUCH), 30, 7, null, false));
            assertThat(byId.credits()).extracting(CreditCell::model, CreditCell::group, CreditCell::revenue).containsExactlyInAnyOrder(
                    org.assertj.core.groups.Tuple.tuple(AttributionModel.FIRST_TOUCH, g == GroupBy.AD ? "17003" : "17002", 50.0),
                    org.assertj.core.groups.Tuple.tuple(AttributionModel.LAST_TOUCH, GroupBy.NOT_SET, 50.0));
        }
    }

    @Test
    void aLateTouchpointIsAddedToTheConversionsAfterIt() {
        Event purchase = ingest("purchase", Duration.ZERO, null, "10", id(VISITOR_TOKEN, "a"));
        processAll();
        assertThat(store.attribution().receipt(ws.id(), purchase.id()).orElseThrow().path()).singleElement()
                .satisfies(s -> assertThat(s.touchpointId()).isZero()); // the Direct stand-in
        ingest("page_view", Duration.ofDays(-1), GOOGLE_AD, null, id(VISITOR_TOKEN, "a")); // arrives late
        processAll();
        assertThat(store.attribution().receipt(ws.id(), purchase.id()).orElseThrow().path()).singleElement()
                .satisfies(s -> assertThat(s.touchpoint().channel()).isEqualTo(Channel.PAID_SEARCH));
    }

    @Test
    void aTouchpointOutsideTheLookbackWindowGetsNothing() {
        store.attribution().putSettings(ws.id(), new AttributionSettings(7, 7, null, 30));
        ingest("page_view", Duration.ofDays(-8), META_AD, null, id(VISITOR_TOKEN, "a"));
        ingest("page_view", Duration.ofDays(-6), GOOGLE_AD, null, id(VISITOR_TOKEN, "a"));
        Event purchase = ingest("purchase", Duration.ZERO, null, "50", id(VISITOR_TOKEN, "a"));
        processAll();
        assertThat(store.attribution().receipt(ws.id(), purchase.id()).orElseThrow().path())
                .extracting(s -> s.touchpoint().channel()).containsExactly(Channel.PAID_SEARCH);
        assertThat(credited(GroupBy.CHANNEL, "Paid Social", AttributionModel.LINEAR, false)).isZero();
    }

    @Test
    void aNewConversionGetsItsLookbackWindowAndLeavesEarlierConversionsAsTheyWere() {
        store.attribution().putSettings(ws.id(), new AttributionSettings(7, 7, null, 30));
        ingest("page_view", Duration.ofDays(-20), META_AD, null, id(VISITOR_TOKEN, "a"));
        Event first = ingest("purchase", Duration.ofDays(-15), null, "30", id(VISITOR_TOKEN, "a"));
        processAll();
        ingest("page_view", Duration.ofDays(-7), GOOGLE_AD, null, id(VISITOR_TOKEN, "a")); // on the window's first instant
        ingest("page_view", Duration.ofDays(-3), META_AD, null, id(VISITOR_TOKEN, "a"));
        processAll();
        Event second = ingest("purchase", Duration.ZERO, null, "50", id(VISITOR_TOKEN, "a"));
        processAll();
        ingest("page_view", Duration.ofDays(1), GOOGLE_AD, null, id(VISITOR_TOKEN, "a")); // after both: on neither path
        processAll();

        assertThat(store.attribution().receipt(ws.id(), first.id()).orElseThrow().path())
                .extracting(s -> s.touchpoint().channel()).containsExactly(Channel.PAID_SOCIAL);
        assertThat(store.attribution().receipt(ws.id(), second.id()).orElseThrow().path())
                .extracting(s -> s.touchpoint().channel()).containsExactly(Channel.PAID_SEARCH, Channel.PAID_SOCIAL);
        assertThat(credited(GroupBy.CHANNEL, "Paid Social", AttributionModel.FIRST_TOUCH, true)).isCloseTo(30, within(1e-9));
        assertThat(credited(GroupBy.CHANNEL, "Paid Search", AttributionModel.FIRST_TOUCH, true)).isCloseTo(50, within(1e-9));
        assertThat(credited(GroupBy.CHANNEL, "Paid Social", AttributionModel.LAST_TOUCH, true)).isCloseTo(80, within(1e-9));
    }

    @Test
    void conversionEventsAreAWorkspaceSetting() {
        store.attribution().putSettings(ws.id(), new AttributionSettings(30, 7, List.of("purchase"), 30));
        Event lead = ingest("lead_generated", Duration.ZERO, null, null, id(VISITOR_TOKEN, "a"));
        Event purchase = ingest("purchase", Duration.ofMinutes(1), null, "5", id(VISITOR_TOKEN, "a"));
        processAll();
        assertThat(store.attribution().receipt(ws.id(), lead.id())).isEmpty();
        assertThat(store.attribution().conversionsAmong(ws.id(), List.of(lead.id(), purchase.id()))).containsExactly(purchase.id());
        assertThat(store.attribution().conversionsAmong("ws_other", List.of(purchase.id()))).isEmpty();
        assertThat(store.attribution().receipt(ws.id(), purchase.id())).isPresent();
    }

    @Test
    void changedSettingsApplyToConversionsAlreadyStored() {
        ingest("page_view", Duration.ofDays(-8), META_AD, null, id(VISITOR_TOKEN, "a"));
        ingest("page_view", Duration.ofDays(-6), GOOGLE_AD, null, id(VISITOR_TOKEN, "a"));
        Event lead = ingest("lead_generated", Duration.ofDays(-1), null, null, id(VISITOR_TOKEN, "a"));
        Event purchase = ingest("purchase", Duration.ZERO, null, "50", id(VISITOR_TOKEN, "a"));
        processAll();
        assertThat(store.attribution().receipt(ws.id(), purchase.id()).orElseThrow().path()).hasSize(2);
        assertThat(store.attribution().receipt(ws.id(), lead.id())).isPresent();

        store.attribution().putSettings(ws.id(), new AttributionSettings(7, 7, List.of("purchase"), 30));
        processAll();
        assertThat(store.attribution().receipt(ws.id(), purchase.id()).orElseThrow().path())
                .extracting(s -> s.touchpoint().channel()).containsExactly(Channel.PAID_SEARCH);
        assertThat(store.attribution().receipt(ws.id(), lead.id())).isEmpty();
        assertThat(credited(GroupBy.CHANNEL, "Paid Social", AttributionModel.FIRST_TOUCH, true)).isZero();
        assertThat(store.attribution().totals(query(GroupBy.CHANNEL, null))).singleElement()
                .satisfies(t -> assertThat(t.conversions()).isEqualTo(1));

        store.attribution().putSettings(ws.id(), new AttributionSettings(30, 7, null, 30));
        processAll();
        assertThat(store.attribution().receipt(ws.id(), lead.id()).orElseThrow().path()).hasSize(2);
        assertThat(credited(GroupBy.CHANNEL, "Paid Social", AttributionModel.FIRST_TOUCH, true)).isCloseTo(50, within(1e-9));
        assertThat(store.attribution().credits(query(GroupBy.CHANNEL, null)).stream()
                .filter(c -> c.model() == AttributionModel.LINEAR).mapToDouble(CreditCell::conversions).sum()).isCloseTo(2, within(1e-9));
    }

    @Test
    void erasureRemovesThePersonsTouchpointsConversionsAndCredits() {
        ingest("page_view", Duration.ofDays(-1), META_AD, null, id(VISITOR_TOKEN, "a"));
        Event purchase = ingest("purchase", Duration.ZERO, null, "70", id(VISITOR_TOKEN, "a"));
        processAll();
        String profile = store.identity().profileOfEvent(ws.id(), purchase.id()).orElseThrow();
        assertThat(store.identity().erase(ws.id(), profile)).isTrue();
        processAll();
        assertThat(store.attribution().receipt(ws.id(), purchase.id())).isEmpty();
        assertThat(store.attribution().totals(query(GroupBy.CHANNEL, null))).isEmpty();
        assertThat(store.attribution().credits(query(GroupBy.CHANNEL, null)))
                .allSatisfy(c -> assertThat(Math.abs(c.conversions())).isLessThan(1e-9));
        List<Journey> journeys = new ArrayList<>();
        store.attribution().journeys(ws.id(), DAY0.minusDays(5), DAY0, null, GroupBy.CHANNEL, journeys::add);
        assertThat(journeys).isEmpty();
    }

}
