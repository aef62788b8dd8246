package io.touchpoint.server.dashboard;

import io.touchpoint.server.support.HeadlessChromium;
import io.touchpoint.server.support.HttpTestClient.Response;
import io.touchpoint.server.support.BrowserServerTest;
import io.touchpoint.server.support.TestServer;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.Keys;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpRequest;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

import static io.touchpoint.server.support.HeadlessChromium.js;
import static io.touchpoint.server.support.HeadlessChromium.waitFor;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

/**
 * The dashboard's acceptance, in the real headless Chromium against the real server: sign in, a token, the pixel
 * snippet, a test event in the live log; the attribution page against the reports API; a cross-device journey;
 * and the signed-out and CSRF refusals. Every page is screenshotted at 1280 and 390 px into target/screenshots,
 * and any console error (script error, failed load, CSP violation) fails the test.
 */
class DashboardBrowserTest extends BrowserServerTest {
    static final String ADMIN = TestServer.ADMIN_TOKEN;
    static final Path SHOTS = Path.of("target", "screenshots");
    static final String DESKTOP_UA = "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/126.0 Safari/537.36";
    static final String PHONE_UA = "Mozilla/5.0 (iPhone; CPU iPhone OS 17_5 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.5 Mobile/15E148 Safari/604.1";
    @BeforeAll
    void screenshotFolder() throws IOException {
        Files.createDirectories(SHOTS);
    }

    private String url(String path) {
        return server.baseUrl() + path;
    }

    private void signIn(ChromeDriver d) {
        d.get(url("/sign-in"));
        // the e-mail field has focus on arrival; the token's form submits with Enter too
        await(d, "#admin-token");
        waitFor(() -> "email".equals(d.switchTo().activeElement().getAttribute("id")), "focus in the e-mail field");
        d.findElement(By.id("admin-token")).sendKeys(ADMIN, Keys.ENTER);
        waitFor(() -> d.getCurrentUrl().contains("/dashboard/setup"), "the setup page after signing in");
    }

    static WebElement await(ChromeDriver d, String css) {
        waitFor(() -> !d.findElements(By.cssSelector(css)).isEmpty(), css);
        return d.findElement(By.cssSelector(css));
    }

    static void noConsoleErrors(ChromeDriver d) {
        assertThat(HeadlessChromium.consoleErrors(d)).as("browser console errors").isEmpty();
    }

    /** The page as it is now, at desktop and phone width; returns to desktop width. */
    static void screenshots(ChromeDriver d, String name) throws IOException {
        for (int width : new int[] {1280, 390}) {
            HeadlessChromium.viewport(d, width, width == 1280 ? 860 : 844);
            js(d, "window.scrollTo(0, 0)");
            sleep(300); // layout and charts settle at the new width
            Files.write(SHOTS.resolve(name + "-" + width + ".png"), d.getScreenshotAs(OutputType.BYTES));
        }
        HeadlessChromium.viewport(d, 1280, 860);
    }

    // --- sign in, token, snippet, test event in the live log ---

