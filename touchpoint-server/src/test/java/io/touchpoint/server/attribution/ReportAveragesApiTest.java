package io.touchpoint.server.attribution;

import io.touchpoint.core.model.Funnel;
import io.touchpoint.server.support.ErrorAssert;
import io.touchpoint.server.support.HttpTestClient.Response;
import io.touchpoint.server.support.ServerTest;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code average=field} end to end: four visitors buy with a lead score in custom_data (one as a word), and each
 * report row's average is the credit-weighted mean of its purchases' scores, computed by hand below.
 */
class ReportAveragesApiTest extends ServerTest {
    private static final Instant PURCHASE = Instant.parse("2026-03-01T12:00:00Z");
    private static final String RANGE = "&from=2026-02-01&to=2026-03-01";
    private static final String META = "\"utm_source\":\"facebook\",\"utm_medium\":\"paid_social\",\"utm_campaign\":\"spring\"";

    private void able(Funnel f, String type, Duration before, String client, String resource) {
        long t = PURCHASE.minus(before).getEpochSecond();
        Response r = http.postJson("/uip-events/event", null, "{\"funnel_mark\":\"" + f.mark() + "\",\"event_type\":\""
                + type + "\",\"event_time\":" + t + ",\"resource\":{\"keys\":{\"client_id\":\"" + client + "\"}"
                + (resource.isEmpty() ? "" : "," + resource) + "}}");
        assertThat(r.status()).as(r.body()).isEqualTo(202);
    }

    private void purchase(Funnel f, String client, String score) {
        able(f, "Purchase", Duration.ZERO, client, "\"deal_value\":100,\"deal_currency\":\"USD\",\"custom_data\":{\"lead_score\":"
                + score + ",\"stage\":\"won\"}");
    }

    /**
     * a: Meta 10 days before, scores 80. b: Google 5 days before, scores 40. c: Meta 3 days and Google 1 day before,
     * scores 20. d: no touchpoint, scores "high" (not a number).
     */
    private Ws seed() throws InterruptedException {
        Ws ws = newWorkspace();
        Funnel f = server.workspaces().createFunnel(ws.id(), "site-" + ws.name());
        able(f, "PageView", Duration.ofDays(10), "a", "\"event_source\":\"https://shop.example/\"," + META);
        purchase(f, "a", "80");
        able(f, "PageView", Duration.ofDays(5), "b", "\"event_source\":\"https://shop.example/?gclid=G1\"");
        purchase(f, "b", "40");
        able(f, "PageView", Duration.ofDays(3), "c", "\"event_source\":\"https://shop.example/\"," + META);
        able(f, "PageView", Duration.ofDays(1), "c", "\"event_source\":\"https://shop.example/?gclid=G2\"");
        purchase(f, "c", "20");
        purchase(f, "d", "\"high\"");
        awaitProcessed();
        return ws;
    }

    private Map<String, Object> report(Ws ws, String query) {
        Response r = http.get("/api/v1/reports/attribution?event_name=purchase" + RANGE + query, ws.token());
        assertThat(r.status()).as(r.body()).isEqualTo(200);
        return map(r.json().get("data"));
    }

    /** group → the model's average of the field (null: none). */
    private static Map<String, Object> averages(Map<String, Object> report, String model, String field) {
        Map<String, Object> out = new HashMap<>();
        for (Map<String, Object> row : list(report.get("rows"))) {
            out.put((String) row.get("group"), map(map(map(row.get("models")).get(model)).get("averages")).get(field));
        }
        return out;
    }

    @Test
    void eachRowAveragesTheScoresOfItsConversionsWeightedByTheirCredit() throws Exception {
        Ws ws = seed();
        Map<String, Object> r = report(ws, "&model=first_touch,linear&average=lead_score,deal_size");
        // first touch: Paid Social a (80) and c (20); Paid Search b (40); Direct d, whose score is a word
        assertThat(averages(r, "first_touch", "lead_score")).isEqualTo(mapOf("Paid Social", 50.0, "Paid Search", 40.0, "Direct", null));
        // linear: Paid Social 1 × 80 + ½ × 20 over 1½ = 60; Paid Search 1 × 40 + ½ × 20 over 1½ = 33.333333
        assertThat(averages(r, "linear", "lead_score")).isEqualTo(mapOf("Paid Social", 60.0, "Paid Search", 33.333333, "Direct", null));
        assertThat(averages(r, "linear", "deal_size")).as("no purchase carries it").isEqualTo(
                mapOf("Paid Social", null, "Paid Search", null, "Direct", null));

        // a week's window (the engine answers the report): a's Meta visit falls out, a goes to Direct
        Map<String, Object> week = report(ws, "&model=first_touch&window=7&average=lead_score");
        assertThat(averages(week, "first_touch", "lead_score")).isEqualTo(mapOf("Paid Social", 20.0, "Paid Search", 40.0, "Direct", 80.0));

        Map<String, Object> sorted = report(ws, "&model=linear&average=lead_score&sort=lead_score.average:asc");
        assertThat(list(sorted.get("rows"))).extracting(row -> row.get("group"))
                .as("nulls last whichever the direction").containsExactly("Paid Search", "Paid Social", "Direct");

        String csv = http.get("/api/v1/reports/attribution?event_name=purchase&model=first_touch&average=lead_score&format=csv"
                + "&sort=group:asc" + RANGE, ws.token()).body();
        assertThat(csv.lines().toList()).containsExactly(
                "group,model,currency,conversions,revenue,cost,cost_per_conversion,roas,lead_score_average",
                "Direct,first_touch,USD,1.0,100.0,,,,",
                "\"Paid Search\",first_touch,USD,1.0,100.0,,,,40.0",
                "\"Paid Social\",first_touch,USD,2.0,200.0,,,,50.0");
    }

    @Test
    void fieldNamesAreCheckedAndLimited() {
        Ws ws = newWorkspace();
        for (String bad : List.of("lead.score", "a%20b", "", "x".repeat(65), "a,b,c,d,e,f")) {
            Response r = http.get("/api/v1/reports/attribution?average=" + bad, ws.token());
            if (bad.isEmpty()) {
                assertThat(r.status()).isEqualTo(200);
                continue;
            }
            assertThat(ErrorAssert.assertError(r, 400, "invalid_parameter")).as(bad).containsEntry("param", "average");
        }
        assertThat(ErrorAssert.assertError(http.get("/api/v1/reports/attribution?average=score&sort=other.average", ws.token()),
                400, "invalid_parameter")).containsEntry("param", "sort");
    }

    private static Map<String, Object> mapOf(Object... kv) {
        Map<String, Object> m = new HashMap<>();
        for (int i = 0; i < kv.length; i += 2) m.put((String) kv[i], kv[i + 1]);
        return m;
    }
}
