package io.touchpoint.server.dashboard;

import io.touchpoint.server.support.HeadlessChromium;
import io.touchpoint.server.support.HttpTestClient.Response;
import io.touchpoint.server.support.BrowserServerTest;
import io.touchpoint.server.support.TestServer;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.Keys;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;

import java.net.http.HttpRequest;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Locale;
import java.util.Map;

import static io.touchpoint.server.support.HeadlessChromium.js;
import static io.touchpoint.server.support.HeadlessChromium.waitFor;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * The numbers a marketer reads, in the real headless Chromium against the real server. A ratio
 * without its denominator shows "—", never $0.00; the events log's times carry their date and are in the
 * workspace's time zone (its From and To filters too), and it searches by any identifier; a data-driven report older
 * than its data says so and updates itself. Any browser console error fails the test.
 */
class MarketerNumbersBrowserTest extends BrowserServerTest {
    static final String ADMIN = TestServer.ADMIN_TOKEN;
    private static WebElement await(ChromeDriver d, String css) {
        waitFor(() -> !d.findElements(By.cssSelector(css)).isEmpty(), css);
        return d.findElement(By.cssSelector(css));
    }

    private static void noConsoleErrors(ChromeDriver d) {
        assertThat(HeadlessChromium.consoleErrors(d)).as("browser console errors").isEmpty();
    }

    private void timeZone(Ws ws, String zone) {
        Response saved = http.send(http.request("/admin/v1/workspaces/" + ws.id() + "/settings")
                .header("Authorization", "Bearer " + ADMIN).header("Content-Type", "application/json")
                .PUT(HttpRequest.BodyPublishers.ofString("{\"time_zone\":\"" + zone + "\"}")).build());
        assertThat(saved.status()).as(saved.body()).isEqualTo(200);
    }

    private static String purchase(String email, String source, String campaign, int amount) {
        return "{\"event_name\":\"purchase\",\"email\":\"" + email + "\",\"amount\":" + amount + ",\"currency\":\"USD\""
                + ",\"comet_source\":\"" + source + "\",\"comet_campaign\":\"" + campaign + "\"}";
    }

    private static String cell(WebElement row, String metric) {
        return row.findElement(By.cssSelector("[data-metric=" + metric + "]")).getText();
    }

    @Test
    void ratiosWithoutSpendOrWithoutConversionsShowADashNotZero() throws Exception {
        Ws ws = newWorkspace();
        sendEvent(ws, purchase("a@shop.io", "facebook", "spring", 100));
        sendEvent(ws, purchase("b@shop.io", "google", "brand", 60));
        awaitProcessed();
        String today = LocalDate.now(java.time.ZoneOffset.UTC).toString();
        Response imported = http.post("/admin/v1/workspaces/" + ws.id() + "/ad-spend", ADMIN, "text/csv",
                "date,platform,campaign,spend,currency\n" + today + ",facebook,spring,40,USD\n" + today + ",facebook,summer,30,USD\n");
        assertThat(imported.status()).as(imported.body()).isEqualTo(200);

        ChromeDriver d = signedIn();
        d.get(server.baseUrl() + "/dashboard/reports?ws=" + ws.id() + "&group_by=campaign&model=linear");
        await(d, "#report-table [data-metric=roas]");
        WebElement spring = d.findElement(By.cssSelector("#report-table tr[data-group='spring']"));
        WebElement summer = d.findElement(By.cssSelector("#report-table tr[data-group='summer']"));
        WebElement brand = d.findElement(By.cssSelector("#report-table tr[data-group='brand']"));
        assertThat(cell(spring, "cost_per_conversion")).isEqualTo("$40.00");
        assertThat(cell(spring, "roas")).isEqualTo("2.5×");
        // spent, nothing converted: no cost per conversion to show
        assertThat(cell(summer, "cost")).isEqualTo("$30.00");
        assertThat(cell(summer, "cost_per_conversion")).isEqualTo("—");
        // converted, nothing spent: neither a cost per conversion of $0.00 nor a ROAS
        assertThat(cell(brand, "conversions")).isEqualTo("1");
        assertThat(cell(brand, "cost_per_conversion")).isEqualTo("—");
        assertThat(cell(brand, "roas")).isEqualTo("—");
        noConsoleErrors(d);
    }

