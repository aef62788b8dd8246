package io.touchpoint.server.attribution;

import io.touchpoint.core.attribution.GroupBy;
import io.touchpoint.core.attribution.report.ReportQuery;
import io.touchpoint.core.model.Funnel;
import io.touchpoint.server.support.ErrorAssert;
import io.touchpoint.server.support.HttpTestClient.Response;
import io.touchpoint.server.support.ServerTest;
import io.touchpoint.server.support.TestServer;
import org.junit.jupiter.api.Test;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

/**
 * docs/ATTRIBUTION.md end to end over HTTP: a visitor lands from a Meta ad, later from Google search (gclid), then directly
 * (Able page views, identified by Able's client_id), fills a form with an email, and a server purchase of 100 USD
 * arrives through the Cometly API with only that email.
 */
class AttributionApiTest extends ServerTest {
    private static final String ADMIN = TestServer.ADMIN_TOKEN;
    private static final Instant PURCHASE = Instant.parse("2026-03-01T12:00:00Z");
    private static final String RANGE = "&from=2026-02-01&to=2026-03-01";

    private String able(Funnel f, String type, Duration before, String resource) {
        long t = PURCHASE.minus(before).getEpochSecond();
        Response r = http.postJson("/uip-events/event", null, "{\"funnel_mark\":\"" + f.mark() + "\",\"event_type\":\""
                + type + "\",\"event_time\":" + t + ",\"resource\":{" + resource + "}}");
        assertThat(r.status()).as(r.body()).isEqualTo(202);
        return (String) r.json().get("id");
    }

    private String purchase(Ws ws, String email) {
        Response r = http.postJson("/public-api/v1/events", ws.token(), "{\"event_name\":\"purchase\",\"email\":\"" + email
                + "\",\"amount\":100,\"currency\":\"USD\",\"event_time\":\"" + PURCHASE + "\"}");
        assertThat(r.status()).as(r.body()).isEqualTo(202);
        return (String) r.json().get("id");
    }

    /** Seeds the Meta → Google → Direct journey ending in a 100 USD purchase; returns the purchase's event id. */
    private String seedJourney(Ws ws) throws InterruptedException {
        Funnel f = server.workspaces().createFunnel(ws.id(), "site-" + ws.name());
        able(f, "PageView", Duration.ofDays(10), "\"event_source\":\"https://shop.example/landing\",\"utm_source\":\"facebook\","
                + "\"utm_medium\":\"paid_social\",\"utm_campaign\":\"spring\",\"keys\":{\"client_id\":\"c1\",\"fbclid\":\"F1\"}");
        able(f, "PageView", Duration.ofDays(10).minusMinutes(3), "\"event_source\":\"https://shop.example/shoes\","
                + "\"keys\":{\"client_id\":\"c1\"}"); // the same visit: one touchpoint
        able(f, "PageView", Duration.ofDays(5), "\"event_source\":\"https://shop.example/?gclid=G1\",\"keys\":{\"client_id\":\"c1\"}");
        able(f, "PageView", Duration.ofDays(1), "\"event_source\":\"https://shop.example/\",\"keys\":{\"client_id\":\"c1\"}");
        able(f, "Lead", Duration.ofDays(1).minusMinutes(2), "\"keys\":{\"client_id\":\"c1\",\"email\":\"jane@shop.io\"}");
        String id = purchase(ws, "jane@shop.io");
        awaitProcessed();
        return id;
    }

    private Response put(String path, String json) {
        return http.send(http.request(path).header("Authorization", "Bearer " + ADMIN).header("Content-Type", "application/json")
                .PUT(java.net.http.HttpRequest.BodyPublishers.ofString(json)).build());
    }

    private Map<String, Object> report(Ws ws, String query) {
        Response r = http.get("/api/v1/reports/attribution?event_name=purchase" + RANGE + query, ws.token());
        assertThat(r.status()).as(r.body()).isEqualTo(200);
        return map(r.json().get("data"));
    }

    private static double figure(Map<String, Object> report, String group, String model, String figure) {
        return list(report.get("rows")).stream().filter(r -> group.equals(r.get("group"))).findFirst()
                .map(r -> ((Number) map(map(r.get("models")).get(model)).get(figure)).doubleValue()).orElse(0.0);
    }

