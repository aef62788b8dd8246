package io.touchpoint.server.dashboard;

import io.touchpoint.server.destinations.fakes.FakeMeta;
import io.touchpoint.server.destinations.fakes.FakePlatform.RecordedRequest;
import io.touchpoint.server.destinations.fakes.FakeWebhookReceiver;
import io.touchpoint.server.support.HeadlessChromium;
import io.touchpoint.server.support.HttpTestClient.Response;
import io.touchpoint.server.support.ServerTest;
import io.touchpoint.server.support.TestServer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.openqa.selenium.By;
import org.openqa.selenium.Keys;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import static io.touchpoint.server.support.HeadlessChromium.js;
import static io.touchpoint.server.support.HeadlessChromium.waitFor;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * The Destinations page in the real headless Chromium against the real server and local fakes of the receiving
 * end: a signed webhook added from the form (a bad URL refused by the server, its message by the field), a test
 * event, real conversions counted as sent, dead letters replayed one by one and all at once, the events-log drawer's
 * deliveries, editing without retyping the secret, disabling and deleting; a Meta pixel's test event with a test
 * event code and a refused token; and the form's fields per type. Screenshots as {@link DashboardBrowserTest}'s;
 * any console error other than the expected refusals fails the test.
 */
class DestinationsBrowserTest extends ServerTest {
    static final String ADMIN = TestServer.ADMIN_TOKEN;
    static final String SECRET = "whsec_browser-test-signing-secret-7f3a";
    static final Path SHOTS = Path.of("target", "screenshots");
    private final HeadlessChromium chromium = new HeadlessChromium();
    private final FakeWebhookReceiver receiver = new FakeWebhookReceiver(SECRET);
    private final FakeMeta meta = new FakeMeta("1234567890", "EAAB-good-token-0042");
    @TempDir
    Path profiles;

    @BeforeAll
    void requireChromium() throws IOException {
        HeadlessChromium.require();
        Files.createDirectories(SHOTS);
    }

    @AfterEach
    void quitBrowsers() {
        chromium.close();
    }

    @AfterAll
    void closeFakes() {
        receiver.close();
        meta.close();
    }

    private String url(String path) {
        return server.baseUrl() + path;
    }

    private ChromeDriver signedIn() {
        ChromeDriver d = chromium.open(profiles.resolve("p" + System.nanoTime()));
        HeadlessChromium.viewport(d, 1280, 860);
        d.get(url("/sign-in"));
        await(d, "#admin-token").sendKeys(ADMIN, Keys.ENTER);
        waitFor(() -> d.getCurrentUrl().contains("/dashboard/setup"), "the setup page after signing in");
        return d;
    }

    private static WebElement await(ChromeDriver d, String css) {
        waitFor(() -> !d.findElements(By.cssSelector(css)).isEmpty(), css);
        return d.findElement(By.cssSelector(css));
    }

    /** As a person picks an option: the value changes and the select fires 'change'. */
    private static void choose(ChromeDriver d, String id, String value) {
        js(d, "const s = document.getElementById(arguments[0]); s.value = arguments[1];"
                + " s.dispatchEvent(new Event('change', {bubbles: true}));", id, value);
    }

    /** Clicks as a person would, with the element scrolled to the middle (the header is sticky). */
    private static void press(ChromeDriver d, WebElement e) {
        js(d, "arguments[0].scrollIntoView({block: 'center'})", e);
        e.click();
    }

    private static void replace(WebElement input, String text) {
        input.clear();
        input.sendKeys(text);
    }

    /** A destination card's count, read in one script so that a refresh cannot go stale under it. */
    private static String stat(ChromeDriver d, String destinationId, String key) {
        return String.valueOf(js(d, "return document.querySelector(`article[data-destination-id='${arguments[0]}']"
                + " [data-stat='${arguments[1]}'] .stat-value`)?.textContent", destinationId, key));
    }

    private static String text(ChromeDriver d, String css) {
        return String.valueOf(js(d, "return document.querySelector(arguments[0])?.textContent ?? ''", css));
    }

    private Map<String, Object> destination(String id) {
        Response r = http.get("/admin/v1/destinations/" + id, ADMIN);
        assertThat(r.status()).as(r.body()).isEqualTo(200);
        return r.json();
    }

    private List<Map<String, Object>> destinations(Ws ws) {
        return list(http.get("/admin/v1/workspaces/" + ws.id() + "/destinations", ADMIN).json().get("data"));
    }

