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
import io.touchpoint.core.attribution.report.CreditedConversion;
import io.touchpoint.core.attribution.report.CreditedConversionQuery;
import io.touchpoint.core.attribution.report.Receipt;
import io.touchpoint.core.attribution.report.ReportQuery;
import io.touchpoint.core.attribution.report.AdSpend;
import io.touchpoint.core.attribution.report.SpendRow;
import io.touchpoint.core.auth.Ids;
import io.touchpoint.core.identity.Profile;
import io.touchpoint.core.model.Commerce;
import io.touchpoint.core.model.Context;
import io.touchpoint.core.model.Event;
import io.touchpoint.core.model.Identifier;
import io.touchpoint.core.model.Person;
import io.touchpoint.core.model.Source;
import io.touchpoint.core.model.Workspace;
import io.touchpoint.core.store.AttributionStore;
import io.touchpoint.core.touchpoint.Channel;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.math.BigDecimal;
import java.time.Duration;
import java.time.LocalDate;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import static io.touchpoint.core.model.IdentifierType.*;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

/** Attribution: touchpoints from visits, conversions and stored credits kept current through merges, reports, spend. */
public abstract class AttributionStoreContract extends StoreContract {
    private static final String META_AD = "https://shop.example/?utm_source=facebook&utm_medium=paid_social&utm_campaign=spring&fbclid=F1";
    private static final String GOOGLE_AD = "https://shop.example/?gclid=G1";
    private static final String TIKTOK_AD = "https://shop.example/?ttclid=T1&campaign_id=17001&adgroup_id=17002&ad_id=17003";
    private static final String HOME = "https://shop.example/";
    /** Fixtures' workspace is in Europe/Paris; T0 is 2026-03-01 11:00 there. */
    private static final LocalDate DAY0 = LocalDate.of(2026, 3, 1);
    private Workspace ws;
    private int n;

    @BeforeEach
    void workspace() {
        ws = Fixtures.workspace("acme");
        store.workspaces().create(ws);
    }

    private Event ingest(String name, Duration at, String pageUrl, String value, Identifier... ids) {
        return ingest(name, at, pageUrl, value, null, ids);
    }

    private Event ingest(String name, Duration at, String pageUrl, String value, Map<String, Object> customData,
                         Identifier... ids) {
        n++;
        Event e = new Event(Ids.event(), ws.id(), Source.ABLE, "req_" + n, Fixtures.T0.plus(at), Fixtures.T0.plus(at), name,
                List.of(ids), Person.EMPTY, new Context(null, null, pageUrl, null, null, null),
                value == null ? null : new Commerce(new BigDecimal(value), "EUR", null, null, null, List.of()),
                null, false, customData, "{}");
        store.ingest().commit(List.of(Fixtures.accepted(e, "req_" + n)));
        return e;
    }

    private static Identifier id(io.touchpoint.core.model.IdentifierType t, String v) {
        return new Identifier(t, v);
    }

    private void processAll() {
        while (store.stages().identity().step(100) > 0 | store.stages().attribution().step(100) > 0) {
            // until both stages are caught up
        }
    }

    private Map<AttributionModel, Double> credits(Receipt r, Channel channel) {
        Map<AttributionModel, Double> out = new HashMap<>();
        for (Receipt.Step s : r.path()) {
            if (s.touchpoint().channel() != channel) continue;
            s.credits().forEach((m, c) -> out.merge(m, c, Double::sum));
        }
        return out;
    }

    private ReportQuery query(GroupBy g, List<String> events) {
        return new ReportQuery(ws.id(), DAY0.minusDays(60), DAY0.plusDays(60), g, AttributionModel.RULE_BASED, events, false);
    }

