package io.touchpoint.server.dashboard;

import io.touchpoint.server.support.HeadlessChromium;
import io.touchpoint.server.support.HttpTestClient.Response;
import io.touchpoint.server.support.BrowserServerTest;
import io.touchpoint.server.support.TestServer;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;

import java.net.http.HttpRequest;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Map;

import static io.touchpoint.server.support.HeadlessChromium.js;
import static io.touchpoint.server.support.HeadlessChromium.waitFor;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * The dashboard's remaining actions in the real headless Chromium against the real server: creating a workspace
 * from Setup, the attribution page's default dates in the workspace's time zone, and recomputing the
 * data-driven models. Any browser console error fails the test, as in {@link DashboardBrowserTest}.
 */
class DashboardFormsBrowserTest extends BrowserServerTest {
    static final String ADMIN = TestServer.ADMIN_TOKEN;
    private static WebElement await(ChromeDriver d, String css) {
        waitFor(() -> !d.findElements(By.cssSelector(css)).isEmpty(), css);
        return d.findElement(By.cssSelector(css));
    }

    private static void noConsoleErrors(ChromeDriver d) {
        assertThat(HeadlessChromium.consoleErrors(d)).as("browser console errors").isEmpty();
    }

    @Test
    void aWorkspaceCreatedFromSetupIsInTheSwitcherAndTheApiAndItsTokenWorks() {
        Ws existing = newWorkspace();
        ChromeDriver d = signedIn();
        d.get(server.baseUrl() + "/dashboard/setup?ws=" + existing.id());
        String name = "made-in-the-browser-" + System.nanoTime();
        await(d, "#workspace-name").sendKeys(name);
        d.findElement(By.id("create-workspace")).click();
        WebElement created = await(d, "#new-workspace");
        assertThat(created.getText()).contains("Workspace " + name + " created");
        String token = created.findElement(By.cssSelector("pre code")).getText();

        // the API lists it under that name, and the token shown once is its own
        Map<String, Object> listed = list(http.get("/admin/v1/workspaces", ADMIN).json().get("data")).stream()
                .filter(w -> name.equals(w.get("name"))).findFirst().orElseThrow();
        String id = (String) listed.get("id");
        Response event = http.postJson("/public-api/v1/events", token, "{\"event_name\":\"lead_generated\",\"email\":\"a@new.io\"}");
        assertThat(event.status()).as(event.body()).isEqualTo(202);
        String requestId = (String) event.json().get("request_id");
        waitFor(() -> http.get("/api/v1/events-log?workspace=" + id, ADMIN).body().contains(requestId), "the event in its log");

        // opening it: the page is now for the new workspace, and the switcher has it selected
        d.findElement(By.id("open-new-workspace")).click();
        waitFor(() -> d.getCurrentUrl().contains("ws=" + id), "the new workspace's page");
        await(d, "#pixel-snippet");
        @SuppressWarnings("unchecked")
        List<String> options = (List<String>) js(d,
                "return [...document.querySelectorAll('#workspace-switcher option')].map(o => o.value)");
        assertThat(options).contains(id, existing.id());
        assertThat(d.findElement(By.id("workspace-switcher")).getAttribute("value")).isEqualTo(id);
        assertThat(d.findElement(By.tagName("main")).getText()).contains(name);
        noConsoleErrors(d);
    }

