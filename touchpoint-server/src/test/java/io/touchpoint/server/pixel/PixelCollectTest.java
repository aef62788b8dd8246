package io.touchpoint.server.pixel;

import io.touchpoint.core.model.Event;
import io.touchpoint.core.model.IdentifierType;
import io.touchpoint.core.model.PixelSettings;
import io.touchpoint.core.model.Source;
import io.touchpoint.core.model.Workspace;
import io.touchpoint.server.support.HttpTestClient;
import io.touchpoint.server.support.ServerTest;
import io.touchpoint.server.support.TestServer;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** POST /collect over real HTTP: what is stored, and what is refused or dropped (README, The pixel). */
class PixelCollectTest extends ServerTest {
    static final String CHROME = "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/126.0 Safari/537.36";

    private Workspace workspace(Ws ws) {
        return server.store().workspaces().byId(ws.id()).orElseThrow();
    }

    private HttpTestClient.Response collect(String key, String body, Map<String, String> headers) {
        Map<String, String> h = new java.util.HashMap<>(Map.of("User-Agent", CHROME));
        h.putAll(headers);
        return http.post("/collect?key=" + key, null, "text/plain;charset=UTF-8", body, h);
    }

    static String pageView(String token, String url) {
        return json(Map.ofEntries(Map.entry("type", "page_view"), Map.entry("token", token), Map.entry("fp", "fp-1"),
                Map.entry("url", url), Map.entry("ref", ""), Map.entry("title", "Spring sale"),
                Map.entry("params", Map.of("utm_source", "facebook", "utm_medium", "paid", "utm_campaign", "spring",
                        "fbclid", "abc")), Map.entry("cookies", Map.of("fbp", "fb.1.1.2")),
                Map.entry("screen", "1920x1080"), Map.entry("lang", "en-GB"), Map.entry("tz", "Europe/London")));
    }

    @Test
    void pageViewWithCampaignIsStoredWithItsTouchpoint() {
        Ws ws = newWorkspace();
        HttpTestClient.Response r = collect(workspace(ws).pixelKey(), pageView("tpv.visitor1",
                "https://shop.example.com/?utm_source=facebook&utm_medium=paid&utm_campaign=spring&fbclid=abc"), Map.of());
        assertThat(r.status()).as(r.body()).isEqualTo(202);
        Event e = server.store().events().find(ws.id(), (String) r.json().get("event_id")).orElseThrow();
        assertThat(e.source()).isEqualTo(Source.PIXEL);
        assertThat(e.name()).isEqualTo("page_view");
        assertThat(e.identifier(IdentifierType.VISITOR_TOKEN)).isEqualTo("tpv.visitor1");
        assertThat(e.identifier(IdentifierType.FBCLID)).isEqualTo("abc");
        assertThat(e.identifier(IdentifierType.FBP)).isEqualTo("fb.1.1.2");
        assertThat(e.identifier(IdentifierType.FINGERPRINT)).isEqualTo("fp-1");
        assertThat(e.context().campaign().name()).isEqualTo("spring");
        assertThat(e.context().userAgent()).isEqualTo(CHROME);
        assertThat(e.context().ip()).isNotNull();
        assertThat(map(e.customData().get("touchpoint"))).containsEntry("channel", "Paid Social")
                .containsEntry("platform", "meta").containsEntry("campaign", "spring");
        assertThat(map(e.customData())).containsEntry("title", "Spring sale");
        // and in the events log
        assertThat(io.touchpoint.server.support.EventsLogReader.acceptedEvents(http, TestServer.ADMIN_TOKEN, ws.id()))
                .containsKey(e.id());
    }

    @Test
    void identifyStoresThePersonUnderTheVisitorToken() {
        Ws ws = newWorkspace();
        HttpTestClient.Response r = collect(workspace(ws).pixelKey(), json(Map.of("type", "identify", "token",
                "tpv.visitor2", "url", "https://shop.example.com/signup", "person", Map.of("email", " Jane@Example.com",
                        "phone", "+44 20 7946 0958", "first_name", "Jane", "last_name", "Doe"))), Map.of());
        assertThat(r.status()).as(r.body()).isEqualTo(202);
        Event e = server.store().events().find(ws.id(), (String) r.json().get("event_id")).orElseThrow();
        assertThat(e.name()).isEqualTo("identify");
        assertThat(e.identifier(IdentifierType.EMAIL)).isEqualTo("jane@example.com");
        assertThat(e.identifier(IdentifierType.PHONE)).isEqualTo("442079460958");
        assertThat(e.identifier(IdentifierType.VISITOR_TOKEN)).isEqualTo("tpv.visitor2");
        assertThat(e.person().firstName()).isEqualTo("Jane");
    }