    private double credited(GroupBy g, String group, AttributionModel model, boolean revenue) {
        return store.attribution().credits(query(g, List.of("purchase"))).stream()
                .filter(c -> c.group().equals(group) && c.model() == model)
                .mapToDouble(c -> revenue ? c.revenue() : c.conversions()).sum();
    }

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
    void journeysIncludeConvertingAndNonConvertingPaths() {
        ingest("page_view", Duration.ofDays(-2), META_AD, null, id(VISITOR_TOKEN, "a"));
        ingest("purchase", Duration.ofDays(-1), null, "30", id(VISITOR_TOKEN, "a"));
        ingest("page_view", Duration.ZERO, GOOGLE_AD, null, id(VISITOR_TOKEN, "a")); // after the purchase: did not convert
        ingest("page_view", Duration.ZERO, GOOGLE_AD, null, id(VISITOR_TOKEN, "b"));
        processAll();
        List<Journey> journeys = new ArrayList<>();
        store.attribution().journeys(ws.id(), DAY0.minusDays(5), DAY0, null, GroupBy.CHANNEL, journeys::add);
        assertThat(journeys).hasSize(3);
        assertThat(journeys.stream().filter(Journey::converted)).singleElement().satisfies(j -> {
            assertThat(j.value()).isEqualTo(30.0);
            assertThat(j.conversions()).isEqualTo(1.0);
            assertThat(j.states()).containsExactly("Paid Social");
        });
        assertThat(journeys.stream().filter(j -> !j.converted())).allSatisfy(j ->
                assertThat(j.states()).containsExactly("Paid Search"));
        List<Journey> byCampaign = new ArrayList<>();
        store.attribution().journeys(ws.id(), DAY0.minusDays(5), DAY0, null, GroupBy.CAMPAIGN, byCampaign::add);
        assertThat(byCampaign.stream().filter(Journey::converted)).singleElement()
                .satisfies(j -> assertThat(j.states()).containsExactly("spring"));
        assertThat(byCampaign.stream().filter(j -> !j.converted())).allSatisfy(j ->
                assertThat(j.states()).containsExactly(GroupBy.NOT_SET));
    }

    @Test
    void journeysKeepTheLookbackWindowTheDirectStandInAndTheEventNames() {
        ingest("page_view", Duration.ofDays(-33), META_AD, null, id(VISITOR_TOKEN, "a")); // read, but outside the window
        ingest("page_view", Duration.ofDays(-3), GOOGLE_AD, null, id(VISITOR_TOKEN, "a"));
        ingest("purchase", Duration.ofDays(-1), null, "50", id(VISITOR_TOKEN, "a"));
        ingest("purchase", Duration.ofDays(-2), null, "20", id(VISITOR_TOKEN, "c")); // no touchpoint: the Direct stand-in
        processAll();
        List<Journey> byChannel = new ArrayList<>();
        store.attribution().journeys(ws.id(), DAY0.minusDays(5), DAY0, null, GroupBy.CHANNEL, byChannel::add);
        assertThat(byChannel).extracting(Journey::states, Journey::conversions, Journey::value).containsExactlyInAnyOrder(
                org.assertj.core.groups.Tuple.tuple(List.of("Paid Search"), 1.0, 50.0),
                org.assertj.core.groups.Tuple.tuple(List.of("Direct"), 1.0, 20.0));
        List<Journey> byPlatform = new ArrayList<>();
        store.attribution().journeys(ws.id(), DAY0.minusDays(5), DAY0, null, GroupBy.PLATFORM, byPlatform::add);
        assertThat(byPlatform).extracting(Journey::states).containsExactlyInAnyOrder(List.of("google"), List.of(GroupBy.NOT_SET));
        // with no conversion of the asked names, the touchpoint in the range is a journey that did not convert
        List<Journey> signUps = new ArrayList<>();
        store.attribution().journeys(ws.id(), DAY0.minusDays(5), DAY0, List.of("sign_up"), GroupBy.CHANNEL, signUps::add);
        assertThat(signUps).singleElement().satisfies(j -> {
            assertThat(j.converted()).isFalse();
            assertThat(j.states()).containsExactly("Paid Search");
        });
    }