    private String purchase(Ws ws, String email, String orderId) {
        return sendEvent(ws, "{\"event_name\":\"purchase\",\"email\":\"" + email + "\",\"amount\":42,\"currency\":\"USD\","
                + "\"order_id\":\"" + orderId + "\"}");
    }

    /** Console errors, but for the failed loads the test provoked on purpose (answers with these statuses). */
    private static void noConsoleErrorsBut(ChromeDriver d, String... statuses) {
        assertThat(HeadlessChromium.consoleErrors(d)).as("browser console errors")
                .allMatch(m -> List.of(statuses).stream().anyMatch(s -> m.contains(" " + s + " ")));
    }

    private static void screenshots(ChromeDriver d, String name) throws IOException {
        for (int width : new int[] {1280, 390}) {
            HeadlessChromium.viewport(d, width, width == 1280 ? 860 : 844);
            js(d, "window.scrollTo(0, 0)");
            sleep(300);
            Files.write(SHOTS.resolve(name + "-" + width + ".png"), d.getScreenshotAs(OutputType.BYTES));
        }
        HeadlessChromium.viewport(d, 1280, 860);
    }

    @Test
    void aWebhookAddedTestedSentToReplayedEditedDisabledAndDeleted() throws Exception {
        Ws ws = newWorkspace();
        // a browser visit from an ad, then the visitor's e-mail: conversions by e-mail alone get its click data added
        String key = server.store().workspaces().byId(ws.id()).orElseThrow().pixelKey();
        for (Map<String, Object> beacon : List.<Map<String, Object>>of(
                Map.of("type", "page_view", "token", "tpv.dest-laptop", "fp", "fp-dest",
                        "url", "https://shop.example/?utm_source=facebook&utm_medium=paid&fbclid=FB1",
                        "params", Map.of("utm_source", "facebook", "utm_medium", "paid", "fbclid", "FB1")),
                Map.of("type", "identify", "token", "tpv.dest-laptop", "url", "https://shop.example/signup",
                        "person", Map.of("email", "ada@dest.io")))) {
            Response r = http.post("/collect?key=" + key, null, "text/plain;charset=UTF-8", json(beacon),
                    Map.of("User-Agent", DashboardBrowserTest.DESKTOP_UA));
            assertThat(r.status()).as(r.body()).isEqualTo(202);
        }

        ChromeDriver d = signedIn();
        d.get(url("/dashboard/destinations?ws=" + ws.id()));
        await(d, "#destinations .empty");
        assertThat(d.findElement(By.cssSelector("nav a[aria-current=page]")).getText()).isEqualTo("Destinations");

        // the form's fields follow the type: Meta's first, then a webhook's
        press(d, d.findElement(By.id("add-destination")));
        await(d, "#setting-pixel_id");
        choose(d, "destination-type", "webhook");
        await(d, "#setting-url");
        assertThat(d.findElements(By.id("setting-pixel_id"))).isEmpty();
        assertThat(d.findElement(By.id("destination-mode")).isDisplayed()).as("no attributed mode for a webhook").isFalse();
        d.findElement(By.id("destination-name")).sendKeys("Order webhook");
        d.findElement(By.id("setting-url")).sendKeys("http://hooks.example.com/touchpoint");
        d.findElement(By.id("setting-secret")).sendKeys(SECRET);

        // plain http to another host: the server's message is put by the URL field, and nothing is added
        press(d, d.findElement(By.id("save-destination")));
        waitFor(() -> text(d, ".field:has(#setting-url) .field-error").contains("https"),
                "the URL's error by its field");
        assertThat(d.findElement(By.id("setting-url")).getAttribute("aria-invalid")).isEqualTo("true");
        assertThat(d.findElement(By.id("destination-form-error")).getText()).contains("Fix the field marked below");
        assertThat(destinations(ws)).isEmpty();
        screenshots(d, "destinations-form");

        replace(d.findElement(By.id("setting-url")), receiver.baseUrl() + "/touchpoint");
        press(d, d.findElement(By.id("save-destination")));
        WebElement card = await(d, "#destinations article.destination");
        String id = card.getAttribute("data-destination-id");
        assertThat(d.findElements(By.cssSelector("#destination-form-slot form"))).isEmpty();
        Map<String, Object> added = destination(id);
        assertThat(added).containsEntry("type", "webhook").containsEntry("name", "Order webhook").containsEntry("enabled", true)
                .containsEntry("events", null).containsEntry("mode", "all");
        assertThat(map(added.get("settings"))).containsEntry("url", receiver.baseUrl() + "/touchpoint");
        assertThat(map(added.get("secrets"))).containsEntry("secret", "…7f3a");
        // the secret only as its hint; given in the form, so there is nothing to reveal
        assertThat(card.findElement(By.cssSelector("[data-secret=secret]")).getText()).isEqualTo("…7f3a");
        assertThat(d.findElement(By.tagName("body")).getText()).doesNotContain(SECRET);
        assertThat(d.findElements(By.id("new-webhook-secret"))).isEmpty();
        assertThat(card.getText()).contains("every conversion").contains("Webhook").contains("enabled");

        // a test event: the receiver's own answer, and a signed ping of type test at the receiver
        press(d, card.findElement(By.cssSelector("[data-action=test]")));
        WebElement answer = await(d, "article[data-destination-id='" + id + "'] .test-answer");
        assertThat(answer.getAttribute("data-outcome")).isEqualTo("accepted");
        assertThat(answer.getText()).contains("accepted").contains("HTTP 200").contains("{\"received\":true}");
        assertThat(receiver.requests()).anyMatch(r -> r.body().contains("\"type\":\"test\""));
        assertThat(receiver.violations()).isEmpty();

        // a real conversion through the API: counted as sent, with its delivery and the receiver's answer
        Response first = http.postJson("/public-api/v1/events", ws.token(), "{\"event_name\":\"purchase\",\"email\":\"ada@dest.io\","
                + "\"amount\":42,\"currency\":\"USD\",\"order_id\":\"d-1\"}");
        assertThat(first.status()).as(first.body()).isEqualTo(202);
        String eventId = (String) first.json().get("id");
        String requestId = (String) first.json().get("request_id");
        waitFor(Duration.ofSeconds(30), () -> "1".equals(stat(d, id, "sent")), "the conversion counted as sent");
        assertThat(receiver.acceptedCount(eventId)).isEqualTo(1);
        press(d, d.findElement(By.cssSelector("article[data-destination-id='" + id + "'] [data-action=deliveries]")));
        WebElement row = await(d, "#deliveries-" + id + " .recent-deliveries tr[data-event-id='" + eventId + "']");
        assertThat(row.getAttribute("data-status")).isEqualTo("sent");
        assertThat(row.findElement(By.cssSelector("[data-field=attempts]")).getText()).isEqualTo("1");
        assertThat(row.findElement(By.cssSelector("[data-field=last-status]")).getText()).isEqualTo("200");
        assertThat(row.getText()).contains("{\"received\":true}");
        assertThat(row.findElement(By.cssSelector(".enriched .added")).getText()).as("fields the profile's visit added").isNotBlank();
        assertThat(text(d, "#deliveries-" + id + " .dead-letters")).contains("No dead letters");

        // the receiver refuses one (400 is final): a dead letter with the answer; replayed once the receiver takes it
        receiver.respondWith(400, "{\"error\":\"unknown order\"}");
        String refused = purchase(ws, "ada@dest.io", "d-2");
        waitFor(Duration.ofSeconds(30), () -> "1".equals(stat(d, id, "dead")), "the refused conversion counted as dead");
        waitFor(() -> text(d, "article[data-destination-id='" + id + "'] .last-error").contains("HTTP 400"), "the last error");
        press(d, d.findElement(By.cssSelector("#deliveries-" + id + " [data-action=refresh-deliveries]")));
        WebElement dead = await(d, "#deliveries-" + id + " .dead-letters tr[data-event-id='" + refused + "']");
        assertThat(dead.getText()).contains("400").contains("unknown order");
        screenshots(d, "destinations");
        receiver.respondWith(200, "{\"received\":true}");
        press(d, dead.findElement(By.cssSelector("[data-action=replay]")));
        waitFor(Duration.ofSeconds(30), () -> "2".equals(stat(d, id, "sent")) && "0".equals(stat(d, id, "dead")),
                "the replayed conversion sent");
        assertThat(receiver.acceptedCount(refused)).isEqualTo(1);

        // two more refused, then "Replay all dead"
        receiver.respondWith(422, "{\"error\":\"not now\"}");
        String third = purchase(ws, "ada@dest.io", "d-3");
        String fourth = purchase(ws, "ada@dest.io", "d-4");
        waitFor(Duration.ofSeconds(30), () -> "2".equals(stat(d, id, "dead")), "two dead letters");
        receiver.respondWith(200, "{\"received\":true}");
        press(d, d.findElement(By.cssSelector("#deliveries-" + id + " [data-action=refresh-deliveries]")));
        press(d, await(d, "#deliveries-" + id + " [data-action=replay-dead]"));
        waitFor(Duration.ofSeconds(30), () -> "4".equals(stat(d, id, "sent")) && "0".equals(stat(d, id, "dead")),
                "every dead letter replayed and sent");
        assertThat(receiver.acceptedCount(third)).isEqualTo(1);
        assertThat(receiver.acceptedCount(fourth)).isEqualTo(1);

        // the receiver down for a moment: the card says since when a conversion has waited, until it is sent
        String facts = "article[data-destination-id='" + id + "'] .dest-facts";
        receiver.respondWith(503, "{\"error\":\"maintenance\"}");
        String waiting = purchase(ws, "ada@dest.io", "d-5");
        waitFor(Duration.ofSeconds(30), () -> text(d, facts).contains("Oldest waiting since"),
                "the card says since when the conversion waits");
        receiver.respondWith(200, "{\"received\":true}");
        waitFor(Duration.ofSeconds(60), () -> "5".equals(stat(d, id, "sent")), "the waiting conversion sent");
        waitFor(() -> !text(d, facts).contains("Oldest waiting since"), "nothing waits any more");
        assertThat(receiver.acceptedCount(waiting)).isEqualTo(1);
        assertThat(receiver.violations()).isEmpty();

        // the events log's drawer says where the first conversion went, and links back here
        d.get(url("/dashboard/events?ws=" + ws.id() + "&request_id=" + requestId));
        press(d, await(d, "#events tr[data-request-id='" + requestId + "'] button"));
        WebElement delivered = await(d, ".drawer .deliveries li[data-destination-id='" + id + "']");
        assertThat(delivered.getAttribute("data-status")).isEqualTo("sent");
        assertThat(delivered.getText()).contains("Order webhook").contains("Webhook").contains("1 attempt").contains("last HTTP 200");
        assertThat(delivered.findElement(By.cssSelector(".enriched .added")).getText()).isNotBlank();
        js(d, "document.querySelector('.drawer .entry-deliveries').scrollIntoView()");
        screenshots(d, "events-deliveries");
        press(d, delivered.findElement(By.tagName("a")));
        waitFor(() -> d.getCurrentUrl().contains("destination=" + id), "the destination's page");
        waitFor(() -> !d.findElements(By.cssSelector("#deliveries-" + id + " tr[data-event-id='" + eventId + "']")).isEmpty(),
                "its deliveries opened");

        // edit: a new name and events, the secret left blank stays; a test still verifies at the receiver
        press(d, d.findElement(By.cssSelector("article[data-destination-id='" + id + "'] [data-action=edit]")));
        WebElement name = await(d, "#destination-name");
        assertThat(d.findElement(By.id("setting-secret")).getAttribute("value")).isEmpty();
        assertThat(d.findElement(By.id("setting-secret")).getAttribute("placeholder")).contains("…7f3a");
        assertThat(d.findElement(By.id("destination-type")).isEnabled()).isFalse();
        replace(name, "Orders to the CRM");
        d.findElement(By.id("destination-events")).sendKeys("purchase, lead_generated");
        press(d, d.findElement(By.id("save-destination")));
        waitFor(() -> "Orders to the CRM".equals(destination(id).get("name")), "the new name saved");
        Map<String, Object> edited = destination(id);
        assertThat(edited.get("events")).isEqualTo(List.of("purchase", "lead_generated"));
        assertThat(map(edited.get("secrets"))).containsEntry("secret", "…7f3a");
        waitFor(() -> text(d, "article[data-destination-id='" + id + "'] h2").equals("Orders to the CRM"), "the new name on the card");
        int before = receiver.requests().size();
        press(d, d.findElement(By.cssSelector("article[data-destination-id='" + id + "'] [data-action=test]")));
        waitFor(() -> receiver.requests().size() > before, "the second test at the receiver");
        waitFor(() -> "accepted".equals(js(d, "return document.querySelector(\"article[data-destination-id='" + id
                + "'] .test-answer\")?.dataset.outcome")), "the second test accepted (the kept secret signs)");

        // disable and enable again, then delete with two presses
        WebElement toggle = d.findElement(By.cssSelector("article[data-destination-id='" + id + "'] [data-action=toggle]"));
        assertThat(toggle.getText()).isEqualTo("Disable");
        press(d, toggle);
        waitFor(() -> Boolean.FALSE.equals(destination(id).get("enabled")), "disabled");
        waitFor(() -> "false".equals(d.findElement(By.cssSelector("article[data-destination-id='" + id + "']")).getAttribute("data-enabled"))
                && "Enable".equals(toggle.getText()), "the card disabled");
        assertThat(text(d, "article[data-destination-id='" + id + "'] .dest-head")).contains("disabled");
        press(d, toggle);
        waitFor(() -> Boolean.TRUE.equals(destination(id).get("enabled")), "enabled again");
        WebElement delete = d.findElement(By.cssSelector("article[data-destination-id='" + id + "'] [data-action=delete]"));
        press(d, delete);
        assertThat(delete.getText()).isEqualTo("Confirm delete");
        assertThat(destinations(ws)).hasSize(1);
        press(d, delete);
        waitFor(() -> destinations(ws).isEmpty(), "deleted");
        await(d, "#destinations .empty");
        assertThat(http.get("/admin/v1/destinations/" + id, ADMIN).status()).isEqualTo(404);
        noConsoleErrorsBut(d, "422");
    }

