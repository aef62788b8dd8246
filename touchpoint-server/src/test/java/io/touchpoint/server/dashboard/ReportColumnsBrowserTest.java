package io.touchpoint.server.dashboard;

import io.touchpoint.core.model.Funnel;
import io.touchpoint.server.support.BrowserServerTest;
import io.touchpoint.server.support.HttpTestClient.Response;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;

import java.io.IOException;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.time.Instant;
import java.util.List;
import java.util.Map;

import static io.touchpoint.server.dashboard.DashboardBrowserTest.await;
import static io.touchpoint.server.dashboard.DashboardBrowserTest.noConsoleErrors;
import static io.touchpoint.server.dashboard.DashboardBrowserTest.screenshots;
import static io.touchpoint.server.support.HeadlessChromium.js;
import static io.touchpoint.server.support.HeadlessChromium.waitFor;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * The report page's column controls in headless Chromium against the real server: two event columns, the event ROAS
 * and cost per conversion are on, an average of a custom_data field and a sort by it, each figure equal to the API's,
 * a click on a header sorting the other way, and a saved view bringing every choice back.
 */
class ReportColumnsBrowserTest extends BrowserServerTest {
    private static final String COLUMNS = "&events=purchase,lead_generated&value_event=purchase&average=lead_score"
            + "&hide_empty=true&sort=";
    private static final List<String> FIGURES = List.of("purchase.conversions", "purchase.revenue", "lead_generated.conversions",
            "lead_generated.revenue", "lead_score.average");

    @BeforeAll
    void screenshotFolder() throws IOException {
        Files.createDirectories(DashboardBrowserTest.SHOTS);
    }

    private void able(Funnel f, String type, long at, String client, String resource) {
        Response r = http.postJson("/uip-events/event", null, "{\"funnel_mark\":\"" + f.mark() + "\",\"event_type\":\"" + type
                + "\",\"event_time\":" + at + ",\"resource\":{\"keys\":{\"client_id\":\"" + client + "\"}"
                + (resource.isEmpty() ? "" : "," + resource) + "}}");
        assertThat(r.status()).as(r.body()).isEqualTo(202);
    }

    /** The API's rows with last touch credit, in its order: group → column → value (null: none). */
    private List<Map<String, Object>> api(Ws ws, String sort) {
        Response r = http.get("/api/v1/reports/attribution?group_by=channel&model=last_touch" + COLUMNS + "last_touch." + sort,
                ws.token());
        assertThat(r.status()).as(r.body()).isEqualTo(200);
        return list(map(r.json().get("data")).get("rows")).stream()
                .filter(row -> ((Number) map(map(row.get("models")).get("last_touch")).get("conversions")).doubleValue() != 0).toList();
    }

    private static Object apiFigure(Map<String, Object> row, String column) {
        Map<String, Object> f = map(map(row.get("models")).get("last_touch"));
        String name = column.substring(0, column.lastIndexOf('.'));
        String figure = column.substring(column.lastIndexOf('.') + 1);
        if (figure.equals("average")) return f.get("averages") == null ? null : map(f.get("averages")).get(name);
        return map(map(f.get("events")).get(name)).get(figure);
    }

    /** The page's table equals the API's rows: the same groups in the same order, each column's figure the same. */
    private static void tableEquals(ChromeDriver d, List<Map<String, Object>> rows) {
        List<WebElement> trs = d.findElements(By.cssSelector("#report-table tbody tr[data-group]"));
        assertThat(trs).extracting(tr -> tr.getAttribute("data-group")).containsExactlyElementsOf(rows.stream()
                .map(r -> (String) r.get("group")).toList());
        for (int i = 0; i < rows.size(); i++) {
            for (String column : FIGURES) {
                String shown = trs.get(i).findElement(By.cssSelector("td[data-column='" + column + "']")).getAttribute("data-value");
                Object expected = apiFigure(rows.get(i), column);
                assertThat(shown.isEmpty() ? null : Double.valueOf(shown)).as(rows.get(i).get("group") + " " + column)
                        .isEqualTo(expected == null ? null : ((Number) expected).doubleValue());
            }
        }
    }

    private static String query(ChromeDriver d) {
        return URLDecoder.decode(d.getCurrentUrl(), StandardCharsets.UTF_8);
    }