    @Test
    void theReportAndTheReceiptCreditTheRightChannelsUnderEachModel() throws Exception {
        Ws ws = newWorkspace();
        String purchase = seedJourney(ws);

        Map<String, Object> byChannel = report(ws, "&group_by=channel&model=last_non_direct,first_touch,linear");
        assertThat(byChannel.get("models")).isEqualTo(List.of("last_non_direct", "first_touch", "linear"));
        assertThat(map(byChannel.get("totals"))).containsEntry("conversions", 1).containsEntry("revenue", 100.0);
        assertThat(figure(byChannel, "Paid Search", "last_non_direct", "revenue")).isEqualTo(100.0);
        assertThat(figure(byChannel, "Paid Social", "last_non_direct", "revenue")).isZero();
        assertThat(figure(byChannel, "Paid Social", "first_touch", "revenue")).isEqualTo(100.0);
        for (String channel : List.of("Paid Social", "Paid Search", "Direct")) {
            assertThat(figure(byChannel, channel, "linear", "revenue")).isCloseTo(100 / 3.0, within(1e-5));
            assertThat(figure(byChannel, channel, "linear", "conversions")).isCloseTo(1 / 3.0, within(1e-5));
        }
        Map<String, Object> byPlatform = report(ws, "&group_by=platform&model=first_touch");
        assertThat(figure(byPlatform, "meta", "first_touch", "revenue")).isEqualTo(100.0);

        Response receipt = http.get("/api/v1/conversions/" + purchase + "/attribution", ws.token());
        assertThat(receipt.status()).as(receipt.body()).isEqualTo(200);
        Map<String, Object> data = map(receipt.json().get("data"));
        assertThat(data).containsEntry("value", 100.0).containsEntry("currency", "USD").containsEntry("event_name", "purchase");
        List<Map<String, Object>> path = list(data.get("path"));
        assertThat(path).extracting(s -> s.get("channel")).containsExactly("Paid Social", "Paid Search", "Direct");
        assertThat(path).extracting(s -> s.get("platform")).containsExactly("meta", "google", "none");
        assertThat(path.get(0)).containsEntry("campaign", "spring");
        assertThat(path).extracting(s -> map(s.get("credits")).get("first_touch")).containsExactly(1.0, 0.0, 0.0);
        assertThat(path).extracting(s -> map(s.get("credits")).get("last_non_direct")).containsExactly(0.0, 1.0, 0.0);
        assertThat(path).extracting(s -> map(s.get("credits")).get("last_touch")).containsExactly(0.0, 0.0, 1.0);
        assertThat(path).extracting(s -> map(s.get("credits")).get("linear")).containsExactly(0.333333, 0.333333, 0.333333);
        assertThat(path).extracting(s -> map(s.get("credits")).get("position_based")).containsExactly(0.4, 0.2, 0.4);

        // the events log says where each conversion's receipt is; page views have none
        List<Map<String, Object>> log = list(http.get("/api/v1/events-log", ws.token()).json().get("data"));
        assertThat(log).filteredOn(e -> purchase.equals(e.get("event_id"))).singleElement()
                .satisfies(e -> assertThat(map(e.get("attribution"))).containsEntry("receipt_url", "/api/v1/conversions/" + purchase + "/attribution"));
        assertThat(log).filteredOn(e -> "page_view".equals(e.get("event_name"))).hasSize(4)
                .allSatisfy(e -> assertThat(e.get("attribution")).isNull());
    }

