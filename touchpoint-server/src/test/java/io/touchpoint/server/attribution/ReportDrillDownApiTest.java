package io.touchpoint.server.attribution;

import io.touchpoint.server.support.HttpTestClient.Response;
import io.touchpoint.server.support.ServerTest;
import org.junit.jupiter.api.Test;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;

import static io.touchpoint.server.support.ErrorAssert.assertError;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

/**
 * The drill-down of a report row over HTTP: the conversions a rule-based model credits to the row's group, whose
 * credit shares add up to the row's conversions in the report, page by page; and the refusals of what it cannot answer.
 */
class ReportDrillDownApiTest extends ServerTest {
    private static final String RANGE = "&from=2026-02-01&to=2026-03-01&event_name=purchase";

    private String event(Ws ws, String email, String source, String time, int amount) {
        return sendEvent(ws, "{\"event_name\":\"" + (amount > 0 ? "purchase" : "view_content") + "\",\"email\":\"" + email
                + "\",\"comet_source\":\"" + source + "\",\"event_time\":\"" + time + "\""
                + (amount > 0 ? ",\"amount\":" + amount + ",\"currency\":\"USD\"" : "") + "}");
    }

    private Response drill(Ws ws, String query) {
        return http.get("/api/v1/reports/attribution/conversions?" + query, ws.token());
    }

    private static String group(String g) {
        return URLEncoder.encode(g, StandardCharsets.UTF_8);
    }

    @Test
    void aRowsConversionsCarryCreditSharesThatAddUpToTheRow() throws Exception {
        Ws ws = newWorkspace();
        event(ws, "ann@shop.io", "facebook", "2026-02-10T10:00:00Z", 0);
        String split = event(ws, "ann@shop.io", "google", "2026-02-20T10:00:00Z", 100);
        String whole = event(ws, "bob@shop.io", "google", "2026-02-25T10:00:00Z", 60);
        awaitProcessed();

        Response report = http.get("/api/v1/reports/attribution?group_by=source&model=linear" + RANGE, ws.token());
        assertThat(report.status()).as(report.body()).isEqualTo(200);
        for (Map<String, Object> row : list(map(report.json().get("data")).get("rows"))) {
            String g = (String) row.get("group");
            double conversions = ((Number) map(map(row.get("models")).get("linear")).get("conversions")).doubleValue();
            Response r = drill(ws, "group_by=source&model=linear&group=" + group(g) + RANGE);
            assertThat(r.status()).as(r.body()).isEqualTo(200);
            double shares = list(r.json().get("data")).stream().mapToDouble(c -> ((Number) c.get("credit")).doubleValue()).sum();
            assertThat(shares).as(g).isCloseTo(conversions, within(1e-6));
        }

        Response google = drill(ws, "group_by=source&model=linear&group=google" + RANGE);
        List<Map<String, Object>> rows = list(google.json().get("data"));
        assertThat(rows).extracting(c -> c.get("event_id")).containsExactly(whole, split);
        assertThat(rows.get(1)).containsEntry("event_name", "purchase").containsEntry("value", 100.0)
                .containsEntry("currency", "USD").containsEntry("credit", 0.5).containsEntry("credited_value", 50.0)
                .containsEntry("time", "2026-02-20T10:00:00Z");
        String profile = (String) rows.get(1).get("profile_id");
        Response receipt = http.get("/api/v1/conversions/" + split + "/attribution", ws.token());
        assertThat(map(receipt.json().get("data")).get("profile_id")).isEqualTo(profile);

        Response first = drill(ws, "group_by=source&model=linear&group=google&limit=1" + RANGE);
        assertThat(list(first.json().get("data"))).extracting(c -> c.get("event_id")).containsExactly(whole);
        Response next = drill(ws, "group_by=source&model=linear&group=google&limit=1" + RANGE + "&cursor="
                + group((String) first.json().get("next_cursor")));
        assertThat(list(next.json().get("data"))).extracting(c -> c.get("event_id")).containsExactly(split);
        assertThat(next.json().get("next_cursor")).isNull();

        // first touch: the purchase that began on Facebook is Facebook's alone
        assertThat(list(drill(ws, "group_by=source&model=first_touch&group=facebook" + RANGE).json().get("data")))
                .extracting(c -> c.get("event_id")).containsExactly(split);
        assertThat(list(drill(ws, "group_by=source&model=linear&group=google&from=2026-03-02&to=2026-03-05").json()
                .get("data"))).isEmpty();
    }

    @Test
    void whatItCannotAnswerIsRefusedNamingTheParameter() {
        Ws ws = newWorkspace();
        assertThat(assertError(drill(ws, "group_by=source"), 400, "invalid_parameter")).containsEntry("param", "group");
        assertThat(assertError(drill(ws, "group=google&model=markov"), 400, "invalid_parameter")).containsEntry("param", "model");
        assertThat(assertError(drill(ws, "group=google&group_by=country"), 400, "invalid_parameter")).containsEntry("param", "group_by");
        // ad sets and ads are drilled by their platform ids, as the report groups them (none here)
        assertThat(drill(ws, "group_by=ad&group=120003" + RANGE).status()).isEqualTo(200);
        assertThat(drill(ws, "group_by=ad_set&group=(not%20set)" + RANGE).status()).isEqualTo(200);
        assertThat(assertError(drill(ws, "group=google&cursor=nope"), 400, "invalid_parameter")).containsEntry("param", "cursor");
        assertThat(assertError(drill(ws, "group=google&limit=0"), 400, "invalid_parameter")).containsEntry("param", "limit");
        assertThat(assertError(drill(ws, "group=google&from=2026-03-02&to=2026-03-01"), 400, "invalid_parameter"))
                .containsEntry("param", "to");
        assertThat(assertError(drill(ws, "group=google&sort=time"), 400, "invalid_parameter")).containsEntry("param", "sort");
        assertError(http.get("/api/v1/reports/attribution/conversions?group=google", null), 401, "token_missing");
    }
}
