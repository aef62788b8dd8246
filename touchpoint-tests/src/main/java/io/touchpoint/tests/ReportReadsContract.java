package io.touchpoint.tests;

import io.touchpoint.core.attribution.GroupBy;
import io.touchpoint.core.attribution.models.AttributionModel;
import io.touchpoint.core.attribution.report.ConversionTotal;
import io.touchpoint.core.attribution.report.CreditedConversion;
import io.touchpoint.core.attribution.report.CreditedConversionQuery;
import io.touchpoint.core.attribution.report.ReportQuery;
import io.touchpoint.core.attribution.report.AdSpend;
import io.touchpoint.core.attribution.report.SpendRow;
import io.touchpoint.core.model.Event;
import io.touchpoint.core.model.Workspace;
import io.touchpoint.core.store.AttributionStore;
import org.junit.jupiter.api.Test;

import java.math.BigDecimal;
import java.time.Duration;
import java.time.LocalDate;
import java.util.List;
import java.util.Map;

import static io.touchpoint.core.model.IdentifierType.*;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

/** What reports read besides credits: spend, stored model runs, the data version per day, a row's conversions. */
public abstract class ReportReadsContract extends AttributionFixture {
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