    @Test
    void thePathsReportCountsEachConversionsPathWithItsDaysAndTouchpoints() throws Exception {
        Ws ws = newWorkspace();
        seedJourney(ws);
        purchase(ws, "walk-in@shop.io"); // no touchpoint at all
        awaitProcessed();

        Response r = http.get("/api/v1/reports/paths?group_by=channel&event_name=purchase" + RANGE, ws.token());
        assertThat(r.status()).as(r.body()).isEqualTo(200);
        Map<String, Object> data = map(r.json().get("data"));
        assertThat(data).containsEntry("conversions", 2).containsEntry("distinct_paths", 2).containsEntry("repeats_collapsed", true);
        assertThat(map(data.get("run")).get("computed_at")).isNotNull();
        List<Map<String, Object>> paths = list(data.get("paths"));
        // one conversion and 100 USD each: in the order of their steps
        assertThat(paths).extracting(p -> p.get("path")).containsExactly(List.of("(direct)"), List.of("Paid Social", "Paid Search", "Direct"));
        assertThat(paths.get(1)).containsEntry("path", List.of("Paid Social", "Paid Search", "Direct"))
                .containsEntry("conversions", 1).containsEntry("revenue", 100.0).containsEntry("without_touchpoints", false)
                .containsEntry("average_days_to_convert", 10.0).containsEntry("average_touches", 3.0);
        assertThat(paths.get(0)).containsEntry("without_touchpoints", true).containsEntry("revenue", 100.0)
                .containsEntry("average_touches", 0.0).containsEntry("average_days_to_convert", 0.0);

        // every conversion, the lead included: the lead and the purchase took the same path of campaigns
        Map<String, Object> byCampaign = map(http.get("/api/v1/reports/paths?group_by=campaign&limit=1" + RANGE, ws.token()).json().get("data"));
        assertThat(byCampaign).containsEntry("conversions", 3).containsEntry("distinct_paths", 2);
        assertThat(list(byCampaign.get("paths"))).singleElement().satisfies(p -> assertThat(p)
                .containsEntry("path", List.of("spring", "(not set)")).containsEntry("conversions", 2).containsEntry("revenue", 100.0));

        Response csv = http.get("/api/v1/reports/paths?group_by=channel&event_name=purchase&format=csv" + RANGE, ws.token());
        assertThat(csv.status()).as(csv.body()).isEqualTo(200);
        assertThat(csv.header("Content-Type")).startsWith("text/csv");
        assertThat(csv.header("Content-Disposition")).contains("paths-channel-");
        // the same paths as the JSON, in its order, one line each
        assertThat(csv.body().lines().toList()).containsExactly(
                "path,steps,without_touchpoints,conversions,currency,revenue,revenue_other_currencies,average_days_to_convert,average_touches",
                "\"(direct)\",1,true,1,USD,100.0,,0.0,0.0",
                "\"Paid Social > Paid Search > Direct\",3,false,1,USD,100.0,,10.0,3.0");
        ErrorAssert.assertError(http.get("/api/v1/reports/paths?format=xml", ws.token()), 400, "invalid_parameter");
        ErrorAssert.assertError(http.get("/api/v1/reports/paths?group_by=medium", ws.token()), 400, "invalid_parameter");
        ErrorAssert.assertError(http.get("/api/v1/reports/paths?limit=0", ws.token()), 400, "invalid_parameter");
        ErrorAssert.assertError(http.get("/api/v1/reports/paths?model=linear", ws.token()), 400, "invalid_parameter");
        ErrorAssert.assertError(http.get("/api/v1/reports/paths?from=2026-03-02&to=2026-03-01", ws.token()), 400, "invalid_parameter");
    }

    @Test
    void eachReportPicksItsWindowAndTheModelsWhoseCreditsAreNotStored() throws Exception {
        Ws ws = newWorkspace();
        seedJourney(ws); // Meta 10 days before the purchase, Google 5 days before, Direct 1 day before

        Map<String, Object> thirty = report(ws, "&model=first_touch,linear_paid");
        assertThat(thirty).containsEntry("window", "30").doesNotContainKey("platform");
        assertThat(figure(thirty, "Paid Social", "first_touch", "conversions")).isEqualTo(1.0);
        // linear paid: the two ad visits half each, the Direct visit is not paid
        assertThat(figure(thirty, "Paid Social", "linear_paid", "revenue")).isEqualTo(50.0);
        assertThat(figure(thirty, "Paid Search", "linear_paid", "revenue")).isEqualTo(50.0);
        assertThat(figure(thirty, "Direct", "linear_paid", "revenue")).isZero();

        Map<String, Object> week = report(ws, "&model=first_touch,linear&window=7");
        assertThat(week).containsEntry("window", "7");
        assertThat(figure(week, "Paid Search", "first_touch", "conversions")).isEqualTo(1.0);
        assertThat(figure(week, "Paid Social", "first_touch", "conversions")).isZero();
        assertThat(figure(week, "Direct", "linear", "conversions")).isEqualTo(0.5);
        assertThat(map(week.get("totals"))).containsEntry("conversions", 1).containsEntry("revenue", 100.0);
        // a touchpoint exactly one window before the conversion counts
        assertThat(figure(report(ws, "&model=first_touch&window=1"), "Direct", "first_touch", "conversions")).isEqualTo(1.0);
        assertThat(figure(report(ws, "&model=first_touch&window=lifetime"), "Paid Social", "first_touch", "conversions")).isEqualTo(1.0);

        Map<String, Object> google = report(ws, "&group_by=campaign&model=source_first_touch,source_last_touch&platform=google");
        assertThat(google).containsEntry("platform", "google");
        assertThat(figure(google, "(not set)", "source_first_touch", "revenue")).isEqualTo(100.0);
        Map<String, Object> meta = report(ws, "&group_by=campaign&model=source_last_touch&platform=meta&window=7");
        assertThat(list(meta.get("rows"))).as("no Meta touch in the last 7 days: nothing credited").isEmpty();
        assertThat(map(meta.get("totals"))).containsEntry("conversions", 1);
        Map<String, Object> daily = report(ws, "&model=linear_paid&window=14&interval=day");
        assertThat(list(daily.get("series"))).hasSize(29);

        assertThat(ErrorAssert.assertError(http.get("/api/v1/reports/attribution?window=5", ws.token()), 400, "invalid_parameter"))
                .containsEntry("param", "window");
        assertThat(ErrorAssert.assertError(http.get("/api/v1/reports/attribution?model=source_last_touch", ws.token()), 400,
                "invalid_parameter")).containsEntry("param", "platform");
        assertThat(ErrorAssert.assertError(http.get("/api/v1/reports/attribution?model=source_last_touch&platform=myspace",
                ws.token()), 400, "invalid_parameter")).containsEntry("param", "platform");
    }

