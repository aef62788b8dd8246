package io.touchpoint.server.attribution;

import io.touchpoint.server.support.ErrorAssert;
import io.touchpoint.server.support.HttpTestClient.Response;
import io.touchpoint.server.support.ServerTest;
import io.touchpoint.server.support.TestServer;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

/**
 * Report freshness, on the API side: a report never passes stale or partial numbers off as current. A
 * data-driven run older than its range's data says so and is recomputed in the background; the processing lag counts
 * every acknowledged event not in the report yet; a settings change names every bad field; ratios without a
 * denominator are null, not 0.
 */
class ReportFreshnessApiTest extends ServerTest {
    private static final String ADMIN = TestServer.ADMIN_TOKEN;
    private static final String RANGE = "&from=2026-02-01&to=2026-03-01";

    private static String purchase(String email, String source, String campaign, String time, int amount) {
        return "{\"event_name\":\"purchase\",\"email\":\"" + email + "\",\"amount\":" + amount + ",\"currency\":\"USD\""
                + ",\"comet_source\":\"" + source + "\",\"comet_campaign\":\"" + campaign + "\",\"event_time\":\"" + time + "\"}";
    }

    private void batch(Ws ws, List<String> events) {
        Response r = http.postJson("/public-api/v1/events/batch", ws.token(), "{\"events\":[" + String.join(",", events) + "]}");
        assertThat(r.status()).as(r.body()).isEqualTo(200);
        assertThat(list(r.json().get("results"))).allSatisfy(x -> assertThat(x.get("status")).isEqualTo(202));
    }

    private Response report(Ws ws, String query) {
        Response r = http.get("/api/v1/reports/attribution?workspace=" + ws.id() + RANGE + query, ws.token());
        assertThat(r.status()).as(r.body()).isEqualTo(200);
        return r;
    }

    private static Map<String, Object> dataDriven(Response r) {
        return map(map(r.json().get("data")).get("data_driven"));
    }

    private static double credited(Response r, String model) {
        return list(map(r.json().get("data")).get("rows")).stream()
                .mapToDouble(row -> ((Number) map(map(row.get("models")).get(model)).get("conversions")).doubleValue()).sum();
    }

    @Test
    void aDataDrivenRunOlderThanTheDataOfItsRangeSaysSoAndIsRecomputedInTheBackground() throws Exception {
        Ws ws = newWorkspace();
        String markov = "&model=markov,shapley,linear";
        // asked before anything is attributed (as while the processor is still working): a run of no journeys
        Response early = report(ws, markov);
        assertThat(list(map(early.json().get("data")).get("rows"))).isEmpty();
        assertThat(dataDriven(early)).containsEntry("stale", false).containsEntry("recomputing", false);
        Object computedAt = dataDriven(early).get("computed_at");
        assertThat(computedAt).isNotNull();

        List<String> events = new ArrayList<>();
        for (int i = 0; i < 3; i++) events.add(purchase("buyer" + i + "@shop.io", i == 0 ? "google" : "facebook", "spring",
                "2026-03-01T12:00:00Z", 50));
        batch(ws, events);
        awaitProcessed();

        // the stored run misses the three conversions: the answer says so rather than passing it off as current
        Response stale = report(ws, markov);
        assertThat(map(map(stale.json().get("data")).get("totals"))).containsEntry("conversions", 3);
        assertThat(dataDriven(stale)).containsEntry("stale", true).containsEntry("recomputing", true)
                .containsEntry("computed_at", computedAt);
        assertThat(credited(stale, "linear")).isCloseTo(3, within(1e-6));
        assertThat(credited(stale, "markov")).isZero();

        // recomputed in the background: soon the report is current, with every conversion credited
        Response fresh = stale;
        long giveUp = System.nanoTime() + 20_000_000_000L;
        while (Boolean.TRUE.equals(dataDriven(fresh).get("stale")) && System.nanoTime() < giveUp) {
            Thread.sleep(50);
            fresh = report(ws, markov);
        }
        assertThat(dataDriven(fresh)).containsEntry("stale", false).containsEntry("recomputing", false);
        assertThat((String) dataDriven(fresh).get("computed_at")).isNotEqualTo(computedAt);
        assertThat(credited(fresh, "markov")).isCloseTo(3, within(1e-6));
        assertThat(credited(fresh, "shapley")).isCloseTo(3, within(1e-6));
        Object recomputedAt = dataDriven(fresh).get("computed_at");

        // a conversion after the range changes none of its days: the run stays current
        batch(ws, List.of(purchase("later@shop.io", "google", "spring", "2026-03-05T12:00:00Z", 50)));
        awaitProcessed();
        assertThat(dataDriven(report(ws, markov))).containsEntry("stale", false).containsEntry("computed_at", recomputedAt);
        // one in it does
        batch(ws, List.of(purchase("buyer0@shop.io", "google", "spring", "2026-02-20T12:00:00Z", 50)));
        awaitProcessed();
        assertThat(dataDriven(report(ws, markov))).containsEntry("stale", true);
        // the rule-based models alone have no run to be stale
        assertThat(dataDriven(report(ws, "&model=linear"))).containsEntry("computed_at", null).containsEntry("stale", false);
    }