    @Test
    void eventColumnsAValueEventAnAverageAndASortShowTheApisFiguresAndASavedViewBringsThemBack() throws Exception {
        Ws ws = newWorkspace();
        Funnel f = server.workspaces().createFunnel(ws.id(), "site-" + ws.name());
        long now = Instant.now().getEpochSecond();
        String meta = "\"event_source\":\"https://shop.example/\",\"utm_source\":\"facebook\",\"utm_medium\":\"paid_social\"";
        // a: Meta, a lead, then a purchase scoring 80; b: Google, a purchase scoring 40; c: Meta, a purchase scoring 20;
        // d: no visit, a lead scoring 5
        able(f, "PageView", now - 1800, "a", meta);
        able(f, "Lead", now - 1200, "a", "");
        able(f, "Purchase", now - 600, "a", "\"deal_value\":100,\"deal_currency\":\"USD\",\"custom_data\":{\"lead_score\":80}");
        able(f, "PageView", now - 1800, "b", "\"event_source\":\"https://shop.example/?gclid=G1\"");
        able(f, "Purchase", now - 600, "b", "\"deal_value\":60,\"deal_currency\":\"USD\",\"custom_data\":{\"lead_score\":40}");
        able(f, "PageView", now - 1800, "c", meta);
        able(f, "Purchase", now - 600, "c", "\"deal_value\":40,\"deal_currency\":\"USD\",\"custom_data\":{\"lead_score\":20}");
        able(f, "Lead", now - 600, "d", "\"custom_data\":{\"lead_score\":5}");
        awaitProcessed();

        ChromeDriver d = signedIn();
        d.get(server.baseUrl() + "/dashboard/reports?ws=" + ws.id() + "&group_by=channel&model=last_touch" + COLUMNS
                + "lead_score.average:asc");
        await(d, "#report-table td[data-column='lead_score.average']");
        List<Map<String, Object>> ascending = api(ws, "lead_score.average:asc");
        // by hand: Direct d's 5; Paid Search b's 40; Paid Social a's 80 and c's 20 (a's lead carries no score)
        assertThat(ascending).extracting(r -> apiFigure(r, "lead_score.average")).containsExactly(5.0, 40.0, 50.0);
        tableEquals(d, ascending);
        assertThat(d.findElement(By.cssSelector("#report-table th[aria-sort=ascending] button")).getAttribute("data-sort"))
                .isEqualTo("lead_score.average");
        screenshots(d, "reports-columns");

        // the header clicked again: descending, kept in the URL, the API's order
        d.findElement(By.cssSelector("#report-table th button[data-sort='lead_score.average']")).click();
        waitFor(() -> query(d).contains("sort=lead_score.average:desc"), "the sort in the URL");
        await(d, "#report-table th[aria-sort=descending] button[data-sort='lead_score.average']");
        tableEquals(d, api(ws, "lead_score.average:desc"));

        // saved, then applied on a plain page: every column control takes the view's value
        d.findElement(By.id("view-name")).sendKeys("Scores");
        d.findElement(By.id("save-view")).click();
        String views = "/api/v1/saved-views?page=attribution";
        waitFor(() -> !list(http.get(views, ws.token()).json().get("data")).isEmpty(), "the saved view");
        String id = (String) list(http.get(views, ws.token()).json().get("data")).get(0).get("id");
        d.get(server.baseUrl() + "/dashboard/reports?ws=" + ws.id());
        await(d, "#saved-view option[value='" + id + "']");
        js(d, "const s = document.getElementById('saved-view'); s.value = arguments[0];"
                + " s.dispatchEvent(new Event('change', {bubbles: true}));", id);
        waitFor(() -> query(d).contains("average=lead_score"), "the view applied");
        await(d, "#report-table th[aria-sort=descending] button[data-sort='lead_score.average']");
        assertThat(d.findElement(By.id("report-events")).getAttribute("value")).isEqualTo("purchase,lead_generated");
        assertThat(d.findElement(By.id("report-value-event")).getAttribute("value")).isEqualTo("purchase");
        assertThat(d.findElement(By.id("report-average")).getAttribute("value")).isEqualTo("lead_score");
        assertThat(d.findElement(By.id("report-hide-empty")).isSelected()).isTrue();
        tableEquals(d, api(ws, "lead_score.average:desc"));

        // a field name the API would refuse is marked on its field before anything is sent (no 400 in the console)
        js(d, "const a = document.getElementById('report-average'); a.value = 'lead.score';");
        d.findElement(By.cssSelector("form.filters button[type=submit]")).click();
        await(d, ".field:has(#report-average) + .field-error");
        assertThat(d.findElement(By.id("report-average")).getAttribute("aria-invalid")).isEqualTo("true");
        noConsoleErrors(d);
    }
}