    @Test
    void reportsGroupByTheAdSetAndAdIdsTheLandingUrlsNamed() throws Exception {
        Ws ws = newWorkspace();
        Funnel f = server.workspaces().createFunnel(ws.id(), "site-" + ws.name());
        able(f, "PageView", Duration.ofDays(3), "\"event_source\":\"https://shop.example/?utm_source=facebook&utm_medium=paid_social"
                + "&utm_campaign=spring&campaign_id=120001&adset_id=120002&ad_id=120003&fbclid=F9\",\"keys\":{\"client_id\":\"c9\"}");
        able(f, "Lead", Duration.ofDays(1), "\"keys\":{\"client_id\":\"c9\",\"email\":\"ad@shop.io\"}");
        String id = purchase(ws, "ad@shop.io");
        awaitProcessed();

        Map<String, Object> byAd = report(ws, "&group_by=ad&model=last_touch");
        assertThat(byAd).containsEntry("group_by", "ad");
        assertThat(figure(byAd, "120003", "last_touch", "revenue")).isEqualTo(100.0);
        assertThat(figure(report(ws, "&group_by=ad_set&model=linear_paid"), "120002", "linear_paid", "conversions")).isEqualTo(1.0);
        Map<String, Object> step = list(map(http.get("/api/v1/conversions/" + id + "/attribution", ws.token()).json().get("data"))
                .get("path")).get(0);
        assertThat(step).containsEntry("campaign_id", "120001").containsEntry("ad_set_id", "120002").containsEntry("ad_id", "120003");
    }

    @Test
    void eventColumnsAValueEventSortingAndHidingEmptyRows() throws Exception {
        Ws ws = newWorkspace();
        seedJourney(ws); // a lead (no value) a day before the 100 USD purchase, after Meta, Google and Direct visits
        Response r = http.get("/api/v1/reports/attribution?from=2026-02-01&to=2026-03-01&model=last_non_direct,first_touch"
                + "&events=lead_generated,purchase&value_event=purchase&sort=first_touch.purchase.revenue:desc&hide_empty=true",
                ws.token());
        assertThat(r.status()).as(r.body()).isEqualTo(200);
        Map<String, Object> report = map(r.json().get("data"));
        List<Map<String, Object>> rows = list(report.get("rows"));
        assertThat(rows).extracting(row -> row.get("group")).containsExactly("Paid Social", "Paid Search");
        Map<String, Object> social = map(map(rows.get(0).get("models")).get("first_touch"));
        assertThat(map(map(social.get("events")).get("purchase"))).containsEntry("conversions", 1.0).containsEntry("revenue", 100.0);
        assertThat(map(map(social.get("events")).get("lead_generated"))).containsEntry("conversions", 1.0);
        assertThat(social).containsEntry("conversions", 2.0); // both conversions count in the row, one column each
        Map<String, Object> search = map(map(rows.get(1).get("models")).get("last_non_direct"));
        assertThat(map(map(search.get("events")).get("purchase"))).containsEntry("revenue", 100.0);

        String csv = http.get("/api/v1/reports/attribution?from=2026-02-01&to=2026-03-01&model=first_touch&events=purchase"
                + "&format=csv&sort=group:asc", ws.token()).body();
        assertThat(csv.lines().findFirst().orElseThrow()).endsWith(",roas,purchase_conversions,purchase_revenue");
        assertThat(csv).contains("\n\"Paid Social\",first_touch,USD,2.0,100.0,,,,1.0,100.0");
        assertThat(ErrorAssert.assertError(http.get("/api/v1/reports/attribution?sort=ctr", ws.token()), 400, "invalid_parameter"))
                .containsEntry("param", "sort");
        assertThat(ErrorAssert.assertError(http.get("/api/v1/reports/attribution?events=Bad%20Name", ws.token()), 400,
                "invalid_parameter")).containsEntry("param", "events");
    }

