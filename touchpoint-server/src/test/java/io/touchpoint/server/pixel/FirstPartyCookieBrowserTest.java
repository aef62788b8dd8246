package io.touchpoint.server.pixel;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.touchpoint.core.model.Event;
import io.touchpoint.core.model.IdentifierType;
import io.touchpoint.server.support.EventsLogReader;
import io.touchpoint.server.support.HeadlessChromium;
import io.touchpoint.server.support.HttpTestClient;
import io.touchpoint.server.support.MovableClock;
import io.touchpoint.server.support.ServerTest;
import io.touchpoint.server.support.SiteProxy;
import io.touchpoint.server.support.TestServer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.logging.LogEntry;
import org.openqa.selenium.logging.LogType;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * First-party serving and its visitor cookie in a real headless Chromium: a site and Touchpoint on one origin ({@code http://www.example.com:<port>},
 * which Chromium resolves to loopback and nothing else does), behind one small reverse proxy ({@link SiteProxy}) that
 * routes {@code /t/} to Touchpoint with the recipes' {@code X-Forwarded-*} headers. The page installs the first-party
 * snippet. Checked through the DevTools protocol: the visitor cookie {@code _tp_id} comes from the answer to the beacon
 * ({@code Set-Cookie} in {@code Network.responseReceivedExtraInfo}, accepted, and never written by a script of the page),
 * for {@code example.com}, for 400 days; it outlives the pixel's own storage (its cookie and localStorage copy, what
 * Safari deletes after 7 days), and a return visit 10 days later by the server's clock keeps the token and the profile,
 * and counts as a returning token from the server cookie in the recognition report.
 */
