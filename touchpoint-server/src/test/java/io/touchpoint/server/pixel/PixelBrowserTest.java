package io.touchpoint.server.pixel;

import com.sun.net.httpserver.HttpServer;
import io.touchpoint.core.consent.ConsentSettings;
import io.touchpoint.core.consent.ConsentState;
import io.touchpoint.core.model.Event;
import io.touchpoint.core.model.IdentifierType;
import io.touchpoint.core.model.PixelSettings;
import io.touchpoint.core.model.WorkspaceSettings;
import io.touchpoint.server.support.EventsLogReader;
import io.touchpoint.server.support.HeadlessChromium;
import io.touchpoint.server.support.HttpTestClient;
import io.touchpoint.server.support.ServerTest;
import io.touchpoint.server.support.TestServer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assertions;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.openqa.selenium.By;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Predicate;
import java.util.logging.Level;
import java.util.logging.Logger;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The real pixel from the real server in a real headless Chromium (Debian's chromium and chromedriver), on test
 * pages this test serves under two host names, localhost and 127.0.0.1. Nothing leaves the machine: the pages,
 * the script and /collect are all on loopback, and Chromium runs with background networking off.
 * Without Chromium these tests skip on a developer machine and fail with CI=true.
 */
class PixelBrowserTest extends ServerTest {
    static final String PASSWORD = "S3cret-pa55word-never-sent";
    static final String LANDING_QUERY = "?utm_source=facebook&utm_medium=paid&utm_campaign=spring&fbclid=abc";

    private HttpServer pages;
    private final HeadlessChromium chromium = new HeadlessChromium();
    @TempDir
    Path profiles;

    @BeforeAll
    void requireChromium() throws IOException {
        HeadlessChromium.require();
        pages = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        pages.createContext("/", ex -> {
            byte[] body;
            int status = 200;
            String[] parts = ex.getRequestURI().getPath().split("/");
            // /page/<touchpoint port>/<pixel key>/<name>
            if (parts.length >= 5 && parts[1].equals("page")) {
                body = page(ex.getRequestHeaders().getFirst("Host"), Integer.parseInt(parts[2]), parts[3], parts[4])
                        .getBytes(StandardCharsets.UTF_8);
            } else {
                status = 404;
                body = "not found".getBytes(StandardCharsets.UTF_8);
            }
            ex.getResponseHeaders().set("Content-Type", "text/html; charset=utf-8");
            ex.getResponseHeaders().set("Cache-Control", "no-store");
            ex.sendResponseHeaders(status, body.length);
            ex.getResponseBody().write(body);
            ex.close();
        });
        pages.start();
    }

    @AfterEach
    void quitBrowsers() {
        chromium.close();
    }

    @AfterAll
    void stopPages() {
        if (pages != null) pages.stop(0);
    }

    /** A host page: counts window.onerror and unhandled rejections, records what is sent, then loads the pixel. */
    private String page(String host, int touchpointPort, String key, String name) {
        String otherHost = host.startsWith("localhost") ? "127.0.0.1" : "localhost";
        String other = "http://" + otherHost + ":" + pages.getAddress().getPort() + "/page/" + touchpointPort + "/" + key + "/landed";
        return """
                <!doctype html><html><head><meta charset="utf-8"><title>Page %s</title>
                <script>
                window.__errors = [];
                window.onerror = function (m) { window.__errors.push(String(m)); };
                window.addEventListener('unhandledrejection', function (e) { window.__errors.push('unhandled: ' + e.reason); });
                window.__sent = [];
                var sb = navigator.sendBeacon.bind(navigator);
                navigator.sendBeacon = function (u, d) { window.__sent.push(String(d)); return sb(u, d); };
                var of = window.fetch;
                window.fetch = function (u, o) { if (o && o.body) window.__sent.push(String(o.body)); return of.apply(this, arguments); };
                window.dataLayer = [];
                function gtag() { dataLayer.push(arguments); }
                %s
                </script>
                <script async src="http://127.0.0.1:%d/pixel/%s.js"></script>
                </head><body>
                <form id="signup" action="/nowhere" method="post">
                  <label>Email <input type="email" name="email" id="email"></label>
                  <label>Phone <input type="tel" name="phone" id="phone"></label>
                  <label>First name <input name="first_name" id="first"></label>
                  <label>Last name <input name="last_name" id="last"></label>
                  <label>Password <input type="password" name="password" id="password"></label>
                  <input type="hidden" name="csrf_token" value="hidden-csrf-value">
                  <button type="submit" id="go">Sign up</button>
                </form>
                <script>
                document.getElementById('signup').addEventListener('submit', function (e) { e.preventDefault(); window.__submitted = true; });
                </script>
                <a id="other" href="%s">the other site</a>
                </body></html>
                """.formatted(name, name.startsWith("no-decoration") ? "window.cometlyDomainOverrides = [];"
                        : name.startsWith("override") ? "window.cometlyDomainOverrides = ['127.0.0.1'];"
                        : name.startsWith("consent-mode") ? "gtag('consent', 'default', {ad_storage: 'denied',"
                        + " analytics_storage: 'denied', ad_user_data: 'denied', ad_personalization: 'denied'});" : "",
                touchpointPort, key, other);
    }

    private String pageUrl(String host, TestServer tp, String key, String name) {
        return "http://" + host + ":" + pages.getAddress().getPort() + "/page/" + tp.port() + "/" + key + "/" + name;
    }

    private String pageUrl(String host, String key, String name) {
        return pageUrl(host, server, key, name);
    }

    private ChromeDriver browser(Path profile) {
        return chromium.open(profile);
    }

    private ChromeDriver freshBrowser() {
        return browser(profiles.resolve("p" + System.nanoTime()));
    }

    private void quit(ChromeDriver d) {
        chromium.quit(d);
    }

    private static Object js(ChromeDriver d, String script, Object... args) {
        return HeadlessChromium.js(d, script, args);
    }

    /** Waits for the pixel to have loaded on the current page and returns its token. */
    private static String token(ChromeDriver d) {
        waitFor(() -> Boolean.TRUE.equals(js(d, "return typeof window.cometToken === 'function'")), "the pixel to load");
        return (String) js(d, "return window.cometToken()");
    }

    private static String fingerprint(ChromeDriver d) {
        token(d);
        return (String) ((JavascriptExecutor) d).executeAsyncScript(
                "var done = arguments[arguments.length - 1]; window.cometFingerprint().then(done, function () { done(null); });");
    }

    @SuppressWarnings("unchecked")
    private static List<String> errors(ChromeDriver d) {
        return (List<String>) js(d, "return window.__errors");
    }

    @SuppressWarnings("unchecked")
    private static List<String> sent(ChromeDriver d) {
        return (List<String>) js(d, "return window.__sent");
    }

    private static void waitFor(java.util.function.BooleanSupplier condition, String what) {
        HeadlessChromium.waitFor(condition, what);
    }

    /** Every stored event of the workspace (through the events log, then the event store). */
    private List<Event> events(String workspaceId) {
        return EventsLogReader.acceptedEvents(http, TestServer.ADMIN_TOKEN, workspaceId).keySet().stream()
                .map(id -> server.store().events().find(workspaceId, id).orElseThrow()).toList();
    }

    private Event awaitEvent(String workspaceId, String what, Predicate<Event> p) {
        Event[] found = new Event[1];
        waitFor(() -> {
            for (Event e : events(workspaceId)) {
                if (p.test(e)) {
                    found[0] = e;
                    return true;
                }
            }
            return false;
        }, what);
        return found[0];
    }

    private String key(Ws ws) {
        return server.store().workspaces().byId(ws.id()).orElseThrow().pixelKey();
    }

    @Test
    void adLandingStoresAPageViewWhoseTouchpointIsPaidSocialOnMeta() {
        Ws ws = newWorkspace();
        ChromeDriver d = freshBrowser();
        d.get(pageUrl("localhost", key(ws), "landing") + LANDING_QUERY);
        String token = token(d);
        Event e = awaitEvent(ws.id(), "the landing's page view", x -> x.name().equals("page_view")
                && token.equals(x.identifier(IdentifierType.VISITOR_TOKEN)));
        assertThat(e.context().pageUrl()).endsWith(LANDING_QUERY);
        assertThat(e.identifier(IdentifierType.FBCLID)).isEqualTo("abc");
        assertThat(e.identifier(IdentifierType.FINGERPRINT)).isNotBlank();
        assertThat(e.context().campaign().source()).isEqualTo("facebook");
        assertThat(e.context().userAgent()).contains("Chrome");
        assertThat(map(e.customData().get("touchpoint"))).containsEntry("channel", "Paid Social")
                .containsEntry("platform", "meta").containsEntry("campaign", "spring").containsEntry("click_id", "abc");
        assertThat(errors(d)).isEmpty();
        // the token and fingerprint are in the data layer for Google Tag Manager
        waitFor(() -> (Long) js(d, "return window.dataLayer.filter(function (x) { return x.comet_fingerprint; }).length") > 0,
                "the fingerprint in the dataLayer");
        assertThat(js(d, "return window.dataLayer[0].comet_token")).isEqualTo(token);
    }

    @Test
    void tokenSurvivesTheNextPageAndABrowserRestartAndTheFingerprintIsStable() {
        Ws ws = newWorkspace();
        Path profile = profiles.resolve("restart");
        ChromeDriver d = browser(profile);
        d.get(pageUrl("localhost", key(ws), "first"));
        String token = token(d);
        assertThat(token).matches("[A-Za-z0-9._-]{8,128}");
        assertThat(js(d, "return window.touchpointToken()")).isEqualTo(token);
        d.get(pageUrl("localhost", key(ws), "second"));
        assertThat(token(d)).as("next page").isEqualTo(token);
        quit(d);
        ChromeDriver again = browser(profile);
        again.get(pageUrl("localhost", key(ws), "after-restart"));
        assertThat(token(again)).as("after a browser restart with the same profile").isEqualTo(token);
        quit(again);

        ChromeDriver one = freshBrowser();
        one.get(pageUrl("localhost", key(ws), "fp1"));
        String fp1 = fingerprint(one);
        String t1 = token(one);
        quit(one);
        ChromeDriver two = freshBrowser();
        two.get(pageUrl("localhost", key(ws), "fp2"));
        String fp2 = fingerprint(two);
        assertThat(token(two)).as("a fresh profile is a new visitor").isNotEqualTo(t1);
        assertThat(fp1).isNotBlank().isEqualTo(fp2).matches("[0-9a-f]{64}"); // SHA-256 via crypto.subtle
        assertThat(errors(two)).isEmpty();
    }

    @Test
    void formSubmissionStoresAnIdentityAndNeverThePassword() {
        Ws ws = newWorkspace();
        ChromeDriver d = freshBrowser();
        d.get(pageUrl("127.0.0.1", key(ws), "signup"));
        String token = token(d);
        d.findElement(By.id("email")).sendKeys("Jane.Doe@Example.com");
        d.findElement(By.id("phone")).sendKeys("+1 415 555 2671");
        d.findElement(By.id("first")).sendKeys("Jane");
        d.findElement(By.id("last")).sendKeys("Doe");
        d.findElement(By.id("password")).sendKeys(PASSWORD);
        d.findElement(By.id("go")).click();
        Event e = awaitEvent(ws.id(), "the identify beacon", x -> x.name().equals("identify"));
        assertThat(e.identifier(IdentifierType.VISITOR_TOKEN)).isEqualTo(token);
        assertThat(e.identifier(IdentifierType.EMAIL)).isEqualTo("jane.doe@example.com");
        assertThat(e.identifier(IdentifierType.PHONE)).isNotNull().contains("4155552671");
        assertThat(e.person().firstName()).isEqualTo("Jane");
        assertThat(e.person().lastName()).isEqualTo("Doe");
        // nowhere: not in what the page sent, not in any stored event, not in the events log
        waitFor(() -> sent(d).size() >= 2, "the page view and identify beacons");
        assertThat(String.join("\n", sent(d))).doesNotContain(PASSWORD).doesNotContain("hidden-csrf-value")
                .contains("Jane.Doe@Example.com");
        for (Event x : events(ws.id())) {
            assertThat(x.rawPayload()).doesNotContain(PASSWORD);
            assertThat(x.toString()).doesNotContain(PASSWORD);
        }
        HttpTestClient.Response log = http.get("/api/v1/events-log?limit=500&workspace=" + ws.id(), TestServer.ADMIN_TOKEN);
        assertThat(log.status()).isEqualTo(200);
        assertThat(log.body()).doesNotContain(PASSWORD).contains("identify");
        assertThat(errors(d)).isEmpty();
    }

    @Test
    void pushStateNavigationSendsAPageView() {
        Ws ws = newWorkspace();
        ChromeDriver d = freshBrowser();
        d.get(pageUrl("localhost", key(ws), "app"));
        String token = token(d);
        js(d, "history.pushState({}, '', '/spa/step-2?utm_source=newsletter&utm_medium=email')");
        Event e = awaitEvent(ws.id(), "the pushState page view", x -> x.name().equals("page_view")
                && x.context().pageUrl() != null && x.context().pageUrl().contains("/spa/step-2"));
        assertThat(e.identifier(IdentifierType.VISITOR_TOKEN)).isEqualTo(token);
        assertThat(e.context().referrer()).endsWith("/app");
        assertThat(map(e.customData().get("touchpoint"))).containsEntry("channel", "Email");
        js(d, "history.back()");
        awaitEvent(ws.id(), "the popstate page view", x -> x.name().equals("page_view")
                && x.context().pageUrl() != null && x.context().pageUrl().endsWith("/app")
                && x.context().referrer() != null && x.context().referrer().contains("/spa/step-2"));
        js(d, "window.comet('purchase')");
        awaitEvent(ws.id(), "the named event", x -> x.name().equals("purchase"));
        assertThat(errors(d)).isEmpty();
    }

    @Test
    void decoratedLinkToTheOtherHostCarriesTheTokenAndThePageThereAdoptsIt() {
        Ws ws = newWorkspace();
        server.store().pixelSettings().put(ws.id(), new PixelSettings(List.of(), List.of("127.0.0.1", "localhost")));
        ChromeDriver d = freshBrowser();
        d.get(pageUrl("localhost", key(ws), "home"));
        String token = token(d);
        d.findElement(By.id("other")).click();
        waitFor(() -> d.getCurrentUrl().startsWith("http://127.0.0.1:"), "the other host");
        assertThat(d.getCurrentUrl()).contains("comet_token_override=" + token);
        assertThat(token(d)).as("adopted on the other host").isEqualTo(token);
        d.get(pageUrl("127.0.0.1", key(ws), "later"));
        assertThat(token(d)).as("kept on the other host").isEqualTo(token);
        assertThat(errors(d)).isEmpty();

        // window.cometlyDomainOverrides = [] before the script loads turns decoration off
        ChromeDriver off = freshBrowser();
        off.get(pageUrl("localhost", key(ws), "no-decoration"));
        String own = token(off);
        off.findElement(By.id("other")).click();
        waitFor(() -> off.getCurrentUrl().startsWith("http://127.0.0.1:"), "the other host");
        assertThat(off.getCurrentUrl()).doesNotContain("comet_token_override");
        assertThat(token(off)).isNotEqualTo(own);
    }

    @Test
    void domainOverridesBeforeTheScriptReplaceTheWorkspacesList() {
        Ws ws = newWorkspace(); // no domains of its own
        ChromeDriver d = freshBrowser();
        d.get(pageUrl("localhost", key(ws), "override-home"));
        String token = token(d);
        d.findElement(By.id("other")).click();
        waitFor(() -> d.getCurrentUrl().startsWith("http://127.0.0.1:"), "the other host");
        assertThat(d.getCurrentUrl()).contains("comet_token_override=" + token);
        assertThat(token(d)).isEqualTo(token);
        assertThat(errors(d)).isEmpty();
    }

    @Test
    void thePixelNeverThrowsIntoThePageAlsoWhenCollectIsDown(@TempDir Path dir) {
        TestServer doomed = TestServer.start(dir);
        try {
            String key = doomed.createWorkspace("doomed").workspace().pixelKey();
            ChromeDriver d = freshBrowser();
            d.get(pageUrl("localhost", doomed, key, "landing") + LANDING_QUERY);
            token(d);
            doomed.close(); // /collect is down from here on: connections are refused
            js(d, "history.pushState({}, '', '/after-the-server-went-away')");
            js(d, "window.comet('purchase'); window.comet(42); window.comet();");
            d.findElement(By.id("email")).sendKeys("jane@example.com");
            d.findElement(By.id("password")).sendKeys(PASSWORD);
            d.findElement(By.id("go")).click();
            fingerprint(d);
            waitFor(() -> sent(d).size() >= 4, "the beacons to be attempted");
            sleep(1500); // let failed fetches settle
            assertThat(errors(d)).isEmpty();
        } finally {
            doomed.close();
        }
    }

    @Test
    void collectRefusesADisallowedOriginFromARealPage() {
        Ws ws = newWorkspace();
        server.store().pixelSettings().put(ws.id(), new PixelSettings(
                List.of("http://127.0.0.1:" + pages.getAddress().getPort()), List.of()));
        ChromeDriver d = freshBrowser();
        d.get(pageUrl("localhost", key(ws), "not-allowed"));
        String refusedToken = token(d);
        d.get(pageUrl("127.0.0.1", key(ws), "allowed"));
        String allowedToken = token(d);
        awaitEvent(ws.id(), "the allowed origin's page view", x -> allowedToken.equals(x.identifier(IdentifierType.VISITOR_TOKEN)));
        sleep(500);
        assertThat(events(ws.id())).noneMatch(x -> refusedToken.equals(x.identifier(IdentifierType.VISITOR_TOKEN)));
        assertThat(errors(d)).isEmpty();
        // an unknown key: the script is 404 and the page is untouched
        d.get(pageUrl("127.0.0.1", "px_unknown", "unknown"));
        sleep(500);
        assertThat(js(d, "return typeof window.cometToken")).isEqualTo("undefined");
        assertThat(errors(d)).isEmpty();
    }

    /** The page's cookies, localStorage and sessionStorage, as the page sees them. */
    private static String stored(ChromeDriver d) {
        return (String) js(d, "return document.cookie + ' | ' + JSON.stringify(localStorage) + ' | '"
                + " + JSON.stringify(sessionStorage)");
    }

    private void consentDefault(Ws ws, ConsentSettings.DefaultMode mode) {
        WorkspaceSettings s = server.store().workspaces().byId(ws.id()).orElseThrow().settings();
        server.store().workspaces().updateSettings(ws.id(), new WorkspaceSettings(s.timeZone(), s.currency(),
                s.phoneRegion(), s.rateLimitPerMinute(), new ConsentSettings(mode, ConsentSettings.EEA_UK_CH, List.of())));
    }

    private static boolean onPage(Event e, String name) {
        return e.context().pageUrl() != null && e.context().pageUrl().contains("/" + name);
    }

    @Test
    void withoutAnalyticsConsentNothingIsStoredAndBeaconsAreCookielessUntilTheVisitorGrantsAndAfterTheyRevoke() {
        Ws ws = newWorkspace();
        consentDefault(ws, ConsentSettings.DefaultMode.DENIED);
        ChromeDriver d = freshBrowser();
        d.get(pageUrl("localhost", key(ws), "consent-default-denied") + LANDING_QUERY);
        assertThat(token(d)).isNull();
        Event view = awaitEvent(ws.id(), "the cookieless page view", x -> x.name().equals("page_view")
                && onPage(x, "consent-default-denied"));
        assertThat(view.identifiers()).extracting(i -> i.type()).containsExactly(IdentifierType.FBCLID);
        assertThat(view.consent().analyticsStorage()).isEqualTo(ConsentState.DENIED);
        assertThat(view.consent().adUserData()).isEqualTo(ConsentState.DENIED);
        assertThat(stored(d)).isEqualTo(" | {} | {}");
        assertThat(sent(d)).singleElement().asString().doesNotContain("\"token\"").doesNotContain("\"fp\"")
                .contains("\"analytics_storage\":\"denied\"");

        js(d, "window.touchpoint('consent', {analytics_storage: 'granted', ad_storage: 'granted',"
                + " ad_user_data: 'granted', ad_personalization: 'denied'})");
        String token = token(d);
        assertThat(token).startsWith("tpv.");
        assertThat(stored(d)).contains("_tp_vt=" + token).contains("\"_tp_vt\":\"" + token + "\"");
        js(d, "window.touchpoint('purchase')");
        Event purchase = awaitEvent(ws.id(), "the purchase after consent", x -> x.name().equals("purchase"));
        assertThat(purchase.identifier(IdentifierType.VISITOR_TOKEN)).isEqualTo(token);
        assertThat(purchase.identifier(IdentifierType.FINGERPRINT)).isNotBlank();
        assertThat(purchase.consent().adPersonalization()).isEqualTo(ConsentState.DENIED);
        assertThat(purchase.consent().adUserData()).isEqualTo(ConsentState.GRANTED);

        js(d, "window.touchpoint('consent', {analytics_storage: 'denied'})");
        assertThat(token(d)).isNull();
        assertThat(stored(d)).doesNotContain("_tp_vt").doesNotContain("_tp_id").endsWith(" | {} | {}");
        js(d, "history.pushState({}, '', '/after-revoking')");
        Event after = awaitEvent(ws.id(), "the page view after revoking", x -> onPage(x, "after-revoking"));
        assertThat(after.identifier(IdentifierType.VISITOR_TOKEN)).isNull();
        assertThat(after.consent().analyticsStorage()).isEqualTo(ConsentState.DENIED);
        d.get(pageUrl("localhost", key(ws), "consent-next-page"));
        awaitEvent(ws.id(), "the next page's view", x -> onPage(x, "consent-next-page"));
        assertThat(token(d)).as("a new page starts from the default again").isNull();
        assertThat(stored(d)).isEqualTo(" | {} | {}");
        assertThat(errors(d)).isEmpty();
    }

    @Test
    void googleConsentModeInTheDataLayerDecidesBothAlreadyThereAndPushedLater() {
        Ws ws = newWorkspace(); // default granted: only Consent Mode denies
        ChromeDriver d = freshBrowser();
        d.get(pageUrl("localhost", key(ws), "consent-mode"));
        Event view = awaitEvent(ws.id(), "the page view under Consent Mode's default", x -> onPage(x, "consent-mode"));
        assertThat(view.identifier(IdentifierType.VISITOR_TOKEN)).isNull();
        assertThat(view.consent().adStorage()).isEqualTo(ConsentState.DENIED);
        assertThat(token(d)).isNull();
        assertThat(stored(d)).isEqualTo(" | {} | {}");
        assertThat(js(d, "return window.dataLayer.filter(function (x) { return x.comet_token; }).length")).isEqualTo(0L);

        js(d, "gtag('consent', 'update', {analytics_storage: 'granted', ad_user_data: 'granted'})");
        String token = token(d);
        assertThat(token).isNotNull();
        assertThat(stored(d)).contains("_tp_vt=" + token);
        waitFor(() -> (Long) js(d, "return window.dataLayer.filter(function (x) { return x.comet_token; }).length") > 0,
                "the token in the dataLayer once there is one");
        js(d, "window.touchpoint('lead_generated')");
        Event lead = awaitEvent(ws.id(), "the lead after the update", x -> x.name().equals("lead_generated"));
        assertThat(lead.identifier(IdentifierType.VISITOR_TOKEN)).isEqualTo(token);
        assertThat(lead.consent().analyticsStorage()).isEqualTo(ConsentState.GRANTED);
        assertThat(lead.consent().adUserData()).isEqualTo(ConsentState.GRANTED);
        assertThat(lead.consent().adStorage()).as("still Consent Mode's default").isEqualTo(ConsentState.DENIED);

        js(d, "gtag('consent', 'update', {analytics_storage: 'denied'})");
        assertThat(token(d)).isNull();
        assertThat(stored(d)).doesNotContain("_tp_vt").endsWith(" | {} | {}");
        assertThat(errors(d)).isEmpty();
    }

    private static void sleep(long ms) {
        try {
            Thread.sleep(ms);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

}