    @Test
    void atStartTheIndexesOfWorkspacesWithDataAreReadAndTheirReportsAskedAhead() throws Exception {
        Ws empty = newWorkspace();
        Ws ws = newWorkspace();
        seedJourney(ws);
        var store = server.store();
        ReportIndexes indexes = new ReportIndexes(store.attribution(), 2);
        List<String> warmed = new CopyOnWriteArrayList<>();
        CountDownLatch done = new CountDownLatch(1);
        try (DataDrivenRuns runs = new DataDrivenRuns(store.attribution(), store.workspaces(), Clock.systemUTC(), null)) {
            var w = store.workspaces().byId(ws.id()).orElseThrow();
            var e = store.workspaces().byId(empty.id()).orElseThrow();
            indexes.prepare(() -> List.of(e, w), x -> {
                ReportWarmUp.warm(store.attribution(), runs, indexes, x);
                warmed.add(x.id());
                done.countDown();
            });
            assertThat(done.await(30, TimeUnit.SECONDS)).isTrue();
            assertThat(warmed).as("only a workspace holding attribution data").containsExactly(ws.id());
            assertThat(indexes.current(w).conversions()).isEqualTo(2);
            // the rule-based reports only: no data-driven run was queued for them
            var q = new ReportQuery(ws.id(), runs.today(w).minusDays(29), runs.today(w),
                    GroupBy.CHANNEL, List.of(), null, false);
            assertThat(store.attribution().modelRun(ws.id(), DataDrivenRuns.key(w, q))).isEmpty();
        }
    }

    @Test
    @SuppressWarnings("unchecked")
    void everyModelSitsSideBySideAndTheirTotalsReconcile() throws Exception {
        Ws ws = newWorkspace();
        seedJourney(ws);
        Map<String, Object> all = report(ws, "&model=all");
        assertThat((List<Object>) all.get("models")).hasSize(8).contains("markov", "shapley");
        assertThat(map(all.get("data_driven")).get("computed_at")).isNotNull();
        for (Object model : (List<?>) all.get("models")) {
            double conversions = list(all.get("rows")).stream()
                    .mapToDouble(r -> ((Number) map(map(r.get("models")).get(model)).get("conversions")).doubleValue()).sum();
            assertThat(conversions).as("%s", model).isCloseTo(1.0, within(1e-5));
        }
        // one converting journey over three channels: Shapley splits it equally
        assertThat(figure(all, "Paid Search", "shapley", "conversions")).isCloseTo(1 / 3.0, within(1e-5));

        Map<String, Object> daily = report(ws, "&model=linear&interval=day");
        List<Map<String, Object>> series = list(daily.get("series"));
        assertThat(series).hasSize(29).last().satisfies(d -> {
            assertThat(d).containsEntry("date", "2026-03-01");
            assertThat(map(d.get("totals"))).containsEntry("conversions", 1);
        });

        Response csv = http.get("/api/v1/reports/attribution?event_name=purchase&model=linear&format=csv" + RANGE, ws.token());
        assertThat(csv.status()).isEqualTo(200);
        assertThat(csv.header("Content-Type")).startsWith("text/csv");
        assertThat(csv.body().lines().toList()).first().isEqualTo("group,model,currency,conversions,revenue,cost,cost_per_conversion,roas");
        assertThat(csv.body()).contains("\"Paid Search\",linear,USD,0.333333,33.333333,,,");
    }