class FirstPartyCookieBrowserTest extends ServerTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String SITE = "www.example.com";
    private final MovableClock clock = new MovableClock();
    private final HeadlessChromium chromium = new HeadlessChromium();
    private SiteProxy site;
    private String key;
    private Ws ws;
    @TempDir
    Path profiles;

    @Override
    protected Map<String, String> settings() {
        return Map.of("proxies.trusted", "127.0.0.1/32, ::1/128");
    }

    @Override
    protected Clock clock() {
        return clock;
    }

    @BeforeAll
    void startSite() throws IOException {
        HeadlessChromium.require();
        ws = newWorkspace();
        key = server.store().workspaces().byId(ws.id()).orElseThrow().pixelKey();
        String snippet = (String) map(http.get("/admin/v1/workspaces/" + ws.id() + "/pixel", TestServer.ADMIN_TOKEN)
                .json().get("first_party")).get("snippet_head");
        assertThat(snippet).isEqualTo("<script async src=\"/t/a.js?key=" + key + "\"></script>");
        site = new SiteProxy(server.baseUrl(), "/t/", path -> path.startsWith("/page/") ? page(path, snippet) : null);
    }

    @AfterEach
    void quitBrowsers() {
        chromium.close();
    }

    @AfterAll
    void stopSite() {
        if (site != null) site.close();
    }

    /**
     * A page of the site with the first-party snippet; it records what it sends and every cookie a script of the page
     * writes, with document.cookie's own setter wrapped before the pixel loads.
     */
    private static String page(String path, String snippet) {
        return """
                <!doctype html><html><head><meta charset="utf-8"><title>%s</title>
                <script>
                window.__errors = [];
                window.onerror = function (m) { window.__errors.push(String(m)); };
                window.__sent = [];
                var sb = navigator.sendBeacon.bind(navigator);
                navigator.sendBeacon = function (u, d) { window.__sent.push(String(d)); return sb(u, d); };
                window.__scriptCookies = [];
                var cookie = Object.getOwnPropertyDescriptor(Document.prototype, 'cookie');
                Object.defineProperty(document, 'cookie', {
                  get: function () { return cookie.get.call(document); },
                  set: function (v) { window.__scriptCookies.push(String(v)); cookie.set.call(document, v); }
                });
                </script>
                %s
                </head><body><h1>%s</h1></body></html>
                """.formatted(path, snippet, path);
    }

    private String url(String page) {
        return "http://" + SITE + ":" + site.port() + "/page/" + page;
    }

    private ChromeDriver browser(Path profile) {
        // www.example.com is loopback for this browser alone; no HTTPS upgrade of its plain-HTTP pages
        return chromium.open(profile, List.of("--host-resolver-rules=MAP " + SITE + " 127.0.0.1",
                "--disable-features=HttpsUpgrades,HttpsFirstBalancedModeAutoEnable"), true);
    }

    private static Object js(ChromeDriver d, String script) {
        return HeadlessChromium.js(d, script);
    }

    private static void waitFor(java.util.function.BooleanSupplier condition, String what) {
        HeadlessChromium.waitFor(condition, what);
    }

    private static String token(ChromeDriver d) {
        waitFor(() -> Boolean.TRUE.equals(js(d, "return typeof window.cometToken === 'function'")), "the pixel to load");
        return (String) js(d, "return window.cometToken()");
    }

    /** The {@code ts} of the page's first beacon: where the pixel found its token on this load. */
    private static String tokenSource(ChromeDriver d) throws Exception {
        waitFor(() -> ((Long) js(d, "return window.__sent.length")) > 0, "the page view beacon");
        return JSON.readTree((String) js(d, "return window.__sent[0]")).path("ts").asText();
    }

    /** The browser's cookies, from the DevTools protocol, by name. */
    @SuppressWarnings("unchecked")
    private static Map<String, Map<String, Object>> cookies(ChromeDriver d) {
        Map<String, Object> all = d.executeCdpCommand("Storage.getCookies", Map.of());
        Map<String, Map<String, Object>> out = new HashMap<>();
        for (Object c : (List<Object>) all.get("cookies")) {
            Map<String, Object> cookie = (Map<String, Object>) c;
            out.put((String) cookie.get("name"), cookie);
        }
        return out;
    }

    /** The DevTools protocol's Network events since the last call, as {method, params}. */
    private static List<JsonNode> networkEvents(ChromeDriver d) throws Exception {
        List<JsonNode> out = new ArrayList<>();
        for (LogEntry e : d.manage().logs().get(LogType.PERFORMANCE)) {
            JsonNode m = JSON.readTree(e.getMessage()).path("message");
            if (m.path("method").asText().startsWith("Network.")) out.add(m);
        }
        return out;
    }

    /** Deletes what the pixel's own script stores: its cookie (on every domain it may have used) and localStorage. */
    private static void clearScriptStorage(ChromeDriver d) {
        js(d, "localStorage.clear();"
                + "['', '; domain=example.com', '; domain=www.example.com'].forEach(function (dm) {"
                + "  document.cookie = '_tp_vt=; max-age=0; path=/' + dm; });");
    }

    private Event awaitEvent(String what, Predicate<Event> p) {
        Event[] found = new Event[1];
        waitFor(() -> {
            for (String id : EventsLogReader.acceptedEvents(http, TestServer.ADMIN_TOKEN, ws.id()).keySet()) {
                Event e = server.store().events().find(ws.id(), id).orElseThrow();
                if (p.test(e)) {
                    found[0] = e;
                    return true;
                }
            }
            return false;
        }, what);
        return found[0];
    }

    @Test
    void theServerSetCookieKeepsTheVisitorPastClearedScriptStorageAndTenDays() throws Exception {
        ChromeDriver d = browser(profiles.resolve("visitor"));

        // first visit: a new token, sent through the site's own origin; the answer sets _tp_id
        d.get(url("landing?utm_source=newsletter&utm_medium=email"));
        String token = token(d);
        assertThat(tokenSource(d)).as("a first visit makes a new token").isEqualTo("n");
        Event first = awaitEvent("the landing's page view", e -> e.name().equals("page_view")
                && token.equals(e.identifier(IdentifierType.VISITOR_TOKEN)));
        assertThat(first.context().ip()).as("the visitor's address, from the proxy's X-Forwarded-For").isEqualTo("127.0.0.1");
        waitFor(() -> cookies(d).containsKey(VisitorCookie.NAME), "the visitor cookie");
        Map<String, Object> cookie = cookies(d).get(VisitorCookie.NAME);
        assertThat(cookie).containsEntry("value", token).containsEntry("domain", ".example.com").containsEntry("path", "/")
                .containsEntry("httpOnly", false).containsEntry("secure", false).containsEntry("session", false)
                .containsEntry("sameSite", "Lax");
        double days = (((Number) cookie.get("expires")).doubleValue() - Instant.now().getEpochSecond()) / 86_400.0;
        assertThat(days).as("days until the cookie expires").isBetween(399.0, 400.01);

        // set by the server's answer: the DevTools protocol saw it in the beacon's response headers and accepted it ...
        List<JsonNode> events = networkEvents(d);
        Map<String, String> urls = new HashMap<>();
        for (JsonNode e : events) {
            if (e.path("method").asText().equals("Network.requestWillBeSent")) {
                urls.put(e.path("params").path("requestId").asText(), e.path("params").path("request").path("url").asText());
            }
        }
        List<JsonNode> setting = new ArrayList<>();
        for (JsonNode e : events) {
            if (!e.path("method").asText().equals("Network.responseReceivedExtraInfo")) continue;
            e.path("params").path("headers").properties().forEach(h -> {
                if (h.getKey().equalsIgnoreCase("set-cookie") && h.getValue().asText().contains(VisitorCookie.NAME + "=" + token)) {
                    setting.add(e.path("params"));
                }
            });
        }
        assertThat(setting).as("responses that set _tp_id").isNotEmpty();
        for (JsonNode p : setting) {
            assertThat(urls.get(p.path("requestId").asText())).as("the response that set it")
                    .startsWith("http://" + SITE + ":" + site.port() + "/t/e?key=" + key);
            assertThat(p.path("blockedCookies")).as("cookies the browser refused").isEmpty();
        }
        // ... and no script of the page ever wrote it (the pixel writes only its own _tp_vt)
        @SuppressWarnings("unchecked") List<String> written = (List<String>) js(d, "return window.__scriptCookies");
        assertThat(written).isNotEmpty().allMatch(c -> c.startsWith("_tp_vt="));

        // Safari's cap, simulated: the script's cookie and localStorage copy are gone; the next page keeps the token
        clearScriptStorage(d);
        assertThat(cookies(d)).doesNotContainKey("_tp_vt").containsKey(VisitorCookie.NAME);
        d.get(url("second"));
        assertThat(token(d)).as("after the script's storage is cleared").isEqualTo(token);
        assertThat(tokenSource(d)).as("taken from the server's cookie").isEqualTo("s");

        // the server's cookie wins over another token the script kept
        js(d, "localStorage.setItem('_tp_vt', 'tpv.00000000000000000000000000000000')");
        d.get(url("third"));
        assertThat(token(d)).isEqualTo(token);

        // ten days later by the server's clock, the script's storage gone again: the same token and profile
        clock.advance(Duration.ofDays(10));
        clearScriptStorage(d);
        d.get(url("return-visit"));
        assertThat(token(d)).as("the return visit").isEqualTo(token);
        assertThat(tokenSource(d)).isEqualTo("s");
        Instant tenDaysOn = clock.instant().minus(Duration.ofMinutes(1));
        Event back = awaitEvent("the return visit's page view", e -> e.name().equals("page_view")
                && e.context().pageUrl() != null && e.context().pageUrl().endsWith("/page/return-visit"));
        assertThat(back.eventTime()).isAfter(tenDaysOn);
        assertThat(back.identifier(IdentifierType.VISITOR_TOKEN)).isEqualTo(token);
        assertThat(back.customData()).containsEntry("token_source", "server_cookie");
        awaitProcessed();
        String profile = server.store().identity().profileOfEvent(ws.id(), first.id()).orElseThrow();
        assertThat(server.store().identity().profileOfEvent(ws.id(), back.id())).as("the same profile").contains(profile);
        // refreshed by the return visit: 400 days from now again, far past the 10 days
        double left = (((Number) cookies(d).get(VisitorCookie.NAME).get("expires")).doubleValue()
                - Instant.now().getEpochSecond()) / 86_400.0;
        assertThat(left).isBetween(399.0, 400.01);
        assertThat(js(d, "return window.__errors")).asList().isEmpty();

        // the recognition report: Chrome's page views, the return visit returning, three from the server's cookie
        HttpTestClient.Response r = http.get("/api/v1/recognition?days=30", ws.token());
        assertThat(r.status()).as(r.body()).isEqualTo(200);
        Map<String, Object> data = map(r.json().get("data"));
        List<Map<String, Object>> browsers = list(data.get("browsers"));
        assertThat(browsers).hasSize(1);
        Map<String, Object> chrome = browsers.get(0);
        assertThat(chrome).containsEntry("family", "chrome").containsEntry("page_views", 4)
                .containsEntry("returning", 1).containsEntry("server_cookie", 3);
        assertThat(map(chrome.get("token_sources"))).containsEntry("new", 1).containsEntry("server_cookie", 3);
    }
}