    @Test
    void theLagCountsEveryAcknowledgedEventTheReportDoesNotHoldYet() throws Exception {
        Ws ws = newWorkspace();
        int sent = 0;
        for (int round = 0; round < 3; round++) {
            List<String> events = new ArrayList<>();
            for (int i = 0; i < 259; i++) {
                events.add(purchase("p" + round + "-" + i + "@shop.io", "google", "brand", "2026-03-01T12:00:00Z", 1));
            }
            batch(ws, events);
            sent += events.size();
            // asked the moment the batch is acknowledged: each purchase is either in the totals or in the lag
            Response r = report(ws, "&model=linear");
            long conversions = ((Number) map(map(r.json().get("data")).get("totals")).get("conversions")).longValue();
            long lag = ((Number) map(r.json().get("processing")).get("lag_events")).longValue();
            assertThat(conversions + lag).as("conversions %d + lag %d", conversions, lag).isGreaterThanOrEqualTo(sent);
        }
        awaitProcessed();
        Response done = report(ws, "&model=linear");
        assertThat(map(done.json().get("processing"))).containsEntry("lag_events", 0);
        assertThat(map(map(done.json().get("data")).get("totals"))).containsEntry("conversions", sent);
    }

    @Test
    void aSettingsChangeNamesEveryInvalidFieldAndWarnsOfUnknownOnes() {
        Ws ws = newWorkspace();
        String path = "/admin/v1/workspaces/" + ws.id() + "/attribution";
        Response bad = http.send(http.request(path).header("Authorization", "Bearer " + ADMIN)
                .header("Content-Type", "application/json").PUT(java.net.http.HttpRequest.BodyPublishers.ofString(
                        "{\"lookback_days\":0,\"half_life_days\":-1,\"conversion_events\":[\"purchase\",\"nope\",\"nada\"],"
                                + "\"visit_timeout_minutes\":9999}")).build());
        Map<String, Object> error = ErrorAssert.assertError(bad, 422, "invalid_value");
        assertThat(list(error.get("details"))).extracting(d -> d.get("param"))
                .containsExactly("lookback_days", "half_life_days", "conversion_events", "visit_timeout_minutes");
        assertThat(list(error.get("details")).get(2).get("message").toString()).contains("'nope'").contains("'nada'");
        assertThat(http.get(path, ADMIN).json()).containsEntry("lookback_days", 30);

        Response typo = http.send(http.request(path).header("Authorization", "Bearer " + ADMIN)
                .header("Content-Type", "application/json").PUT(java.net.http.HttpRequest.BodyPublishers.ofString(
                        "{\"lookback_days\":14,\"lookback\":7}")).build());
        assertThat(typo.status()).as(typo.body()).isEqualTo(200);
        assertThat(typo.json()).containsEntry("lookback_days", 14).containsEntry("warnings", List.of("unknown field 'lookback' ignored"));
    }

    @Test
    void costPerConversionAndRoasAreNullWhereTheyAreUndefined() throws Exception {
        Ws ws = newWorkspace();
        batch(ws, List.of(purchase("a@shop.io", "facebook", "spring", "2026-02-20T12:00:00Z", 100),
                purchase("b@shop.io", "google", "brand", "2026-02-20T12:00:00Z", 60)));
        awaitProcessed();
        Response imported = http.post("/admin/v1/workspaces/" + ws.id() + "/ad-spend", ADMIN, "text/csv",
                "date,platform,campaign,spend,currency\n2026-02-20,facebook,spring,40,USD\n2026-02-20,facebook,summer,30,USD\n");
        assertThat(imported.status()).as(imported.body()).isEqualTo(200);

        Map<String, Map<String, Object>> rows = new java.util.HashMap<>();
        for (Map<String, Object> row : list(map(report(ws, "&group_by=campaign&model=linear").json().get("data")).get("rows"))) {
            rows.put((String) row.get("group"), map(map(row.get("models")).get("linear")));
        }
        // spent and converted: both ratios
        assertThat(rows.get("spring")).containsEntry("cost", 40.0).containsEntry("cost_per_conversion", 40.0).containsEntry("roas", 2.5);
        // spent without converting: no cost per conversion; a ROAS of 0
        assertThat(rows.get("summer")).containsEntry("conversions", 0.0).containsEntry("cost", 30.0)
                .containsEntry("cost_per_conversion", null).containsEntry("roas", 0.0);
        // converted without spend: neither ratio (no spend is not free conversions)
        assertThat(rows.get("brand")).containsEntry("conversions", 1.0).containsEntry("cost", 0.0)
                .containsEntry("cost_per_conversion", null).containsEntry("roas", null);
    }
}