    @Test
    void signInCreateATokenCopyTheSnippetAndSeeATestEventInTheLiveLog() throws Exception {
        Ws ws = newWorkspace();
        ChromeDriver d = browser();
        d.get(url("/sign-in"));
        await(d, "#admin-token");
        screenshots(d, "sign-in");
        signIn(d);
        d.get(url("/dashboard/setup?ws=" + ws.id()));
        await(d, "#pixel-snippet");

        // a token: shown once, and it really works for ingest (used below)
        d.findElement(By.id("token-name")).sendKeys("checkout back end");
        d.findElement(By.id("create-token")).click();
        String secret = await(d, "#new-token-value").getText();
        assertThat(secret).isNotBlank();
        waitFor(() -> d.findElements(By.cssSelector("#tokens tbody tr")).size() == 2, "the new token in the list");
        assertThat(d.findElement(By.id("tokens")).getText()).contains("checkout back end");

        // the pixel snippet, copied to the clipboard, is the one the API gives
        d.setPermission("clipboard-read", "granted");
        d.setPermission("clipboard-write", "granted");
        d.findElement(By.id("copy-pixel")).click();
        waitFor(() -> "true".equals(d.findElement(By.id("copy-pixel")).getAttribute("data-copied")), "the copy");
        String clipboard = (String) d.executeAsyncScript(
                "const done = arguments[arguments.length - 1]; navigator.clipboard.readText().then(done, e => done('failed: ' + e));");
        Map<String, Object> pixel = http.get("/admin/v1/workspaces/" + ws.id() + "/pixel", ADMIN).json();
        assertThat(clipboard).isEqualTo(pixel.get("snippet_head")).contains("/pixel/");

        // a test event from Setup shows that it arrived
        d.findElement(By.id("send-test-event")).click();
        WebElement arrived = await(d, "#test-event-arrived");
        assertThat(arrived.getText()).contains("accepted");
        screenshots(d, "setup");

        // the live log: an event sent from outside the page appears within 2 s, by the tail alone
        d.get(url("/dashboard/events?ws=" + ws.id()));
        await(d, "#events table");
        waitFor(() -> d.findElement(By.id("live-state")).getText().startsWith("updated"), "the live tail to run");
        Set<String> before = requestIds(d);
        Response sent = http.postJson("/public-api/v1/events", secret, "{\"event_name\":\"lead_generated\",\"email\":\"new@token.io\"}");
        assertThat(sent.status()).as(sent.body()).isEqualTo(202);
        long posted = System.nanoTime();
        String leadRequest = (String) sent.json().get("request_id");
        waitFor(Duration.ofSeconds(2), () -> requestIds(d).contains(leadRequest), "the event in the live log");
        System.out.println("dashboard: event in the live log " + (System.nanoTime() - posted) / 1_000_000 + " ms after its 202");

        // and the page's own test-event button: a new row, a real events-log entry of this workspace
        before = requestIds(d);
        d.findElement(By.id("send-test-event")).click();
        Set<String> seen = before;
        waitFor(Duration.ofSeconds(2), () -> requestIds(d).size() > seen.size(), "the test event in the live log");
        Set<String> fresh = requestIds(d);
        fresh.removeAll(before);
        assertThat(fresh).hasSize(1);
        String requestId = fresh.iterator().next();
        Response entry = http.get("/api/v1/events-log/" + requestId + "?workspace=" + ws.id(), ADMIN);
        assertThat(entry.status()).as(entry.body()).isEqualTo(200);
        assertThat(list(entry.json().get("data")).get(0)).containsEntry("event_name", "test_event");

        screenshots(d, "events");
        // its detail drawer: the payload and what became of it
        d.findElement(By.cssSelector("tr[data-request-id='" + requestId + "'] button")).click();
        await(d, ".drawer .entry");
        assertThat(d.findElement(By.cssSelector(".drawer")).getText()).contains(requestId).contains("Payload")
                .contains("accepted").contains("test_event");
        // the event's consent: the workspace's default (granted) filled every signal, the region unknown
        assertThat(d.findElement(By.id("drawer-consent")).getText()).contains("ad_user_data granted")
                .contains("region unknown").contains("workspace default applied");
        screenshots(d, "events-drawer");
        // Escape closes it and gives focus back to the button that opened it
        d.switchTo().activeElement().sendKeys(Keys.ESCAPE);
        waitFor(() -> d.findElements(By.cssSelector(".drawer")).isEmpty(), "the drawer to close");
        assertThat(d.switchTo().activeElement().getText()).isEqualTo("Details");

        // a rejected request shows up too, with its error; the filters find it, and the lead by its email
        Response rejected = http.postJson("/public-api/v1/events", secret, "{\"event_name\":\"purchase\"}");
        assertThat(rejected.status()).as(rejected.body()).isEqualTo(422);
        String rejectedId = (String) rejected.json().get("request_id");
        waitFor(Duration.ofSeconds(2), () -> requestIds(d).contains(rejectedId), "the rejected request in the live log");
        js(d, "document.getElementById('filter-outcome').value = 'rejected'");
        d.findElement(By.cssSelector("form.filters button[type=submit]")).click();
        waitFor(() -> requestIds(d).equals(Set.of(rejectedId)), "only the rejected request");
        assertThat(d.findElement(By.cssSelector("#events tbody tr")).getText()).contains("rejected");
        js(d, "document.getElementById('filter-outcome').value = ''");
        d.findElement(By.id("filter-email")).sendKeys("new@token.io", Keys.ENTER);
        waitFor(() -> requestIds(d).equals(Set.of(leadRequest)), "only the lead, found by email");
        noConsoleErrors(d);
    }