    @Test
    void theEventsLogShowsDateAndTimeInTheWorkspacesZoneAndSearchesByIdentifier() throws Exception {
        Ws ws = newWorkspace();
        // nine hours off UTC, whatever the browser's zone (UTC here): a time in the wrong zone is another time
        timeZone(ws, "Asia/Tokyo");
        sendEvent(ws, "{\"event_name\":\"lead_generated\",\"email\":\"phone@shop.io\",\"phone\":\"(650) 555-1212\"}");
        sendEvent(ws, "{\"event_name\":\"lead_generated\",\"email\":\"other@shop.io\"}");
        List<Map<String, Object>> log = list(http.get("/api/v1/events-log", ws.token()).json().get("data"));
        Map<String, Object> withPhone = log.get(1);
        Instant received = Instant.parse((String) withPhone.get("received_at"));
        ZonedDateTime tokyo = received.atZone(ZoneId.of("Asia/Tokyo"));

        ChromeDriver d = signedIn();
        d.get(server.baseUrl() + "/dashboard/events?ws=" + ws.id());
        await(d, "table.log tbody tr");
        waitFor(() -> d.findElements(By.cssSelector("table.log tbody tr")).size() == 2, "both entries");
        assertThat(d.findElement(By.cssSelector("table.log thead")).getText()).containsIgnoringCase("Asia/Tokyo");
        WebElement row = d.findElement(By.cssSelector("table.log tbody tr[data-request-id='" + withPhone.get("request_id") + "']"));
        String shown = row.findElement(By.cssSelector("td.when")).getText();
        assertThat(shown).as("the date, in Tokyo").contains(tokyo.format(DateTimeFormatter.ofPattern("d MMM yyyy", Locale.ENGLISH)));
        assertThat(shown).as("the time, in Tokyo").contains(tokyo.format(DateTimeFormatter.ofPattern("HH:mm:ss")));

        // search by phone number, written as people write it
        d.findElement(By.id("filter-identifier")).sendKeys("phone:+1 650-555-1212", Keys.ENTER);
        waitFor(() -> d.findElements(By.cssSelector("table.log tbody tr")).size() == 1, "only the entry with the phone number");
        assertThat(d.findElement(By.cssSelector("table.log tbody tr")).getAttribute("data-request-id")).isEqualTo(withPhone.get("request_id"));

        // From is a wall time in Tokyo: a minute before the entry keeps it, a minute after leaves nothing
        DateTimeFormatter local = DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss");
        for (int minutes : new int[] {-1, 1}) {
            js(d, "const f = document.getElementById('filter-from'); f.value = arguments[0];"
                    + " f.dispatchEvent(new Event('input', {bubbles: true}));", tokyo.truncatedTo(ChronoUnit.SECONDS).plusMinutes(minutes).format(local));
            d.findElement(By.cssSelector("form.filters button[type=submit]")).click();
            if (minutes < 0) {
                waitFor(Duration.ofSeconds(10), () -> d.findElements(By.cssSelector("table.log tbody tr")).size() == 1, "the entry after From");
            } else {
                waitFor(Duration.ofSeconds(10), () -> d.findElements(By.cssSelector("table.log tbody tr")).isEmpty()
                        && d.findElement(By.id("events")).getText().contains("Nothing matches"), "nothing after From");
            }
        }
        noConsoleErrors(d);
    }

    @Test
    void aDataDrivenReportOlderThanItsDataSaysSoAndUpdatesItself() throws Exception {
        Ws ws = newWorkspace();
        ChromeDriver d = signedIn();
        // asked before any conversion is attributed: a run of nothing is stored
        d.get(server.baseUrl() + "/dashboard/reports?ws=" + ws.id() + "&model=markov");
        await(d, "#data-driven-note");
        assertThat(d.findElement(By.id("data-driven-note")).getAttribute("data-stale")).isEqualTo("false");

        sendEvent(ws, purchase("a@shop.io", "facebook", "spring", 100));
        sendEvent(ws, purchase("b@shop.io", "google", "brand", 60));
        awaitProcessed();
        d.get(server.baseUrl() + "/dashboard/reports?ws=" + ws.id() + "&model=markov");
        await(d, "#data-driven-note");
        assertThat(d.findElement(By.id("data-driven-note")).getAttribute("data-stale")).isEqualTo("true");
        assertThat(d.findElement(By.id("stale")).getText()).contains("Newer data has arrived");
        // recomputed in the background: the page shows the new credits without a reload
        waitFor(Duration.ofSeconds(20), () -> !d.findElements(By.cssSelector("#report-table")).isEmpty()
                && "false".equals(d.findElement(By.id("data-driven-note")).getAttribute("data-stale")), "the recomputed report");
        assertThat(d.findElements(By.cssSelector("#report-table tbody tr"))).hasSizeGreaterThanOrEqualTo(1);
        noConsoleErrors(d);
    }
}
