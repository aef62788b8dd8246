package io.touchpoint.server.dashboard;

import io.touchpoint.server.support.BrowserServerTest;
import io.touchpoint.server.support.HttpTestClient.Response;
import io.touchpoint.server.support.TestServer;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;

import java.net.URLDecoder;
import java.net.http.HttpRequest;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Map;

import static io.touchpoint.server.dashboard.DashboardBrowserTest.await;
import static io.touchpoint.server.dashboard.DashboardBrowserTest.noConsoleErrors;
import static io.touchpoint.server.dashboard.DashboardBrowserTest.screenshots;
import static io.touchpoint.server.support.HeadlessChromium.js;
import static io.touchpoint.server.support.HeadlessChromium.waitFor;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

/**
 * The attribution page as a marketer decides with it, in headless Chromium against the real server: date presets in
 * the workspace's time zone kept in the URL, the previous period's figures and deltas (checked against the API), the
 * drill-down from a row to its conversions and on to a receipt and a journey, saved views, and inline validation.
 */
class DecisionDashboardBrowserTest extends BrowserServerTest {
    private static final String ADMIN = TestServer.ADMIN_TOKEN;
    private static final ZoneId TOKYO = ZoneId.of("Asia/Tokyo");

    private void tokyo(Ws ws) {
        Response saved = http.send(http.request("/admin/v1/workspaces/" + ws.id() + "/settings")
                .header("Authorization", "Bearer " + ADMIN).header("Content-Type", "application/json")
                .PUT(HttpRequest.BodyPublishers.ofString("{\"time_zone\":\"Asia/Tokyo\"}")).build());
        assertThat(saved.status()).as(saved.body()).isEqualTo(200);
    }

    private String purchase(Ws ws, String email, String source, int amount, Instant at) {
        return sendEvent(ws, "{\"event_name\":\"purchase\",\"email\":\"" + email + "\",\"amount\":" + amount
                + ",\"currency\":\"USD\",\"comet_source\":\"" + source + "\",\"event_time\":\"" + at + "\"}");
    }

    private static void choose(ChromeDriver d, String id, String value) {
        js(d, "const s = document.getElementById(arguments[0]); s.value = arguments[1];"
                + " s.dispatchEvent(new Event('change', {bubbles: true}));", id, value);
    }

    private static String value(ChromeDriver d, String id) {
        return d.findElement(By.id(id)).getAttribute("value");
    }

    private static String query(ChromeDriver d) {
        return URLDecoder.decode(d.getCurrentUrl(), StandardCharsets.UTF_8);
    }

    private Map<String, Object> report(Ws ws, LocalDate from, LocalDate to) {
        Response r = http.get("/api/v1/reports/attribution?model=last_touch&group_by=source&from=" + from + "&to=" + to, ws.token());
        assertThat(r.status()).as(r.body()).isEqualTo(200);
        return map(r.json().get("data"));
    }

    private static double conversions(Map<String, Object> report, String group) {
        return list(report.get("rows")).stream().filter(r -> group.equals(r.get("group")))
                .mapToDouble(r -> ((Number) map(map(r.get("models")).get("last_touch")).get("conversions")).doubleValue())
                .findFirst().orElse(0);
    }