    /** The request ids of the rows shown, read in one script so that a redraw cannot go stale under it. */
    @SuppressWarnings("unchecked")
    private static Set<String> requestIds(ChromeDriver d) {
        return new HashSet<>((List<String>) js(d,
                "return [...document.querySelectorAll('#events tbody tr')].map(tr => tr.dataset.requestId)"));
    }

    // --- the rest of Setup: settings, funnels, revoking, the workspace switcher ---

    @Test
    void setupSavesSettingsCreatesAFunnelRevokesATokenAndSwitchesWorkspace() {
        Ws ws = newWorkspace();
        Ws other = newWorkspace();
        ChromeDriver d = browser();
        signIn(d);
        d.get(url("/dashboard/setup?ws=" + ws.id()));
        replace(await(d, "#time-zone"), "Europe/Paris");
        replace(d.findElement(By.id("currency")), "eur");
        d.findElement(By.id("save-settings")).click();
        waitFor(() -> "Europe/Paris".equals(http.get("/admin/v1/workspaces/" + ws.id() + "/settings", ADMIN).json().get("time_zone")),
                "the time zone saved");
        assertThat(http.get("/admin/v1/workspaces/" + ws.id() + "/settings", ADMIN).json()).containsEntry("currency", "EUR");
        js(d, "document.getElementById('consent-default').value = 'by_region'");
        replace(d.findElement(By.id("consent-denied-regions")), "de, FR");
        replace(d.findElement(By.id("consent-ldu-regions")), "US-CA");
        d.findElement(By.id("save-settings")).click();
        waitFor(() -> "by_region".equals(http.get("/admin/v1/workspaces/" + ws.id() + "/settings", ADMIN).json()
                .get("consent_default")), "the consent default saved");
        assertThat(http.get("/admin/v1/workspaces/" + ws.id() + "/settings", ADMIN).json())
                .containsEntry("consent_denied_regions", List.of("DE", "FR"))
                .containsEntry("consent_limited_data_use_regions", List.of("US-CA"));

        replace(await(d, "#lookback-days"), "14");
        replace(d.findElement(By.id("conversion-events")), "purchase, lead_generated");
        d.findElement(By.id("save-attribution")).click();
        waitFor(() -> Integer.valueOf(14).equals(http.get("/admin/v1/workspaces/" + ws.id() + "/attribution", ADMIN).json()
                .get("lookback_days")), "the lookback saved");
        @SuppressWarnings("unchecked")
        List<Object> events = (List<Object>) http.get("/admin/v1/workspaces/" + ws.id() + "/attribution", ADMIN).json()
                .get("conversion_events");
        assertThat(events).containsExactlyInAnyOrder("purchase", "lead_generated");
        // a value the server refuses: its message is shown next to the field, and nothing changes
        replace(d.findElement(By.id("time-zone")), "Mars/Olympus_Mons");
        d.findElement(By.id("save-settings")).click();
        waitFor(() -> d.findElements(By.cssSelector(".field:has(#time-zone) + .field-error")).stream()
                .anyMatch(e -> e.getText().contains("time_zone")), "the time zone error next to its field");
        assertThat(d.findElement(By.id("time-zone")).getAttribute("aria-invalid")).isEqualTo("true");
        assertThat(d.findElement(By.cssSelector("form .form-error")).getText()).contains("Fix the field marked below");
        assertThat(http.get("/admin/v1/workspaces/" + ws.id() + "/settings", ADMIN).json()).containsEntry("time_zone", "Europe/Paris");
        // Chromium logs that refused save as a failed load (422): expected here, and the only error allowed
        assertThat(HeadlessChromium.consoleErrors(d)).allMatch(m -> m.contains("422"));

        d.findElement(By.id("funnel-name")).sendKeys("Checkout");
        d.findElement(By.cssSelector("#funnel-name")).submit();
        waitFor(() -> !d.findElements(By.cssSelector("#funnels li")).isEmpty(), "the funnel");
        String mark = d.findElement(By.cssSelector("#funnels .mark code")).getText();
        assertThat(list(http.get("/admin/v1/workspaces/" + ws.id() + "/funnels", ADMIN).json().get("data")))
                .anyMatch(f -> mark.equals(f.get("funnel_mark")));

        // revoking takes two presses; then the token is refused
        WebElement revoke = await(d, "#tokens tbody tr button");
        revoke.click();
        assertThat(revoke.getText()).isEqualTo("Confirm revoke");
        revoke.click();
        waitFor(() -> String.valueOf(js(d, "return document.getElementById('tokens')?.textContent")).contains("revoked"),
                "the token revoked");
        assertThat(http.postJson("/public-api/v1/events", ws.token(), "{\"event_name\":\"lead_generated\",\"email\":\"a@b.io\"}")
                .status()).isEqualTo(401);

        js(d, "const s = document.getElementById('workspace-switcher'); s.value = arguments[0];"
                + " s.dispatchEvent(new Event('change', {bubbles: true}));", other.id());
        waitFor(() -> d.getCurrentUrl().contains("ws=" + other.id()), "the other workspace");
        await(d, "#pixel-snippet");
        assertThat(d.findElement(By.tagName("main")).getText()).contains(other.name());
        noConsoleErrors(d);
    }