    @Test
    void journeysFollowMergesLateTouchpointsAndUnmerges() {
        String newsletter = "https://shop.example/?utm_source=newsletter&utm_medium=email&utm_campaign=nov";
        ingest("page_view", Duration.ofDays(-6), META_AD, null, id(VISITOR_TOKEN, "laptop"));
        ingest("page_view", Duration.ofDays(-2), GOOGLE_AD, null, id(VISITOR_TOKEN, "phone"));
        Event purchase = ingest("purchase", Duration.ZERO, null, "80", id(VISITOR_TOKEN, "phone"), id(EMAIL, "kim@shop.io"));
        processAll();
        assertThat(journeys(DAY0.minusDays(7), DAY0)).containsExactlyInAnyOrder(
                org.assertj.core.groups.Tuple.tuple(List.of("Paid Search"), true),
                org.assertj.core.groups.Tuple.tuple(List.of("Paid Social"), false));

        // the laptop is the same person, and a visit older than the others arrives late: one path, in time order
        ingest("lead_generated", Duration.ofDays(1), null, null, id(VISITOR_TOKEN, "laptop"), id(EMAIL, "kim@shop.io"));
        ingest("page_view", Duration.ofDays(-4), newsletter, null, id(VISITOR_TOKEN, "phone"));
        processAll();
        assertThat(journeys(DAY0.minusDays(7), DAY0)).containsExactly(
                org.assertj.core.groups.Tuple.tuple(List.of("Paid Social", "Email", "Paid Search"), true));

        Profile p = store.identity().profile(ws.id(), store.attribution().receipt(ws.id(), purchase.id()).orElseThrow().profileId())
                .orElseThrow();
        long mergeId = p.merges().stream().filter(m -> m.outcome().equals(Profile.MergeRecord.MERGED)).findFirst().orElseThrow().id();
        assertThat(store.identity().unmerge(ws.id(), mergeId)).isTrue();
        processAll();
        // apart again: the purchase's journey is its receipt's path, and every touchpoint is in exactly one journey
        List<String> receiptPath = store.attribution().receipt(ws.id(), purchase.id()).orElseThrow().path().stream()
                .map(s -> s.touchpoint().channel().label()).toList();
        List<org.assertj.core.groups.Tuple> apart = journeys(DAY0.minusDays(7), DAY0);
        assertThat(apart).hasSize(2).contains(org.assertj.core.groups.Tuple.tuple(receiptPath, true));
        assertThat(apart.stream().flatMap(t -> ((List<?>) t.toList().get(0)).stream()).map(Object::toString).toList())
                .containsExactlyInAnyOrder("Paid Social", "Email", "Paid Search");
    }

    @Test
    void conversionPathsCarryEveryTouchpointInTheWindowTheFirstTouchAndTheOwnValue() {
        ingest("page_view", Duration.ofDays(-33), META_AD, null, id(VISITOR_TOKEN, "a")); // outside the window
        ingest("page_view", Duration.ofDays(-4), META_AD, null, id(VISITOR_TOKEN, "a"));
        ingest("page_view", Duration.ofDays(-3), GOOGLE_AD, null, id(VISITOR_TOKEN, "a"));
        ingest("page_view", Duration.ofDays(-2).plusHours(1), GOOGLE_AD, null, id(VISITOR_TOKEN, "a"));
        ingest("purchase", Duration.ofDays(-1), null, "50", id(VISITOR_TOKEN, "a"));
        ingest("purchase", Duration.ofDays(-2), null, null, id(VISITOR_TOKEN, "c")); // no touchpoint, no value
        processAll();
        List<io.touchpoint.core.attribution.paths.ConversionPath> paths = new ArrayList<>();
        store.attribution().conversionPaths(ws.id(), DAY0.minusDays(5), DAY0, null, GroupBy.CHANNEL, paths::add);
        long t0 = Fixtures.T0.toEpochMilli();
        long day = Duration.ofDays(1).toMillis();
        assertThat(paths).containsExactlyInAnyOrder(
                new io.touchpoint.core.attribution.paths.ConversionPath(List.of("Paid Social", "Paid Search", "Paid Search"),
                        t0 - 4 * day, t0 - day, 50.0, "EUR"),
                new io.touchpoint.core.attribution.paths.ConversionPath(List.of(), t0 - 2 * day, t0 - 2 * day, null, ""));
        List<io.touchpoint.core.attribution.paths.ConversionPath> signUps = new ArrayList<>();
        store.attribution().conversionPaths(ws.id(), DAY0.minusDays(5), DAY0, List.of("sign_up"), GroupBy.CAMPAIGN, signUps::add);
        assertThat(signUps).isEmpty();
    }