    @Test
    void namedEventFromThePage() {
        Ws ws = newWorkspace();
        HttpTestClient.Response r = collect(workspace(ws).pixelKey(), json(Map.of("type", "event", "name", "AddToCart",
                "token", "tpv.visitor3")), Map.of());
        assertThat(r.status()).as(r.body()).isEqualTo(202);
        assertThat(server.store().events().find(ws.id(), (String) r.json().get("event_id")).orElseThrow().name())
                .isEqualTo("add_to_cart");
        HttpTestClient.Response bad = collect(workspace(ws).pixelKey(), json(Map.of("type", "event", "name", "whatever",
                "token", "tpv.visitor3")), Map.of());
        assertThat(bad.status()).isEqualTo(422);
    }

    @Test
    void unknownKeyIsRefused() {
        HttpTestClient.Response r = collect("px_nobody", pageView("tpv.x1234567", "https://a.example/"), Map.of());
        assertThat(r.status()).isEqualTo(404);
        assertThat(r.error()).containsEntry("code", "pixel_key_unknown");
        assertThat(collect("", "{}", Map.of()).status()).isEqualTo(400);
    }

    @Test
    void oversizeBodyIsRefused() {
        Ws ws = newWorkspace();
        String big = json(Map.of("type", "page_view", "token", "tpv.big12345", "title", "x".repeat(PixelRoutes.MAX_BODY_BYTES)));
        HttpTestClient.Response r = collect(workspace(ws).pixelKey(), big, Map.of());
        assertThat(r.status()).isEqualTo(413);
        assertThat(r.error()).containsEntry("code", "body_too_large");
        assertThat(server.store().events().count(ws.id())).isZero();
    }

    @Test
    void originOutsideTheAllowListIsRefused() {
        Ws ws = newWorkspace();
        server.store().pixelSettings().put(ws.id(), new PixelSettings(List.of("https://shop.example.com"), List.of()));
        String key = workspace(ws).pixelKey();
        HttpTestClient.Response refused = collect(key, pageView("tpv.o1234567", "https://evil.example/"),
                Map.of("Origin", "https://evil.example"));
        assertThat(refused.status()).isEqualTo(403);
        assertThat(refused.error()).containsEntry("code", "origin_not_allowed");
        assertThat(collect(key, pageView("tpv.o1234567", "https://x/"), Map.of()).status()).as("no Origin").isEqualTo(403);
        HttpTestClient.Response ok = collect(key, pageView("tpv.o1234567", "https://shop.example.com/"),
                Map.of("Origin", "https://shop.example.com"));
        assertThat(ok.status()).isEqualTo(202);
        assertThat(ok.header("Access-Control-Allow-Origin")).isEqualTo("https://shop.example.com");
        assertThat(server.store().events().count(ws.id())).isEqualTo(1);
    }

    @Test
    void botUserAgentsAreDroppedUnstored() {
        Ws ws = newWorkspace();
        for (String ua : List.of("Mozilla/5.0 (compatible; Googlebot/2.1; +http://www.google.com/bot.html)",
                "facebookexternalhit/1.1", "curl/8.5.0", "python-requests/2.31")) {
            HttpTestClient.Response r = collect(workspace(ws).pixelKey(), pageView("tpv.bot12345", "https://a.example/"),
                    Map.of("User-Agent", ua));
            assertThat(r.status()).as(ua).isEqualTo(204);
            assertThat(r.header("Touchpoint-Dropped")).isEqualTo("bot");
        }
        assertThat(server.store().events().count(ws.id())).isZero();
        assertThat(PixelRoutes.isBot(CHROME)).isFalse();
        assertThat(PixelRoutes.isBot("Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) "
                + "HeadlessChrome/126.0 Safari/537.36")).isFalse();
        assertThat(PixelRoutes.isBot(null)).isTrue();
    }

    @Test
    void malformedBeaconIsRefused() {
        Ws ws = newWorkspace();
        assertThat(collect(workspace(ws).pixelKey(), "{", Map.of()).status()).isEqualTo(400);
        assertThat(collect(workspace(ws).pixelKey(), "{\"type\":\"page_view\"}", Map.of()).status()).isEqualTo(422);
    }
}