    private static void replace(WebElement input, String text) {
        input.clear();
        input.sendKeys(text);
    }

    // --- Setup: first-party serving and the recognition panel ---

    @Test
    void setupShowsTheFirstPartySnippetItsRecipesAndVisitorRecognitionPerBrowser() throws Exception {
        Ws ws = newWorkspace();
        String key = server.store().workspaces().byId(ws.id()).orElseThrow().pixelKey();
        // token A was seen two days ago (a server event carrying it); B, C and D are new
        Response old = http.postJson("/public-api/v1/events", ws.token(), "{\"event_name\":\"lead_generated\","
                + "\"comet_token\":\"tpv.aaaaaaaaaaaaaaaa\",\"event_time\":" + (System.currentTimeMillis() / 1000 - 2 * 86_400) + "}");
        assertThat(old.status()).as(old.body()).isEqualTo(202);
        String[][] views = {{"tpv.aaaaaaaaaaaaaaaa", "s", DESKTOP_UA}, {"tpv.aaaaaaaaaaaaaaaa", "s", DESKTOP_UA},
                {"tpv.bbbbbbbbbbbbbbbb", "n", DESKTOP_UA}, {"tpv.cccccccccccccccc", "n", PHONE_UA}, {"tpv.dddddddddddddddd", "c", PHONE_UA}};
        for (String[] v : views) {
            Response r = http.post("/t/e?key=" + key, null, "text/plain", "{\"type\":\"page_view\",\"token\":\"" + v[0]
                    + "\",\"ts\":\"" + v[1] + "\",\"url\":\"https://shop.example.com/\"}", Map.of("User-Agent", v[2]));
            assertThat(r.status()).as(r.body()).isEqualTo(202);
        }
        awaitProcessed();

        ChromeDriver d = browser();
        signIn(d);
        d.get(url("/dashboard/setup?ws=" + ws.id()));
        Map<String, Object> pixel = http.get("/admin/v1/workspaces/" + ws.id() + "/pixel", ADMIN).json();
        Map<String, Object> firstParty = map(pixel.get("first_party"));
        assertThat(await(d, "#first-party-snippet").getText()).isEqualTo(firstParty.get("snippet_head"))
                .isEqualTo("<script async src=\"/t/a.js?key=" + key + "\"></script>");
        assertThat(d.findElements(By.cssSelector("details.recipe"))).hasSize(4);
        d.findElement(By.cssSelector("details.recipe[data-recipe=nginx] summary")).click();
        assertThat(await(d, "#recipe-nginx").getText()).contains("location /t/ {").contains("proxy_pass " + server.baseUrl() + ";");

        await(d, "#recognition-table tbody tr");
        Map<String, String> rows = new LinkedHashMap<>();
        for (WebElement tr : d.findElements(By.cssSelector("#recognition-table tbody tr"))) {
            rows.put(tr.getAttribute("data-family"), tr.getText());
        }
        assertThat(rows.keySet()).containsExactly("all", "chrome", "safari");
        assertThat(rows.get("all")).contains("All browsers").contains("5").contains("40.0%");
        assertThat(rows.get("chrome")).contains("Chrome").contains("3").contains("66.7%");
        assertThat(rows.get("safari")).contains("Safari").contains("2").contains("0.0%");
        noConsoleErrors(d);

        // the two panels, at desktop and phone width
        for (int width : new int[] {1280, 390}) {
            HeadlessChromium.viewport(d, width, width == 1280 ? 860 : 844);
            js(d, "document.getElementById('recognition').closest('section').previousElementSibling.scrollIntoView()");
            sleep(300);
            Files.write(SHOTS.resolve("setup-first-party-" + width + ".png"), d.getScreenshotAs(OutputType.BYTES));
        }
        noConsoleErrors(d);
    }

