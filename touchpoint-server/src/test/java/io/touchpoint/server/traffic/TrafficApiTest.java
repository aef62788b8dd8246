package io.touchpoint.server.traffic;

import io.touchpoint.core.model.Workspace;
import io.touchpoint.core.traffic.TrafficReport;
import io.touchpoint.server.support.HttpTestClient.Response;
import io.touchpoint.server.support.ServerTest;
import org.junit.jupiter.api.Test;

import java.time.Clock;
import java.time.LocalDate;
import java.util.List;
import java.util.Map;

import static io.touchpoint.server.support.ErrorAssert.assertError;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;

/**
 * {@code GET /api/v1/reports/traffic} over real pixel page views: the figures the traffic stage counted, the same as
 * CSV, and the documented errors for a range or parameter it refuses.
 */
class TrafficApiTest extends ServerTest {
    @Test
    void visitorsVisitsLandingPagesAndSourcesOfPixelPageViews() throws Exception {
        Ws ws = newWorkspace();
        LocalDate today = LocalDate.parse((String) threeVisitorsCounted(ws).get("to")); // the default range ends today
        TrafficPageViews pixel = new TrafficPageViews(server, http);

        Map<String, Object> d = pixel.counted(ws, "from=" + today.minusDays(1) + "&to=" + today.plusDays(1));
        assertThat(map(d.get("totals"))).containsEntry("visitors", 3).containsEntry("visits", 3).containsEntry("page_views", 4)
                .containsEntry("bounces", 2);
        assertThat(((Number) map(d.get("totals")).get("bounce_rate")).doubleValue()).isEqualTo(2.0 / 3);
        assertThat(list(d.get("days"))).hasSize(3);
        assertThat(list(d.get("days"))).filteredOn(day -> today.toString().equals(day.get("day")))
                .singleElement().satisfies(day -> assertThat(day).containsEntry("visits", 3).containsEntry("page_views", 4));
        assertThat(list(d.get("days")).get(0)).as("a day without page views").containsEntry("visits", 0)
                .containsEntry("bounce_rate", null).containsEntry("pages_per_visit", null);
        assertThat(list(d.get("landing_pages"))).extracting(p -> p.get("path"), p -> p.get("visits"))
                .containsExactly(tuple("/", 2), tuple("/pricing", 1));
        assertThat(list(d.get("sources"))).extracting(s -> s.get("source"), s -> s.get("channel"), s -> s.get("visits"))
                .containsExactlyInAnyOrder(tuple("(direct)", "direct", 1), tuple("newsletter", "email", 1),
                        tuple("google.com", "organic_search", 1));

        Response limited = http.get("/api/v1/reports/traffic?limit=1&from=" + today + "&to=" + today, ws.token());
        assertThat(list(map(limited.json().get("data")).get("landing_pages"))).hasSize(1);

        Response csv = http.get("/api/v1/reports/traffic?format=csv&from=" + today + "&to=" + today, ws.token());
        assertThat(csv.status()).isEqualTo(200);
        assertThat(csv.header("Content-Type")).startsWith("text/csv");
        assertThat(csv.header("Content-Disposition")).contains("traffic-" + today + "-" + today + ".csv");
        List<String> lines = csv.body().lines().toList();
        assertThat(lines.get(0)).isEqualTo("section,day,path,source,channel,visitors,visits,page_views,bounces,bounce_rate,pages_per_visit");
        assertThat(lines.get(1)).startsWith("total,,,,,3,3,4,2,0.666");
        assertThat(lines.get(2)).startsWith("day," + today + ",,,,3,3,4,2,");
        assertThat(lines).contains("landing_page,,/,,,,2,,1,0.5,", "source,,,google.com,organic_search,,1,,,,");
    }

    @Test
    void theReportAskedAheadAtStartIsTheDefaultRangesOfTheFirstWorkspaces() throws Exception {
        Ws ws = newWorkspace();
        Map<String, Object> d = threeVisitorsCounted(ws);
        Workspace w = server.store().workspaces().byId(ws.id()).orElseThrow();
        List<Workspace> many = java.util.Collections.nCopies(TrafficWarmUp.WORKSPACES + 2, w);

        List<TrafficReport> asked = TrafficWarmUp.warm(server.store().traffic(), many, Clock.systemUTC());
        assertThat(asked).hasSize(TrafficWarmUp.WORKSPACES);
        assertThat(asked.get(0).from()).hasToString((String) d.get("from"));
        assertThat(asked.get(0).to()).hasToString((String) d.get("to"));
        assertThat(asked.get(0).totals().visits()).isEqualTo(3);
    }

    /** Three pixel visitors of the workspace, once the traffic stage counted them: the route's default range. */
    private Map<String, Object> threeVisitorsCounted(Ws ws) throws Exception {
        TrafficPageViews pixel = new TrafficPageViews(server, http);
        pixel.threeVisitors(ws);
        awaitProcessed();
        return pixel.counted(ws, "");
    }

    @Test
    void refusedRangesAndParametersAnswerTheDocumentedError() {
        Ws ws = newWorkspace();
        String base = "/api/v1/reports/traffic?";
        assertThat(assertError(http.get(base + "from=2026-03-10&to=2026-03-01", ws.token()), 400, "invalid_parameter"))
                .containsEntry("param", "to");
        assertThat(assertError(http.get(base + "from=2024-01-01&to=2026-03-01", ws.token()), 400, "invalid_parameter"))
                .containsEntry("param", "from");
        assertThat(assertError(http.get(base + "from=yesterday", ws.token()), 400, "invalid_parameter")).containsEntry("param", "from");
        assertThat(assertError(http.get(base + "limit=0", ws.token()), 400, "invalid_parameter")).containsEntry("param", "limit");
        assertThat(assertError(http.get(base + "format=xml", ws.token()), 400, "invalid_parameter")).containsEntry("param", "format");
        assertError(http.get(base + "group_by=page", ws.token()), 400, "invalid_parameter");
        assertError(http.get(base, null), 401, "token_missing");
    }
}