    @Test
    void peopleListMostRecentlySeenFirstSearchableByAnyIdentifierAPageAtATime() {
        ingest("page_view", Duration.ofDays(-3), META_AD, null, id(VISITOR_TOKEN, "Tok-A"));
        ingest("purchase", Duration.ofDays(-2), null, "30", id(VISITOR_TOKEN, "Tok-A"), id(EMAIL, "kim@shop.io"));
        ingest("purchase", Duration.ofDays(-2).plusHours(1), null, "20", id(EMAIL, "kim@shop.io"));
        ingest("page_view", Duration.ofDays(-1), GOOGLE_AD, null, id(VISITOR_TOKEN, "tok-b"));
        processAll();
        io.touchpoint.core.store.Page<io.touchpoint.core.identity.PersonSummary> all = store.identity().people(ws.id(), null, 10, null);
        assertThat(all.nextCursor()).isNull();
        assertThat(all.items()).hasSize(2);
        io.touchpoint.core.identity.PersonSummary b = all.items().get(0);
        io.touchpoint.core.identity.PersonSummary kim = all.items().get(1);
        assertThat(b.identifiers()).containsExactly(id(VISITOR_TOKEN, "tok-b"));
        assertThat(b.conversions()).isZero();
        assertThat(b.lastSeen()).isEqualTo(Fixtures.T0.minus(Duration.ofDays(1)));
        assertThat(kim.identifiers()).containsExactlyInAnyOrder(id(VISITOR_TOKEN, "Tok-A"), id(EMAIL, "kim@shop.io"));
        assertThat(kim.firstSeen()).isEqualTo(Fixtures.T0.minus(Duration.ofDays(3)));
        assertThat(kim.lastSeen()).isEqualTo(Fixtures.T0.minus(Duration.ofDays(2)).plus(Duration.ofHours(1)));
        assertThat(kim.conversions()).isEqualTo(2);
        assertThat(kim.valueByCurrency()).isEqualTo(Map.of("EUR", 50.0));
        assertThat(kim.profileId()).isEqualTo(store.identity().findProfile(ws.id(), id(EMAIL, "kim@shop.io")).orElseThrow());

        // any identifier, any case; a pattern character is only itself
        assertThat(store.identity().people(ws.id(), "SHOP.IO", 10, null).items()).extracting(p -> p.profileId()).containsExactly(kim.profileId());
        assertThat(store.identity().people(ws.id(), "tok-a", 10, null).items()).extracting(p -> p.profileId()).containsExactly(kim.profileId());
        assertThat(store.identity().people(ws.id(), "%", 10, null).items()).isEmpty();

        io.touchpoint.core.store.Page<io.touchpoint.core.identity.PersonSummary> first = store.identity().people(ws.id(), null, 1, null);
        assertThat(first.items()).extracting(p -> p.profileId()).containsExactly(b.profileId());
        io.touchpoint.core.store.Page<io.touchpoint.core.identity.PersonSummary> second = store.identity().people(ws.id(), null, 1, first.nextCursor());
        assertThat(second.items()).extracting(p -> p.profileId()).containsExactly(kim.profileId());
        assertThat(second.nextCursor()).isNull();
    }