    // --- a seeded workspace: two devices of one person, then a purchase ---

    private Ws seeded;
    private final List<String> seededTokens = List.of("tpv.dash-laptop", "tpv.dash-phone");

    /** Seeds once: a Meta ad visit on a laptop, a Google ad visit on a phone, both identified, then a purchase. */
    private synchronized Ws seeded() throws InterruptedException {
        if (seeded != null) return seeded;
        Ws ws = newWorkspace();
        String key = server.store().workspaces().byId(ws.id()).orElseThrow().pixelKey();
        collect(key, DESKTOP_UA, Map.of("type", "page_view", "token", seededTokens.get(0), "fp", "fp-laptop",
                "url", "https://shop.example/?utm_source=facebook&utm_medium=paid&utm_campaign=spring&fbclid=F1",
                "params", Map.of("utm_source", "facebook", "utm_medium", "paid", "utm_campaign", "spring", "fbclid", "F1")));
        collect(key, DESKTOP_UA, Map.of("type", "identify", "token", seededTokens.get(0), "url", "https://shop.example/signup",
                "person", Map.of("email", "jane@dash.io")));
        collect(key, PHONE_UA, Map.of("type", "page_view", "token", seededTokens.get(1), "fp", "fp-phone",
                "url", "https://shop.example/?utm_source=google&utm_medium=cpc&utm_campaign=brand&gclid=G1",
                "params", Map.of("utm_source", "google", "utm_medium", "cpc", "utm_campaign", "brand", "gclid", "G1")));
        collect(key, PHONE_UA, Map.of("type", "identify", "token", seededTokens.get(1), "url", "https://shop.example/login",
                "person", Map.of("email", "jane@dash.io")));
        Response purchase = http.postJson("/public-api/v1/events", ws.token(),
                "{\"event_name\":\"purchase\",\"email\":\"jane@dash.io\",\"amount\":120,\"currency\":\"USD\",\"order_id\":\"o-1\"}");
        assertThat(purchase.status()).as(purchase.body()).isEqualTo(202);
        awaitProcessed();
        seeded = ws;
        return ws;
    }

    private void collect(String key, String userAgent, Map<String, Object> beacon) {
        Response r = http.post("/collect?key=" + key, null, "text/plain;charset=UTF-8", json(beacon),
                Map.of("User-Agent", userAgent));
        assertThat(r.status()).as(r.body()).isEqualTo(202);
    }