    @Test
    void importedSpendGivesCostAndRoasPerPlatformAndCampaign() throws Exception {
        Ws ws = newWorkspace();
        seedJourney(ws);
        String csv = "date,platform,campaign,spend,currency\n2026-02-19,facebook,spring,40,USD\n2026-02-24,google,\"brand, exact\",25.5,USD\n";
        Response r = http.post("/admin/v1/workspaces/" + ws.id() + "/ad-spend", ADMIN, "text/csv", csv);
        assertThat(r.status()).as(r.body()).isEqualTo(200);
        assertThat(r.json()).containsEntry("imported_rows", 2);

        Map<String, Object> byPlatform = report(ws, "&group_by=platform&model=first_touch,last_non_direct");
        assertThat(figure(byPlatform, "meta", "first_touch", "cost")).isEqualTo(40.0);
        assertThat(figure(byPlatform, "meta", "first_touch", "roas")).isEqualTo(2.5);
        assertThat(figure(byPlatform, "meta", "first_touch", "cost_per_conversion")).isEqualTo(40.0);
        assertThat(figure(byPlatform, "google", "last_non_direct", "roas")).isCloseTo(100 / 25.5, within(1e-5));
        Map<String, Object> byCampaign = report(ws, "&group_by=campaign&model=first_touch");
        assertThat(list(byCampaign.get("rows"))).extracting(row -> row.get("group")).contains("spring", "brand, exact");

        Response listed = http.get("/admin/v1/workspaces/" + ws.id() + "/ad-spend", ADMIN);
        assertThat(list(listed.json().get("data"))).extracting(s -> s.get("platform")).containsExactly("meta", "google");

        // a bad file is refused whole, naming each bad line, and stores nothing
        Response bad = http.post("/admin/v1/workspaces/" + ws.id() + "/ad-spend", ADMIN, "text/csv",
                "date,platform,campaign,spend,currency\n2026-02-20,meta,x,1,USD\n2026-02-31,myspace,y,-1,EUR\n");
        ErrorAssert.assertError(bad, 422, "invalid_value");
        assertThat(bad.body()).contains("line 3");
        assertThat(list(http.get("/admin/v1/workspaces/" + ws.id() + "/ad-spend", ADMIN).json().get("data"))).hasSize(2);
        assertThat(http.post("/admin/v1/workspaces/" + ws.id() + "/ad-spend", ADMIN, "application/json", "{}").status()).isEqualTo(415);
        assertThat(http.post("/admin/v1/workspaces/" + ws.id() + "/ad-spend", ws.token(), "text/csv", csv).status()).isEqualTo(401);
    }

    @Test
    void settingsAreReadAndChangedByTheAdministratorWithClearErrors() {
        Ws ws = newWorkspace();
        String path = "/admin/v1/workspaces/" + ws.id() + "/attribution";
        Response r = http.get(path, ADMIN);
        assertThat(r.json()).containsEntry("lookback_days", 30).containsEntry("half_life_days", 7.0)
                .containsEntry("conversion_events", null).containsEntry("visit_timeout_minutes", 30);
        Response put = put(path, "{\"lookback_days\":14,\"conversion_events\":[\"purchase\"]}");
        assertThat(put.status()).as(put.body()).isEqualTo(200);
        assertThat(http.get(path, ADMIN).json()).containsEntry("lookback_days", 14).containsEntry("conversion_events", List.of("purchase"));
        Response bad = put(path, "{\"lookback_days\":91}");
        assertThat(ErrorAssert.assertError(bad, 422, "invalid_value")).containsEntry("param", "lookback_days");
        assertThat(http.get(path, ADMIN).json()).containsEntry("lookback_days", 14);
    }

    @Test
    void readersSeeOnlyTheirOwnWorkspaceAndBadParametersAreNamed() {
        Ws ws = newWorkspace();
        Ws other = newWorkspace();
        assertThat(http.get("/api/v1/reports/attribution", null).status()).isEqualTo(401);
        assertThat(http.get("/api/v1/reports/attribution?workspace=" + other.id(), ws.token()).status()).isEqualTo(403);
        assertThat(http.get("/api/v1/reports/attribution?workspace=" + other.id(), ADMIN).status()).isEqualTo(200);
        assertThat(ErrorAssert.assertError(http.get("/api/v1/reports/attribution?group_by=country", ws.token()), 400, "invalid_parameter")).containsEntry("param", "group_by");
        assertThat(ErrorAssert.assertError(http.get("/api/v1/reports/attribution?model=u_shaped", ws.token()), 400, "invalid_parameter")).containsEntry("param", "model");
        assertThat(ErrorAssert.assertError(http.get("/api/v1/reports/attribution?from=yesterday", ws.token()), 400, "invalid_parameter")).containsEntry("param", "from");
        assertThat(ErrorAssert.assertError(http.get("/api/v1/reports/attribution?from=2026-03-02&to=2026-03-01", ws.token()), 400, "invalid_parameter")).containsEntry("param", "to");
        assertThat(http.get("/api/v1/conversions/evt_nope/attribution", ws.token()).status()).isEqualTo(404);
    }
}