    @Test
    void theAttributionPagesDefaultDatesAreTheLast30DaysInTheWorkspacesTimeZone() {
        // of these two zones (UTC+14 and UTC−11) at least one is on another date than UTC at any hour
        LocalDate utc = LocalDate.now(ZoneOffset.UTC);
        ZoneId zone = ZoneId.of(LocalDate.now(ZoneId.of("Pacific/Kiritimati")).equals(utc) ? "Pacific/Pago_Pago" : "Pacific/Kiritimati");
        Ws ws = newWorkspace();
        Response saved = http.send(http.request("/admin/v1/workspaces/" + ws.id() + "/settings")
                .header("Authorization", "Bearer " + ADMIN).header("Content-Type", "application/json")
                .PUT(HttpRequest.BodyPublishers.ofString("{\"time_zone\":\"" + zone.getId() + "\"}")).build());
        assertThat(saved.status()).as(saved.body()).isEqualTo(200);

        ChromeDriver d = signedIn();
        LocalDate before = LocalDate.now(zone);
        d.get(server.baseUrl() + "/dashboard/reports?ws=" + ws.id());
        await(d, "#report .cards");
        LocalDate after = LocalDate.now(zone);
        LocalDate to = LocalDate.parse(d.findElement(By.id("to")).getAttribute("value"));
        LocalDate from = LocalDate.parse(d.findElement(By.id("from")).getAttribute("value"));
        assertThat(to).as("'to' is today in " + zone).isIn(before, after);
        assertThat(before).as("the zone's date differs from UTC's, so a UTC default would fail").isNotEqualTo(utc);
        assertThat(from).isEqualTo(to.minusDays(29));
        // the same range the API takes when given none
        Map<String, Object> report = map(http.get("/api/v1/reports/attribution?workspace=" + ws.id(), ADMIN).json().get("data"));
        assertThat(report).containsEntry("to", to.toString()).containsEntry("from", from.toString());
        noConsoleErrors(d);
    }

    @Test
    void recomputeShowsTheNewRunTimeTheApiThenReports() throws InterruptedException {
        Ws ws = newWorkspace();
        seedOneAttributedPurchase(ws);
        ChromeDriver d = signedIn();
        d.get(server.baseUrl() + "/dashboard/reports?ws=" + ws.id() + "&model=markov");
        Instant first = Instant.parse(await(d, "#computed-at").getAttribute("datetime"));
        assertThat(d.findElement(By.id("report-table")).getAttribute("data-model")).isEqualTo("markov");

        d.findElement(By.id("recompute")).click();
        waitFor(() -> !d.findElements(By.cssSelector("#computed-at")).isEmpty()
                && !first.toString().equals(d.findElement(By.id("computed-at")).getAttribute("datetime")), "a new run time");
        Instant shown = Instant.parse(d.findElement(By.id("computed-at")).getAttribute("datetime"));
        assertThat(shown).isAfter(first);
        assertThat(d.findElement(By.id("computed-at")).getText()).isNotBlank();

        // the API's stored run for the page's range is that run (the store keeps milliseconds)
        String range = "&from=" + d.findElement(By.id("from")).getAttribute("value") + "&to=" + d.findElement(By.id("to")).getAttribute("value");
        Response r = http.get("/api/v1/reports/attribution?workspace=" + ws.id() + "&model=markov" + range, ADMIN);
        assertThat(r.status()).as(r.body()).isEqualTo(200);
        Instant api = Instant.parse((String) map(map(r.json().get("data")).get("data_driven")).get("computed_at"));
        assertThat(shown.truncatedTo(ChronoUnit.MILLIS)).isEqualTo(api);
        noConsoleErrors(d);
    }

    /** A Meta ad visit by pixel, identified, then a purchase: one conversion the data-driven models credit. */
    private void seedOneAttributedPurchase(Ws ws) throws InterruptedException {
        String key = server.store().workspaces().byId(ws.id()).orElseThrow().pixelKey();
        collect(key, Map.of("type", "page_view", "token", "tpv.recompute", "fp", "fp-recompute",
                "url", "https://shop.example/?utm_source=facebook&utm_medium=paid&utm_campaign=spring",
                "params", Map.of("utm_source", "facebook", "utm_medium", "paid", "utm_campaign", "spring")));
        collect(key, Map.of("type", "identify", "token", "tpv.recompute", "url", "https://shop.example/signup",
                "person", Map.of("email", "sam@recompute.io")));
        Response purchase = http.postJson("/public-api/v1/events", ws.token(),
                "{\"event_name\":\"purchase\",\"email\":\"sam@recompute.io\",\"amount\":80,\"currency\":\"USD\",\"order_id\":\"r-1\"}");
        assertThat(purchase.status()).as(purchase.body()).isEqualTo(202);
        awaitProcessed();
    }

    private void collect(String key, Map<String, Object> beacon) {
        Response r = http.post("/collect?key=" + key, null, "text/plain;charset=UTF-8", json(beacon),
                Map.of("User-Agent", DashboardBrowserTest.DESKTOP_UA));
        assertThat(r.status()).as(r.body()).isEqualTo(202);
    }
}