    @Test
    void theAttributionPageShowsTheReportsApisNumbersForTwoModels() throws Exception {
        Ws ws = seeded();
        ChromeDriver d = browser();
        signIn(d);
        d.get(url("/dashboard/reports?ws=" + ws.id()));
        await(d, "#report-table");
        for (String model : List.of("first_touch", "linear")) {
            // as a person picks an option: the value changes and the select fires 'change'
            js(d, "const s = document.getElementById('model'); s.value = arguments[0];"
                    + " s.dispatchEvent(new Event('change', {bubbles: true}));", model);
            waitFor(() -> model.equals(d.findElement(By.id("report-table")).getAttribute("data-model")), model + " on the page");
            Map<String, double[]> page = pageFigures(d);
            Map<String, double[]> api = apiFigures(ws, model);
            assertThat(page.keySet()).as(model + " groups").containsExactlyElementsOf(api.keySet());
            api.forEach((group, f) -> {
                assertThat(page.get(group)[0]).as(model + " conversions of " + group).isCloseTo(f[0], within(0.005));
                assertThat(page.get(group)[1]).as(model + " revenue of " + group).isCloseTo(f[1], within(0.005));
            });
            assertThat(api.values().stream().mapToDouble(f -> f[1]).sum()).as("all of the purchase is credited").isCloseTo(120, within(0.01));
        }
        // the first-touch and linear numbers differ, so the page did switch models
        assertThat(apiFigures(ws, "first_touch").get("Paid Social")[1]).isEqualTo(120.0);
        assertThat(apiFigures(ws, "linear").get("Paid Social")[1]).isEqualTo(60.0);
        assertThat(d.findElements(By.cssSelector("#compare-table thead th"))).hasSize(1 + 8);
        assertThat(d.findElement(By.id("total-conversions")).getText()).isEqualTo("1");
        assertThat(d.findElement(By.id("total-revenue")).getText()).isEqualTo("$120.00");
        assertThat((Boolean) js(d, "return !!document.querySelector('#chart-groups') && !!window.Chart"
                + " && !!window.Chart.getChart(document.querySelector('#chart-daily'))")).isTrue();
        // with ad spend imported and grouped by campaign: cost and ROAS columns, with the API's numbers
        String today = java.time.LocalDate.now(java.time.ZoneOffset.UTC).toString();
        Response imported = http.post("/admin/v1/workspaces/" + ws.id() + "/ad-spend", ADMIN, "text/csv",
                "date,platform,campaign,spend,currency\n" + today + ",meta,spring,40,USD\n" + today + ",google,brand,30,USD\n");
        assertThat(imported.status()).as(imported.body()).isBetween(200, 201);
        js(d, "const s = document.getElementById('group-by'); s.value = 'campaign';"
                + " s.dispatchEvent(new Event('change', {bubbles: true}));");
        waitFor(() -> !d.findElements(By.cssSelector("#report-table [data-metric=roas]")).isEmpty(), "the ROAS column");
        Response byCampaign = http.get("/api/v1/reports/attribution?workspace=" + ws.id() + "&model=linear&group_by=campaign", ADMIN);
        for (Map<String, Object> row : list(map(byCampaign.json().get("data")).get("rows"))) {
            Map<String, Object> f = map(map(row.get("models")).get("linear"));
            WebElement tr = d.findElement(By.cssSelector("#report-table tr[data-group='" + row.get("group") + "']"));
            assertThat(number(tr.findElement(By.cssSelector("[data-metric=cost]")).getText()))
                    .isCloseTo(((Number) f.get("cost")).doubleValue(), within(0.005));
            assertThat(number(tr.findElement(By.cssSelector("[data-metric=roas]")).getText()))
                    .isCloseTo(((Number) f.get("roas")).doubleValue(), within(0.005));
        }
        assertThat(d.findElement(By.id("total-cost")).getText()).isEqualTo("$70.00");

        // the CSV link downloads the same report with the session cookie
        String csv = (String) d.executeAsyncScript("const done = arguments[arguments.length - 1];"
                + " fetch(document.getElementById('csv').href).then(r => r.text()).then(done, e => done('failed ' + e));");
        assertThat(csv).contains("spring").contains("brand");
        screenshots(d, "reports");
        noConsoleErrors(d);
    }