    @Test
    void aMetaPixelsTestEventGoesWithItsCodeAndARefusedTokenShowsMetasAnswer() throws Exception {
        Ws ws = newWorkspace();
        ChromeDriver d = signedIn();
        d.get(url("/dashboard/destinations?ws=" + ws.id()));
        press(d, await(d, "#add-destination"));
        await(d, "#setting-pixel_id").sendKeys("1234567890");
        d.findElement(By.id("destination-name")).sendKeys("Meta – main pixel");
        d.findElement(By.id("setting-access_token")).sendKeys("EAAB-good-token-0042");
        assertThat(d.findElement(By.id("destination-model")).isDisplayed()).as("the model only in attributed mode").isFalse();
        choose(d, "destination-mode", "attributed");
        assertThat(d.findElement(By.id("destination-model")).isDisplayed()).isTrue();
        choose(d, "destination-model", "last_non_direct");
        press(d, d.findElement(By.cssSelector("details.advanced summary")));
        d.findElement(By.id("destination-base-url")).sendKeys(meta.baseUrl());
        d.findElement(By.id("destination-event-map")).sendKeys("lead_generated=Lead");
        press(d, d.findElement(By.id("save-destination")));
        WebElement card = await(d, "#destinations article.destination");
        String id = card.getAttribute("data-destination-id");
        Map<String, Object> added = destination(id);
        assertThat(added).containsEntry("type", "meta").containsEntry("mode", "attributed").containsEntry("model", "last_non_direct")
                .containsEntry("base_url", meta.baseUrl());
        assertThat(map(added.get("event_map"))).containsEntry("lead_generated", "Lead");
        assertThat(map(added.get("secrets"))).containsEntry("access_token", "…0042");
        assertThat(card.getText()).contains("…0042").contains("1234567890").contains("Last non-direct").doesNotContain("EAAB-good-token");

        // without a code Meta would count the made-up purchase: the server refuses and the page says why
        WebElement test = card.findElement(By.cssSelector("[data-action=test]"));
        press(d, test);
        waitFor(() -> text(d, "article[data-destination-id='" + id + "'] .test-result").contains("test_event_code"),
                "the server's word that a code is needed");
        assertThat(meta.requests()).isEmpty();
        card.findElement(By.cssSelector(".test-code")).sendKeys("TEST4242");
        press(d, test); // with a code it goes at once
        WebElement answer = await(d, "article[data-destination-id='" + id + "'] .test-answer");
        assertThat(answer.getAttribute("data-outcome")).isEqualTo("accepted");
        assertThat(answer.getText()).contains("HTTP 200").contains("events_received").contains("fbtrace_id");
        RecordedRequest sent = meta.requests().get(0);
        assertThat(sent.body()).contains("\"test_event_code\":\"TEST4242\"");

        // a wrong token typed in the edit form replaces the stored one; Meta's refusal is shown as it came
        press(d, card.findElement(By.cssSelector("[data-action=edit]")));
        replace(await(d, "#setting-access_token"), "EAAB-wrong-token-9999");
        press(d, d.findElement(By.id("save-destination")));
        waitFor(() -> "…9999".equals(map(destination(id).get("secrets")).get("access_token")), "the new token stored");
        waitFor(() -> text(d, "article[data-destination-id='" + id + "'] [data-secret=access_token]").equals("…9999"), "its hint on the card");
        press(d, d.findElement(By.cssSelector("article[data-destination-id='" + id + "'] [data-action=test]")));
        waitFor(() -> "error".equals(js(d, "return document.querySelector(\"article[data-destination-id='" + id
                + "'] .test-answer\")?.dataset.outcome")), "the refusal of the token");
        assertThat(text(d, "article[data-destination-id='" + id + "'] .test-answer")).contains("HTTP 401").contains("Invalid OAuth access token");
        noConsoleErrorsBut(d, "422");
    }