    @Test
    void presetsComparisonWithThePreviousPeriodAndDrillDownToAJourney() throws Exception {
        Ws ws = newWorkspace();
        tokyo(ws);
        Instant now = Instant.now();
        String recent = purchase(ws, "ann@shop.io", "facebook", 100, now.minus(1, ChronoUnit.MINUTES));
        purchase(ws, "bob@shop.io", "google", 60, now.minus(2, ChronoUnit.MINUTES));
        purchase(ws, "cy@shop.io", "facebook", 40, now.minus(10, ChronoUnit.DAYS));
        awaitProcessed();
        LocalDate today = LocalDate.ofInstant(now, TOKYO);

        ChromeDriver d = signedIn();
        d.get(server.baseUrl() + "/dashboard/reports?ws=" + ws.id() + "&preset=last_7_days&compare=previous&group_by=source&model=last_touch");
        await(d, "#report-table .delta");
        // the last 7 days in Tokyo, today included; compared with the 7 days before
        assertThat(value(d, "from")).isEqualTo(today.minusDays(6).toString());
        assertThat(value(d, "to")).isEqualTo(today.toString());
        Map<String, Object> current = report(ws, today.minusDays(6), today);
        Map<String, Object> previous = report(ws, today.minusDays(13), today.minusDays(7));
        WebElement total = d.findElement(By.cssSelector("#total-conversions + .delta"));
        double before = ((Number) map(previous.get("totals")).get("conversions")).doubleValue();
        double after = ((Number) map(current.get("totals")).get("conversions")).doubleValue();
        assertThat(Double.parseDouble(total.getAttribute("data-previous"))).isEqualTo(before).isEqualTo(1);
        assertThat(Double.parseDouble(total.getAttribute("data-abs"))).isEqualTo(after - before).isEqualTo(1);
        assertThat(Double.parseDouble(total.getAttribute("data-pct"))).isCloseTo(100, within(1e-9));
        assertThat(total.getText()).contains("+1").contains("+100%");
        for (String source : List.of("facebook", "google")) {
            WebElement delta = d.findElement(By.cssSelector("#report-table tr[data-group='" + source + "'] [data-metric=conversions] .delta"));
            assertThat(Double.parseDouble(delta.getAttribute("data-previous"))).as(source).isEqualTo(conversions(previous, source));
            assertThat(Double.parseDouble(delta.getAttribute("data-abs"))).as(source)
                    .isEqualTo(conversions(current, source) - conversions(previous, source));
        }
        // from nothing a percentage has no meaning: "—"
        WebElement google = d.findElement(By.cssSelector("#report-table tr[data-group='google'] [data-metric=conversions] .delta"));
        assertThat(google.getAttribute("data-pct")).isEmpty();
        assertThat(google.getText()).contains("(—)");
        screenshots(d, "reports-compare");

        // a preset chosen: its dates in the fields, and the preset (not the dates) in the URL
        choose(d, "preset", "last_month");
        LocalDate monthStart = today.withDayOfMonth(1);
        assertThat(value(d, "from")).isEqualTo(monthStart.minusMonths(1).toString());
        assertThat(value(d, "to")).isEqualTo(monthStart.minusDays(1).toString());
        d.findElement(By.cssSelector("form.filters button[type=submit]")).click();
        waitFor(() -> query(d).contains("preset=last_month") && !query(d).contains("from="), "the preset in the URL");
        choose(d, "preset", "last_7_days");
        d.findElement(By.cssSelector("form.filters button[type=submit]")).click();
        waitFor(() -> query(d).contains("preset=last_7_days"), "back to the last 7 days");
        // drawn for the last 7 days (2 conversions; last month has at most the one of 10 days ago)
        waitFor(() -> d.findElements(By.id("total-conversions")).stream().anyMatch(e -> e.getText().equals("2")),
                "the last 7 days' report");

        // drill-down: Facebook's conversion of the last 7 days, its receipt, then the person's journey
        d.findElement(By.cssSelector("#report-table tr[data-group='facebook'] th button.drill")).click();
        await(d, "#drill-table tbody tr[data-event-id]");
        List<WebElement> rows = d.findElements(By.cssSelector("#drill-table tbody tr[data-event-id]"));
        assertThat(rows).hasSize(1);
        assertThat(rows.get(0).getAttribute("data-event-id")).isEqualTo(recent);
        assertThat(rows.get(0).getText()).contains("purchase").contains("$100.00").contains("100%");
        rows.get(0).findElement(By.cssSelector("button.receipt-open")).click();
        await(d, "#drill-table .receipt-table");
        screenshots(d, "reports-drilldown");
        rows.get(0).findElement(By.cssSelector("a.journey-link")).click();
        waitFor(() -> d.getCurrentUrl().contains("/dashboard/journeys") && d.getCurrentUrl().contains("profile="), "the journey page");
        waitFor(() -> d.findElements(By.id("journey")).stream().anyMatch(j -> j.getText().contains("ann@shop.io")),
                "the person's journey");
        noConsoleErrors(d);
    }

    @Test
    void aViewIsSavedUnderANameAndAppliedAndFormsMarkTheirFieldsInline() throws Exception {
        Ws ws = newWorkspace();
        ChromeDriver d = signedIn();
        d.get(server.baseUrl() + "/dashboard/reports?ws=" + ws.id() + "&preset=last_90_days&group_by=campaign&model=linear");
        await(d, "#report .empty, #report-table");

        // a name is needed: said next to the field, nothing is sent
        d.findElement(By.id("save-view")).click();
        await(d, ".field:has(#view-name) + .field-error");
        assertThat(d.findElement(By.id("view-name")).getAttribute("aria-invalid")).isEqualTo("true");
        String views = "/api/v1/saved-views?page=attribution";
        assertThat(list(http.get(views, ws.token()).json().get("data"))).isEmpty();

        d.findElement(By.id("view-name")).sendKeys("Campaigns, linear");
        d.findElement(By.id("save-view")).click();
        waitFor(() -> !list(http.get(views, ws.token()).json().get("data")).isEmpty(), "the saved view");
        Map<String, Object> view = list(http.get(views, ws.token()).json().get("data")).get(0);
        assertThat(view.get("name")).isEqualTo("Campaigns, linear");
        assertThat((String) view.get("query")).contains("group_by=campaign").contains("model=linear")
                .contains("preset=last_90_days").doesNotContain("ws=");

        // applied on a plain page: every control takes the view's value
        d.get(server.baseUrl() + "/dashboard/reports?ws=" + ws.id());
        await(d, "#saved-view option[value='" + view.get("id") + "']");
        choose(d, "saved-view", (String) view.get("id"));
        waitFor(() -> query(d).contains("group_by=campaign"), "the view applied");
        await(d, "#report .empty, #report-table");
        assertThat(value(d, "group-by")).isEqualTo("campaign");
        assertThat(value(d, "model")).isEqualTo("linear");
        assertThat(value(d, "preset")).isEqualTo("last_90_days");
        d.findElement(By.id("delete-view")).click();
        d.findElement(By.id("delete-view")).click(); // the second press confirms
        waitFor(() -> list(http.get(views, ws.token()).json().get("data")).isEmpty(), "the view deleted");

        // the report's own form: a range that ends before it starts is marked on To before anything is sent
        js(d, "const f = document.getElementById('to'); f.value = '2026-01-01'; f.dispatchEvent(new Event('input', {bubbles: true}));"
                + " const g = document.getElementById('from'); g.value = '2026-02-01'; g.dispatchEvent(new Event('input', {bubbles: true}));");
        d.findElement(By.cssSelector("form.filters button[type=submit]")).click();
        await(d, ".field:has(#to) + .field-error");
        assertThat(d.findElement(By.cssSelector(".field:has(#to) + .field-error")).getText()).contains("To must not be before From");
        assertThat(d.findElement(By.id("to")).getAttribute("aria-invalid")).isEqualTo("true");
        assertThat(value(d, "preset")).isEqualTo("custom");
        noConsoleErrors(d);
    }