    /** Group → {conversions, revenue} as the page's main table shows them (formatted text parsed back). */
    private static Map<String, double[]> pageFigures(ChromeDriver d) {
        Map<String, double[]> out = new LinkedHashMap<>();
        for (WebElement tr : d.findElements(By.cssSelector("#report-table tbody tr"))) {
            out.put(tr.getAttribute("data-group"), new double[] {
                    number(tr.findElement(By.cssSelector("[data-metric=conversions]")).getText()),
                    number(tr.findElement(By.cssSelector("[data-metric=revenue]")).getText())});
        }
        return out;
    }

    private Map<String, double[]> apiFigures(Ws ws, String model) {
        Response r = http.get("/api/v1/reports/attribution?workspace=" + ws.id() + "&model=" + model, ADMIN);
        assertThat(r.status()).as(r.body()).isEqualTo(200);
        Map<String, double[]> out = new LinkedHashMap<>();
        for (Map<String, Object> row : list(map(r.json().get("data")).get("rows"))) {
            Map<String, Object> f = map(map(row.get("models")).get(model));
            out.put((String) row.get("group"), new double[] {((Number) f.get("conversions")).doubleValue(),
                    ((Number) f.get("revenue")).doubleValue()});
        }
        return out;
    }

    private static double number(String text) {
        return Double.parseDouble(text.replaceAll("[^0-9.\\-]", ""));
    }

    @Test
    void journeysFindsAPersonByEmailWithBothDevices() throws Exception {
        Ws ws = seeded();
        ChromeDriver d = browser();
        signIn(d);
        d.get(url("/dashboard/journeys?ws=" + ws.id()));
        await(d, "#identifier-value").sendKeys("Jane@Dash.io", Keys.ENTER);
        await(d, "#devices");
        List<String> devices = d.findElements(By.cssSelector("#devices .device")).stream()
                .map(e -> e.getAttribute("data-token")).toList();
        assertThat(devices).containsExactlyInAnyOrderElementsOf(seededTokens);
        assertThat(d.findElements(By.cssSelector("#timeline li"))).hasSize(5);
        assertThat(d.findElement(By.id("touchpoints")).getText()).contains("facebook").contains("google");
        // the purchase's receipt, from the timeline
        d.findElement(By.cssSelector("#timeline li[data-name=purchase] button")).click();
        WebElement receipt = await(d, "#timeline .receipt");
        assertThat(receipt.getText()).contains("Paid Social").contains("Paid Search").contains("50%");
        screenshots(d, "journeys");
        noConsoleErrors(d);
    }

    // --- signed out ---