    private List<org.assertj.core.groups.Tuple> journeys(LocalDate from, LocalDate to) {
        List<org.assertj.core.groups.Tuple> out = new ArrayList<>();
        store.attribution().journeys(ws.id(), from, to, null, GroupBy.CHANNEL,
                j -> out.add(org.assertj.core.groups.Tuple.tuple(j.states(), j.converted())));
        return out;
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

    @Test
    void spendIsImportedPerDayPlatformAndCampaignAndReplacedOnReimport() {
        store.attribution().importSpend(ws.id(), List.of(
                new SpendRow(DAY0, "meta", "spring", new BigDecimal("20.50"), "EUR"),
                new SpendRow(DAY0.plusDays(1), "meta", "spring", new BigDecimal("10"), "EUR"),
                new SpendRow(DAY0, "google", "brand", new BigDecimal("5"), "EUR")));
        store.attribution().importSpend(ws.id(), List.of(new SpendRow(DAY0, "google", "brand", new BigDecimal("7"), "EUR")));
        assertThat(store.attribution().spend(ws.id(), DAY0, DAY0.plusDays(1), GroupBy.PLATFORM, false).get(null))
                .containsEntry("meta", 30.5).containsEntry("google", 7.0);
        assertThat(store.attribution().spend(ws.id(), DAY0, DAY0, GroupBy.CAMPAIGN, true).get(DAY0))
                .containsEntry("spring", 20.5).containsEntry("brand", 7.0);
        assertThat(store.attribution().spend(ws.id(), DAY0, DAY0, GroupBy.CHANNEL, false)).isEmpty();
        assertThat(store.attribution().spendRows(ws.id(), DAY0, DAY0.plusDays(5))).hasSize(3);
        assertThat(store.attribution().adSpend(ws.id(), DAY0, DAY0.plusDays(5))).hasSize(3)
                .allSatisfy(r -> assertThat(r.source()).isEqualTo("csv"));
    }

    @Test
    void importedSpendKeepsItsAdSetsAndAdsApartAndAddsThemUpPerCampaign() {
        store.attribution().importSpend(ws.id(), List.of(
                new SpendRow(DAY0, "meta", "c1", "spring", "s1", "retargeting", null, "video a", new BigDecimal("4"), "EUR"),
                new SpendRow(DAY0, "meta", "c1", "spring", "s1", "retargeting", null, "video b", new BigDecimal("6"), "EUR"),
                new SpendRow(DAY0, "meta", "spring", new BigDecimal("1"), "EUR")));
        store.attribution().importSpend(ws.id(), List.of(
                new SpendRow(DAY0, "meta", "c1", "spring", "s1", "retargeting", null, "video b", new BigDecimal("5"), "EUR")));
        assertThat(store.attribution().spend(ws.id(), DAY0, DAY0, GroupBy.CAMPAIGN, false).get(null)).containsEntry("spring", 10.0);
        List<AdSpend> rows = store.attribution().adSpend(ws.id(), DAY0, DAY0);
        assertThat(rows).extracting(AdSpend::ad).containsExactly(null, "video a", "video b");
        assertThat(rows).extracting(AdSpend::spend).containsExactly(1.0, 4.0, 5.0);
        assertThat(rows.get(0).adSet()).as("a level the file leaves out is absent").isNull();
        assertThat(rows.get(2).campaignId()).isEqualTo("c1");
        assertThat(rows.get(2).adSetId()).isEqualTo("s1");
        assertThat(store.attribution().spendRows(ws.id(), DAY0, DAY0)).extracting(SpendRow::adSet)
                .containsExactly(null, "retargeting", "retargeting");
    }

    @Test
    void dataDrivenRunsAreStoredPerKeyWithTheirDataVersion() {
        assertThat(store.attribution().modelRun(ws.id(), "k")).isEmpty();
        var run = new AttributionStore.ModelRun(Fixtures.T0, "{\"markov\":{}}", 7);
        store.attribution().putModelRun(ws.id(), "k", run);
        store.attribution().putModelRun(ws.id(), "k", run);
        assertThat(store.attribution().modelRun(ws.id(), "k")).contains(run);
        var unknown = new AttributionStore.ModelRun(Fixtures.T0, "{}", AttributionStore.UNKNOWN_VERSION);
        store.attribution().putModelRun(ws.id(), "k", unknown);
        assertThat(store.attribution().modelRun(ws.id(), "k")).contains(unknown);
    }

    private long version(LocalDate day) {
        return store.attribution().dataVersion(ws.id(), day, day);
    }

    @Test
    void theDataVersionOfADayRisesWhenItsTouchpointsConversionsOrProfilesChange() {
        assertThat(store.attribution().dataVersion(ws.id(), DAY0.minusDays(60), DAY0.plusDays(60))).isZero();
        ingest("page_view", Duration.ofDays(-3), META_AD, null, id(VISITOR_TOKEN, "a"));
        processAll();
        long v1 = store.attribution().dataVersion();
        assertThat(version(DAY0.minusDays(3))).as("a touchpoint's day").isPositive().isEqualTo(v1);
        assertThat(version(DAY0)).isZero();

        Event purchase = ingest("purchase", Duration.ZERO, null, "40", id(VISITOR_TOKEN, "a"), id(EMAIL, "kim@shop.io"));
        processAll();
        long v2 = store.attribution().dataVersion();
        assertThat(v2).isGreaterThan(v1);
        assertThat(version(DAY0)).as("a conversion's day").isEqualTo(v2);
        assertThat(version(DAY0.minusDays(3))).as("its touchpoint's day did not change").isEqualTo(v1);
        assertThat(store.attribution().dataVersion(ws.id(), DAY0.minusDays(5), DAY0)).isEqualTo(v2);

        // a late touchpoint changes the purchase's path: its own day and the purchase's
        ingest("page_view", Duration.ofDays(-1), GOOGLE_AD, null, id(VISITOR_TOKEN, "a"));
        processAll();
        long v3 = store.attribution().dataVersion();
        assertThat(version(DAY0.minusDays(1))).isEqualTo(v3);
        assertThat(version(DAY0)).isEqualTo(v3);

        // another device's visit, ten days back, is merged into the buyer: its day changes (its journey is another)
        ingest("page_view", Duration.ofDays(-10), GOOGLE_AD, null, id(VISITOR_TOKEN, "b"));
        processAll();
        long v4 = store.attribution().dataVersion();
        assertThat(version(DAY0.minusDays(10))).isEqualTo(v4);
        ingest("identify", Duration.ofDays(-10).plusMinutes(1), null, null, id(VISITOR_TOKEN, "b"), id(EMAIL, "kim@shop.io"));
        processAll();
        assertThat(version(DAY0.minusDays(10))).as("a merge changes the days of the merged profile").isGreaterThan(v4);
        assertThat(version(DAY0.minusDays(20))).as("a day without data").isZero();
        assertThat(store.attribution().dataVersion(ws.id(), DAY0.plusDays(1), DAY0.plusDays(60))).isZero();

        // an erasure takes the person's days with it
        long beforeErasure = store.attribution().dataVersion();
        String profile = store.identity().profileOfEvent(ws.id(), purchase.id()).orElseThrow();
        assertThat(store.identity().erase(ws.id(), profile)).isTrue();
        assertThat(store.attribution().dataVersion()).isGreaterThan(beforeErasure);
        assertThat(version(DAY0)).isEqualTo(store.attribution().dataVersion());
        assertThat(version(DAY0.minusDays(3))).isEqualTo(store.attribution().dataVersion());

        Workspace other = Fixtures.workspace("other-versions");
        store.workspaces().create(other);
        assertThat(store.attribution().dataVersion(other.id(), DAY0.minusDays(60), DAY0.plusDays(60))).isZero();
    }

    @Test
    void eventsNotAttributedCountsWhatNeitherStageHasThroughSetAsideOnesIncluded() {
        long before = store.attribution().eventsNotAttributed();
        processAll();
        assertThat(store.attribution().eventsNotAttributed()).isZero();
        ingest("page_view", Duration.ofDays(-1), META_AD, null, id(VISITOR_TOKEN, "a"));
        ingest("purchase", Duration.ZERO, null, "10", id(VISITOR_TOKEN, "a"));
        ingest("purchase", Duration.ZERO, null, "10", id(VISITOR_TOKEN, "z"));
        assertThat(store.attribution().eventsNotAttributed()).as("committed, not resolved").isEqualTo(3);
        while (store.stages().identity().step(100) > 0) {
            // identity only
        }
        assertThat(store.attribution().eventsNotAttributed()).as("resolved, not attributed").isEqualTo(3);
        processAll();
        assertThat(store.attribution().eventsNotAttributed()).isZero();

        // an event the identity stage sets aside never reaches attribution: it stays counted
        ingest("purchase", Duration.ZERO, null, "10", id(VISITOR_TOKEN, "y"));
        long seq = store.stages().identity().upstream();
        assertThat(store.setAside().setAside(io.touchpoint.core.store.SetAsideStore.Stage.IDENTITY, seq, "boom", 3)).isTrue();
        assertThat(store.attribution().eventsNotAttributed()).isEqualTo(1);
        processAll();
        assertThat(store.attribution().eventsNotAttributed()).isEqualTo(1);
        assertThat(before).isGreaterThanOrEqualTo(0);
    }

    @Test
    void theOneReadOfAReportAnswersAsTheSeparateReads() {
        ingest("page_view", Duration.ofDays(-2), META_AD, null, id(CLIENT_ID, "c1"));
        ingest("purchase", Duration.ZERO, null, "100", id(CLIENT_ID, "c1"), id(EMAIL, "ann@shop.io"));
        ingest("page_view", Duration.ofDays(-1), GOOGLE_AD, null, id(CLIENT_ID, "c2"));
        ingest("purchase", Duration.ofDays(1), null, "60", id(CLIENT_ID, "c2"));
        ingest("lead_generated", Duration.ofDays(1), null, null, id(CLIENT_ID, "c2"));
        processAll();
        ingest("purchase", Duration.ofDays(2), null, "5", id(CLIENT_ID, "c3")); // acknowledged, not attributed
        store.attribution().importSpend(ws.id(), List.of(new SpendRow(DAY0, "meta", "spring", new BigDecimal("20"), "EUR"),
                new SpendRow(DAY0.plusDays(1), "google", "(not set)", new BigDecimal("7"), "EUR")));
        var run = new AttributionStore.ModelRun(Fixtures.T0, "{\"markov\":{}}", 3);
        store.attribution().putModelRun(ws.id(), "run", run);

        AttributionStore a = store.attribution();
        for (GroupBy g : List.of(GroupBy.CHANNEL, GroupBy.PLATFORM)) {
            for (List<String> events : java.util.Arrays.asList(null, List.of("purchase"), List.<String>of())) {
                ReportQuery daily = new ReportQuery(ws.id(), DAY0.minusDays(3), DAY0.plusDays(3), g,
                        List.of(AttributionModel.LINEAR, AttributionModel.MARKOV, AttributionModel.FIRST_TOUCH), events, true);
                ReportQuery total = new ReportQuery(daily.workspaceId(), daily.from(), daily.to(), g, daily.models(), events, false);
                AttributionStore.ReportData one = a.report(daily, "run");
                assertThat(one.credits()).containsExactlyInAnyOrderElementsOf(a.credits(total));
                assertThat(one.totals()).containsExactlyInAnyOrderElementsOf(a.totals(total));
                assertThat(one.dailyCredits()).containsExactlyInAnyOrderElementsOf(a.credits(daily));
                assertThat(one.dailyTotals()).containsExactlyInAnyOrderElementsOf(a.totals(daily));
                assertThat(one.spend()).isEqualTo(a.spend(ws.id(), daily.from(), daily.to(), g, false).getOrDefault(null, Map.of()));
                assertThat(one.dailySpend()).isEqualTo(a.spend(ws.id(), daily.from(), daily.to(), g, true));
                assertThat(one.modelRun()).contains(run);
                assertThat(one.rangeVersion()).isEqualTo(a.dataVersion(ws.id(), daily.from(), daily.to()));
                assertThat(one.eventsNotAttributed()).isEqualTo(a.eventsNotAttributed()).isEqualTo(1);

                AttributionStore.ReportData totalOnly = a.report(total, null);
                assertThat(totalOnly.credits()).containsExactlyInAnyOrderElementsOf(one.credits());
                assertThat(totalOnly.totals()).containsExactlyInAnyOrderElementsOf(one.totals());
                assertThat(totalOnly.dailyCredits()).isEmpty();
                assertThat(totalOnly.dailyTotals()).isEmpty();
                assertThat(totalOnly.dailySpend()).isEmpty();
                assertThat(totalOnly.modelRun()).isEmpty();
            }
        }
        AttributionStore.ReportData platform = a.report(query(GroupBy.PLATFORM, null), null);
        assertThat(platform.totals().stream().mapToLong(ConversionTotal::conversions).sum()).isEqualTo(3);
        assertThat(platform.spend()).containsEntry("meta", 20.0).containsEntry("google", 7.0);
        assertThat(platform.credits()).isNotEmpty();
        assertThat(a.report(query(GroupBy.CHANNEL, null), "missing").modelRun()).isEmpty();
    }

    @Test
    void aReportRowsConversionsAreListedWithTheirCreditShareNewestFirstPageByPage() {
        ingest("page_view", Duration.ofDays(-10), META_AD, null, id(VISITOR_TOKEN, "a"));
        ingest("page_view", Duration.ofDays(-5), GOOGLE_AD, null, id(VISITOR_TOKEN, "a"));
        Event split = ingest("purchase", Duration.ofDays(-1), null, "100", id(VISITOR_TOKEN, "a"));
        ingest("page_view", Duration.ofDays(-3), GOOGLE_AD, null, id(VISITOR_TOKEN, "b"));
        Event whole = ingest("purchase", Duration.ZERO, null, "60", id(VISITOR_TOKEN, "b"));
        Event lead = ingest("lead_generated", Duration.ofMinutes(1), null, null, id(VISITOR_TOKEN, "c")); // the Direct stand-in
        processAll();
        java.util.function.BiFunction<CreditedConversionQuery.Cursor, Integer, io.touchpoint.core.store.Page<CreditedConversion>> paidSearch =
                (cursor, limit) -> store.attribution().creditedConversions(new CreditedConversionQuery(ws.id(), DAY0.minusDays(30),
                        DAY0.plusDays(1), GroupBy.CHANNEL, "Paid Search", AttributionModel.LINEAR, null, limit, cursor));

        var page = paidSearch.apply(null, 10);
        assertThat(page.items()).extracting(CreditedConversion::eventId).containsExactly(whole.id(), split.id());
        assertThat(page.items().get(0).credit()).isCloseTo(1.0, within(1e-12));
        assertThat(page.items().get(1).credit()).isCloseTo(0.5, within(1e-12));
        assertThat(page.items().get(1).value()).isEqualTo(100.0);
        assertThat(page.items().get(1).currency()).isEqualTo("EUR");
        assertThat(page.items().get(1).profileId()).isEqualTo(store.attribution().receipt(ws.id(), split.id()).orElseThrow().profileId());
        assertThat(page.nextCursor()).isNull();

        // one at a time: the cursor leads on to the older one and ends there
        var first = paidSearch.apply(null, 1);
        assertThat(first.items()).extracting(CreditedConversion::eventId).containsExactly(whole.id());
        var second = paidSearch.apply(CreditedConversionQuery.Cursor.parse(first.nextCursor()), 1);
        assertThat(second.items()).extracting(CreditedConversion::eventId).containsExactly(split.id());
        assertThat(second.nextCursor()).isNull();

        // first touch gives Paid Search nothing of the purchase that began on Meta
        assertThat(store.attribution().creditedConversions(new CreditedConversionQuery(ws.id(), DAY0.minusDays(30), DAY0.plusDays(1),
                GroupBy.CHANNEL, "Paid Search", AttributionModel.FIRST_TOUCH, null, 10, null)).items())
                .extracting(CreditedConversion::eventId).containsExactly(whole.id());
        // the stand-in is Direct, and an event name filter keeps to that event
        assertThat(store.attribution().creditedConversions(new CreditedConversionQuery(ws.id(), DAY0.minusDays(30), DAY0.plusDays(1),
                GroupBy.CHANNEL, "Direct", AttributionModel.LAST_TOUCH, List.of("lead_generated"), 10, null)).items())
                .extracting(CreditedConversion::eventId).containsExactly(lead.id());
        // a Google click without a campaign is "(not set)", as reports name it; the platform is by wire name
        assertThat(store.attribution().creditedConversions(new CreditedConversionQuery(ws.id(), DAY0.minusDays(30), DAY0.plusDays(1),
                GroupBy.CAMPAIGN, GroupBy.NOT_SET, AttributionModel.LAST_TOUCH, List.of("purchase"), 10, null)).items())
                .extracting(CreditedConversion::eventId).containsExactly(whole.id(), split.id());
        assertThat(store.attribution().creditedConversions(new CreditedConversionQuery(ws.id(), DAY0.minusDays(30), DAY0.plusDays(1),
                GroupBy.PLATFORM, "meta", AttributionModel.FIRST_TOUCH, null, 10, null)).items())
                .extracting(CreditedConversion::eventId).containsExactly(split.id());
        // a day range without them, a group that does not exist, another workspace: nothing
        assertThat(store.attribution().creditedConversions(new CreditedConversionQuery(ws.id(), DAY0.plusDays(2), DAY0.plusDays(3),
                GroupBy.CHANNEL, "Paid Search", AttributionModel.LINEAR, null, 10, null)).items()).isEmpty();
        assertThat(store.attribution().creditedConversions(new CreditedConversionQuery(ws.id(), DAY0.minusDays(30), DAY0.plusDays(1),
                GroupBy.CHANNEL, "Carrier pigeon", AttributionModel.LINEAR, null, 10, null)).items()).isEmpty();
        assertThat(store.attribution().creditedConversions(new CreditedConversionQuery("ws_other", DAY0.minusDays(30), DAY0.plusDays(1),
                GroupBy.CHANNEL, "Paid Search", AttributionModel.LINEAR, null, 10, null)).items()).isEmpty();
    }
}