    @Test
    void theEventsAndAuditLogsTakeTheSamePresetsInTheWorkspacesZone() throws Exception {
        Ws ws = newWorkspace();
        tokyo(ws);
        LocalDate today = LocalDate.now(TOKYO);
        ChromeDriver d = signedIn();
        d.get(server.baseUrl() + "/dashboard/events?ws=" + ws.id() + "&preset=today");
        await(d, "#events .empty, table.log");
        assertThat(value(d, "filter-from")).startsWith(today + "T00:00");
        assertThat(value(d, "filter-to")).isEmpty();
        choose(d, "preset", "last_7_days");
        assertThat(value(d, "filter-from")).startsWith(today.minusDays(6) + "T00:00");
        waitFor(() -> query(d).contains("preset=last_7_days"), "the preset in the URL");

        d.get(server.baseUrl() + "/dashboard/audit?ws=" + ws.id() + "&preset=last_month");
        await(d, "#audit .empty, table.log");
        LocalDate monthStart = today.withDayOfMonth(1);
        assertThat(value(d, "audit-from")).startsWith(monthStart.minusMonths(1) + "T00:00");
        assertThat(value(d, "audit-to")).startsWith(monthStart.minusDays(1) + "T23:59");
        // a time typed by hand makes the range custom, and the URL no longer names a preset
        js(d, "const f = document.getElementById('audit-from'); f.value = '2026-01-02T03:04:05';"
                + " f.dispatchEvent(new Event('input', {bubbles: true}));");
        assertThat(value(d, "preset")).isEqualTo("custom");
        assertThat(query(d)).doesNotContain("preset=");
        noConsoleErrors(d);
    }

    @Test
    void theEngineModelsTheirPlatformAndTheWindowAreChosenOnThePage() throws Exception {
        Ws ws = newWorkspace();
        Instant now = Instant.now();
        purchase(ws, "dee@shop.io", "facebook", 80, now.minus(3, ChronoUnit.MINUTES));
        purchase(ws, "eve@shop.io", "google", 30, now.minus(4, ChronoUnit.MINUTES));
        awaitProcessed();
        Response api = http.get("/api/v1/reports/attribution?group_by=source&model=source_last_touch&platform=meta&window=7",
                ws.token());
        assertThat(api.status()).as(api.body()).isEqualTo(200);
        double facebook = list(map(api.json().get("data")).get("rows")).stream().filter(r -> "facebook".equals(r.get("group")))
                .mapToDouble(r -> ((Number) map(map(r.get("models")).get("source_last_touch")).get("conversions")).doubleValue())
                .findFirst().orElseThrow();

        ChromeDriver d = signedIn();
        d.get(server.baseUrl() + "/dashboard/reports?ws=" + ws.id() + "&group_by=source&model=source_last_touch&platform=meta&window=7");
        await(d, "#report-table[data-model=source_last_touch]");
        assertThat(value(d, "report-window")).isEqualTo("7");
        assertThat(value(d, "report-platform")).isEqualTo("meta");
        assertThat(d.findElement(By.id("report-platform")).isDisplayed()).isTrue();
        WebElement cell = d.findElement(By.cssSelector("#report-table tr[data-group='facebook'] [data-metric=conversions]"));
        assertThat(Double.parseDouble(cell.getAttribute("data-value"))).isEqualTo(facebook).isEqualTo(1);
        assertThat(d.findElements(By.cssSelector("#report-table tr[data-group='google']"))).as("no Meta touch: no credit").isEmpty();

        choose(d, "model", "last_touch");
        waitFor(() -> !d.findElement(By.id("report-platform")).isDisplayed(), "the platform is a source model's only");
        choose(d, "report-window", "lifetime");
        waitFor(() -> query(d).contains("window=lifetime"), "the window kept in the URL");
        await(d, "#report-table[data-model=last_touch] tr[data-group='google']");
        noConsoleErrors(d);
    }
}