    @Test
    void signedOutEveryPageRedirectsEveryApiAnswers401AndAChangeWithoutCsrfFails() throws Exception {
        Ws ws = newWorkspace();
        ChromeDriver d = browser();
        for (String page : List.of("/", "/dashboard", "/dashboard/setup", "/dashboard/events", "/dashboard/reports",
                "/dashboard/journeys")) {
            d.get(url(page + "?ws=" + ws.id()));
            waitFor(() -> d.getCurrentUrl().contains("/sign-in"), page + " to send to sign-in");
            assertThat(await(d, "#admin-token").isDisplayed()).isTrue();
        }
        for (String api : List.of("/admin/v1/session", "/admin/v1/workspaces", "/admin/v1/workspaces/" + ws.id() + "/tokens",
                "/admin/v1/workspaces/" + ws.id() + "/settings", "/admin/v1/workspaces/" + ws.id() + "/pixel",
                "/api/v1/events-log?workspace=" + ws.id(), "/api/v1/reports/attribution?workspace=" + ws.id(),
                "/api/v1/profiles?workspace=" + ws.id() + "&identifier=email:a@b.io")) {
            assertThat(http.get(api, null).status()).as(api).isEqualTo(401);
        }
        noConsoleErrors(d);

        // signed in with the cookie: a change without the CSRF header is refused, with it it is made
        signIn(d);
        String cookie = "tp_session=" + d.manage().getCookieNamed("tp_session").getValue();
        assertThat(d.manage().getCookieNamed("tp_session").isHttpOnly()).isTrue();
        String body = "{\"name\":\"via cookie\"}";
        Response refused = http.send(cookieRequest(cookie, "/admin/v1/workspaces/" + ws.id() + "/tokens", body).build());
        assertThat(refused.status()).as(refused.body()).isEqualTo(403);
        assertThat(map(refused.json().get("error")).get("code")).isEqualTo("csrf_token_invalid");
        Response wrong = http.send(cookieRequest(cookie, "/admin/v1/workspaces/" + ws.id() + "/tokens", body)
                .header("X-CSRF-Token", "not-the-token").build());
        assertThat(wrong.status()).as(wrong.body()).isEqualTo(403);
        String csrf = (String) http.send(http.request("/admin/v1/session").header("Cookie", cookie).GET().build()).json().get("csrf_token");
        Response made = http.send(cookieRequest(cookie, "/admin/v1/workspaces/" + ws.id() + "/tokens", body)
                .header("X-CSRF-Token", csrf).build());
        assertThat(made.status()).as(made.body()).isEqualTo(201);

        // signing out ends the session: the pages send to sign-in again and the cookie opens nothing
        d.get(url("/dashboard/events?ws=" + ws.id()));
        await(d, "#sign-out").click();
        waitFor(() -> d.getCurrentUrl().contains("/sign-in"), "sign-in after signing out");
        d.get(url("/dashboard/reports?ws=" + ws.id()));
        waitFor(() -> d.getCurrentUrl().contains("/sign-in"), "reports to send to sign-in after signing out");
        assertThat(http.send(http.request("/admin/v1/workspaces").header("Cookie", cookie).GET().build()).status()).isEqualTo(401);
        noConsoleErrors(d);
    }

    private HttpRequest.Builder cookieRequest(String cookie, String path, String json) {
        return HttpRequest.newBuilder(URI.create(url(path))).header("Cookie", cookie).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(json));
    }

    @Test
    void pagesAreServedWithAStrictContentSecurityPolicyAndCacheHeaders() throws Exception {
        ChromeDriver d = browser();
        signIn(d);
        String cookie = "tp_session=" + d.manage().getCookieNamed("tp_session").getValue();
        Response page = http.send(http.request("/dashboard/setup").header("Cookie", cookie).GET().build());
        assertThat(page.status()).isEqualTo(200);
        assertThat(page.header("Content-Security-Policy")).contains("script-src 'self'").doesNotContain("unsafe-inline");
        assertThat(page.header("Cache-Control")).isEqualTo("no-store");
        assertThat(page.body()).doesNotContain("<script>").doesNotContain("style=");
        String asset = page.body().replaceAll("(?s).*src=\"(/dashboard/assets/[^\"]+)\".*", "$1");
        Response js = http.get(asset, null);
        assertThat(js.status()).isEqualTo(200);
        assertThat(js.header("Cache-Control")).contains("immutable");
        assertThat(js.header("Content-Type")).startsWith("text/javascript");
        Response reports = http.send(http.request("/dashboard/reports").header("Cookie", cookie).GET().build());
        String chart = reports.body().replaceAll("(?s).*src=\"(/dashboard/vendor/chart\\.js/[^\"]+)\".*", "$1");
        assertThat(chart).startsWith("/dashboard/vendor/chart.js/4.");
        assertThat(http.get(chart, null).body()).contains("Chart");
        assertThat(http.get("/dashboard/assets/0000/app.js", null).status()).isEqualTo(404);
    }

    private static void sleep(long ms) {
        try {
            Thread.sleep(ms);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