    @Test
    void theFormAsksForEachTypesSettingsAndPutsEveryServerMessageByItsField() {
        Ws ws = newWorkspace();
        ChromeDriver d = signedIn();
        d.get(url("/dashboard/destinations?ws=" + ws.id()));
        press(d, await(d, "#add-destination"));
        Map<String, List<String>> fields = Map.of(
                "meta", List.of("pixel_id", "access_token", "test_event_code", "action_source"),
                "google_ads", List.of("customer_id", "conversion_action", "developer_token", "client_id", "client_secret",
                        "refresh_token", "login_customer_id"),
                "tiktok", List.of("pixel_code", "access_token", "test_event_code"),
                "ga4", List.of("measurement_id", "api_secret", "send_user_id"),
                "webhook", List.of("url", "secret"));
        for (var type : fields.entrySet()) {
            choose(d, "destination-type", type.getKey());
            @SuppressWarnings("unchecked")
            List<String> shown = (List<String>) js(d, "return [...document.querySelectorAll('[id^=setting-]')].map(e => e.id.slice(8))");
            assertThat(shown).as(type.getKey()).containsExactlyElementsOf(type.getValue());
        }
        choose(d, "destination-type", "google_ads");
        d.findElement(By.id("destination-name")).sendKeys("Google Ads");
        d.findElement(By.id("setting-customer_id")).sendKeys("12");
        d.findElement(By.id("setting-client_id")).sendKeys("client.apps.googleusercontent.com");
        press(d, d.findElement(By.id("save-destination")));
        waitFor(() -> !d.findElements(By.cssSelector(".field-error")).isEmpty(), "the server's messages");
        @SuppressWarnings("unchecked")
        List<String> invalid = (List<String>) js(d, "return [...document.querySelectorAll('[aria-invalid=true]')].map(e => e.id)");
        assertThat(invalid).containsExactlyInAnyOrder("setting-customer_id", "setting-conversion_action", "setting-developer_token",
                "setting-client_secret", "setting-refresh_token");
        assertThat(text(d, ".field:has(#setting-customer_id) .field-error")).contains("10-digit");
        assertThat(destinations(ws)).isEmpty();

        // a webhook without a secret: the page makes one, sends it, and shows it once (the server never shows it)
        press(d, d.findElement(By.id("cancel-destination")));
        waitFor(() -> d.findElements(By.cssSelector("#destination-form-slot form")).isEmpty(), "the form closed");
        press(d, d.findElement(By.id("add-destination")));
        choose(d, "destination-type", "webhook");
        await(d, "#destination-name").sendKeys("Generated secret");
        d.findElement(By.id("setting-url")).sendKeys(receiver.baseUrl() + "/generated");
        press(d, d.findElement(By.id("save-destination")));
        String secret = await(d, "#new-webhook-secret").getText();
        assertThat(secret).matches("whsec_[A-Za-z0-9]{32}");
        assertThat(await(d, "#copy-webhook-secret").getText()).isEqualTo("Copy secret");
        Map<String, Object> hook = destinations(ws).get(0);
        assertThat(map(hook.get("secrets"))).containsEntry("secret", "…" + secret.substring(secret.length() - 4));

        // signed out, the page sends to sign-in like every other
        ChromeDriver out = chromium.open(profiles.resolve("signed-out"));
        out.get(url("/dashboard/destinations?ws=" + ws.id()));
        waitFor(() -> out.getCurrentUrl().contains("/sign-in?next="), "sign-in");
        noConsoleErrorsBut(d, "422");
    }

    private static void sleep(long ms) {
        try {
            Thread.sleep(ms);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
