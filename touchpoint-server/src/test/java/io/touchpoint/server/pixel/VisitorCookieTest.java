package io.touchpoint.server.pixel;

import io.touchpoint.core.model.Event;
import io.touchpoint.core.model.PixelSettings;
import io.touchpoint.server.support.HttpTestClient;
import io.touchpoint.server.support.ServerTest;
import io.touchpoint.server.support.TestServer;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

import java.util.HashMap;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The visitor cookie {@code /collect} sets, and the header contract of the first-party recipes: behind a
 * trusted proxy the visitor's address, the site's host and its scheme come from {@code X-Forwarded-For},
 * {@code X-Forwarded-Host} and {@code X-Forwarded-Proto}; the cookie goes on the registrable domain of that host.
 */
class VisitorCookieTest extends ServerTest {
    static final String TOKEN = "tpv.0123456789abcdef0123456789abcdef";
    static final long MAX_AGE = 400L * 24 * 3600;

    @Override
    protected Map<String, String> settings() {
        return Map.of("proxies.trusted", "127.0.0.1/32, ::1/128");
    }

    static String beacon(String token) {
        return json(Map.of("type", "page_view", "token", token, "ts", "n", "url", "https://shop.example.com/"));
    }

    private String key(Ws ws) {
        return server.store().workspaces().byId(ws.id()).orElseThrow().pixelKey();
    }

    static HttpTestClient.Response collect(HttpTestClient http, String path, String body, Map<String, String> headers) {
        Map<String, String> h = new HashMap<>(Map.of("User-Agent", PixelCollectTest.CHROME));
        h.putAll(headers);
        return http.post(path, null, "text/plain;charset=UTF-8", body, h);
    }

    private HttpTestClient.Response collect(Ws ws, Map<String, String> headers) {
        return collect(http, "/t/e?key=" + key(ws), beacon(TOKEN), headers);
    }

    /** What a site's proxy sends for a page of {@code host} over {@code scheme}. */
    static Map<String, String> proxied(String visitor, String host, String scheme) {
        return Map.of("X-Forwarded-For", visitor, "X-Forwarded-Host", host, "X-Forwarded-Proto", scheme,
                "Origin", scheme + "://" + host);
    }

    @Test
    void behindTheSitesProxyTheCookieIsForTheSitesRegistrableDomainFor400DaysAndSecureOverHttps() {
        Ws ws = newWorkspace();
        HttpTestClient.Response r = collect(ws, proxied("198.51.100.23", "shop.example.com", "https"));
        assertThat(r.status()).as(r.body()).isEqualTo(202);
        assertThat(r.header("Set-Cookie")).isEqualTo("_tp_id=" + TOKEN + "; Max-Age=" + MAX_AGE
                + "; Domain=example.com; Path=/; SameSite=Lax; Secure");
        assertThat(r.header(VisitorCookie.SKIPPED_HEADER)).isNull();
        Event e = server.store().events().find(ws.id(), (String) r.json().get("event_id")).orElseThrow();
        assertThat(e.context().ip()).as("the visitor's address").isEqualTo("198.51.100.23");
        assertThat(e.customData()).containsEntry("token_source", "new");

        // the public suffix list decides the registrable domain; the port and a chain of proxies change nothing
        assertThat(collect(ws, Map.of("X-Forwarded-For", "203.0.113.9, 127.0.0.1", "X-Forwarded-Host", "a.b.shop.example.co.uk:8443",
                "X-Forwarded-Proto", "http", "Origin", "http://a.b.shop.example.co.uk:8443")).header("Set-Cookie"))
                .isEqualTo("_tp_id=" + TOKEN + "; Max-Age=" + MAX_AGE + "; Domain=example.co.uk; Path=/; SameSite=Lax");
        // a private suffix: each shop is a site of its own
        assertThat(collect(ws, proxied("203.0.113.9", "acme.myshopify.com", "https")).header("Set-Cookie"))
                .contains("; Domain=acme.myshopify.com;");
    }

    @Test
    void aTrackerOnASubdomainSetsItForTheSiteAndNeverForAnotherSite() {
        Ws ws = newWorkspace();
        // Touchpoint at track.example.com, the page at shop.example.com: the same site
        assertThat(collect(ws, Map.of("X-Forwarded-Host", "track.example.com", "X-Forwarded-Proto", "https",
                "Origin", "https://shop.example.com")).header("Set-Cookie")).contains("; Domain=example.com;");
        // a page of another site could not read it: not set, and said why
        HttpTestClient.Response other = collect(ws, Map.of("X-Forwarded-Host", "track.example.com", "X-Forwarded-Proto", "https",
                "Origin", "https://shop.example.org"));
        assertThat(other.status()).isEqualTo(202);
        assertThat(other.header("Set-Cookie")).isNull();
        assertThat(other.header(VisitorCookie.SKIPPED_HEADER)).isEqualTo("cross-site");
        // without Origin, the Referer names the page
        assertThat(collect(ws, Map.of("X-Forwarded-Host", "track.example.com", "Referer", "https://www.example.com/a?b"))
                .header("Set-Cookie")).contains("; Domain=example.com;");
        assertThat(collect(ws, Map.of("X-Forwarded-Host", "track.example.com", "Origin", "null"))
                .header(VisitorCookie.SKIPPED_HEADER)).isEqualTo("cross-site");
    }

    @Test
    void anAddressOrANameUnderNoPublicSuffixGetsAHostOnlyCookie() {
        Ws ws = newWorkspace();
        assertThat(collect(ws, Map.of("Origin", "http://127.0.0.1:5000")).header("Set-Cookie"))
                .isEqualTo("_tp_id=" + TOKEN + "; Max-Age=" + MAX_AGE + "; Path=/; SameSite=Lax");
        assertThat(collect(ws, proxied("203.0.113.9", "intranet", "http")).header("Set-Cookie")).doesNotContain("Domain=");
        assertThat(collect(ws, Map.of("X-Forwarded-Host", "localhost:3000", "Origin", "http://localhost:3000"))
                .header("Set-Cookie")).doesNotContain("Domain=");
        // a host-only cookie reaches only its own host
        assertThat(collect(ws, Map.of("Origin", "http://localhost:5000")).header(VisitorCookie.SKIPPED_HEADER)).isEqualTo("cross-site");
    }

    @Test
    void aConfiguredCookieDomainWinsForTheHostsItCovers() {
        Ws ws = newWorkspace();
        HttpTestClient.Response put = http.send(http.request("/admin/v1/workspaces/" + ws.id() + "/pixel")
                .header("Authorization", "Bearer " + TestServer.ADMIN_TOKEN).header("Content-Type", "application/json")
                .PUT(java.net.http.HttpRequest.BodyPublishers.ofString("{\"cookie_domains\":[\"shop.example.com\"]}")).build());
        assertThat(put.status()).as(put.body()).isEqualTo(200);
        assertThat(put.json()).containsEntry("cookie_domains", List.of("shop.example.com"));
        assertThat(collect(ws, proxied("203.0.113.9", "www.shop.example.com", "https")).header("Set-Cookie"))
                .contains("; Domain=shop.example.com;");
        assertThat(collect(ws, proxied("203.0.113.9", "blog.example.com", "https")).header("Set-Cookie"))
                .as("a host it does not cover").contains("; Domain=example.com;");
        // a page on the rest of example.com could not read a shop.example.com cookie
        assertThat(collect(ws, Map.of("X-Forwarded-Host", "shop.example.com", "Origin", "https://blog.example.com"))
                .header(VisitorCookie.SKIPPED_HEADER)).isEqualTo("cross-site");

        HttpTestClient.Response bad = http.send(http.request("/admin/v1/workspaces/" + ws.id() + "/pixel")
                .header("Authorization", "Bearer " + TestServer.ADMIN_TOKEN).header("Content-Type", "application/json")
                .PUT(java.net.http.HttpRequest.BodyPublishers.ofString("{\"cookie_domains\":[\"co.uk\"],\"domains\":[\"a b\"]}")).build());
        assertThat(bad.status()).isEqualTo(422);
        assertThat(bad.body()).contains("cookie_domains").contains("public suffix").contains("\"domains\"");
        server.store().pixelSettings().put(ws.id(), new PixelSettings(List.of(), List.of()));
    }

    @Test
    void neverForABotOrARefusedBeacon() {
        Ws ws = newWorkspace();
        HttpTestClient.Response bot = collect(http, "/t/e?key=" + key(ws), beacon(TOKEN),
                Map.of("User-Agent", "Mozilla/5.0 (compatible; Googlebot/2.1; +http://www.google.com/bot.html)"));
        assertThat(bot.status()).isEqualTo(204);
        assertThat(bot.header("Set-Cookie")).isNull();
        HttpTestClient.Response invalid = collect(http, "/t/e?key=" + key(ws), json(Map.of("type", "page_view", "token", "a b")),
                Map.of("Origin", "http://127.0.0.1"));
        assertThat(invalid.status()).isEqualTo(422);
        assertThat(invalid.header("Set-Cookie")).isNull();
        HttpTestClient.Response shortToken = collect(http, "/t/e?key=" + key(ws), beacon("abc"), Map.of("Origin", "http://127.0.0.1"));
        assertThat(shortToken.status()).isEqualTo(202);
        assertThat(shortToken.header(VisitorCookie.SKIPPED_HEADER)).as("not a token the pixel makes").isEqualTo("token");
    }

    @Test
    void theSameOnTheClassicPath() {
        Ws ws = newWorkspace();
        HttpTestClient.Response r = collect(http, "/collect?key=" + key(ws), beacon(TOKEN), proxied("198.51.100.1", "www.example.com", "https"));
        assertThat(r.status()).isEqualTo(202);
        assertThat(r.header("Set-Cookie")).contains("; Domain=example.com;");
    }

    /** Without the peer in proxies.trusted, forwarding headers are the client's own words: ignored. */
    @Nested
    class FromAnUntrustedPeer extends ServerTest {
        @Test
        void forwardedHeadersAreIgnored() {
            Ws ws = newWorkspace();
            String key = server.store().workspaces().byId(ws.id()).orElseThrow().pixelKey();
            HttpTestClient.Response r = collect(http, "/t/e?key=" + key, beacon(TOKEN),
                    Map.of("X-Forwarded-For", "198.51.100.23", "X-Forwarded-Host", "shop.example.com", "X-Forwarded-Proto", "https",
                            "Forwarded", "for=198.51.100.24;host=shop.example.com;proto=https", "Origin", "https://shop.example.com"));
            assertThat(r.status()).isEqualTo(202);
            assertThat(r.header(VisitorCookie.SKIPPED_HEADER)).as("the host is the request's own: 127.0.0.1").isEqualTo("cross-site");
            Event e = server.store().events().find(ws.id(), (String) r.json().get("event_id")).orElseThrow();
            assertThat(e.context().ip()).isEqualTo("127.0.0.1");
        }
    }

    /** With proxies.headers = forwarded: RFC 7239's Forwarded is read, X-Forwarded-* ignored. */
    @Nested
    class WithTheStandardForwardedHeader extends ServerTest {
        @Override
        protected Map<String, String> settings() {
            return Map.of("proxies.trusted", "127.0.0.1/32, 10.0.0.0/8", "proxies.headers", "forwarded");
        }

        @Test
        void forwardedGivesTheClientHostAndScheme() {
            Ws ws = newWorkspace();
            String key = server.store().workspaces().byId(ws.id()).orElseThrow().pixelKey();
            // the client reached a CDN (10.1.2.3) over HTTPS, which reached the site's proxy, which reached Touchpoint
            HttpTestClient.Response r = collect(http, "/t/e?key=" + key, beacon(TOKEN), Map.of(
                    "Forwarded", "for=\"198.51.100.7:4711\";host=shop.example.com;proto=https, for=10.1.2.3;host=origin.internal;proto=http",
                    "X-Forwarded-For", "203.0.113.66", "X-Forwarded-Host", "evil.example.net", "Origin", "https://shop.example.com"));
            assertThat(r.status()).as(r.body()).isEqualTo(202);
            assertThat(r.header("Set-Cookie")).contains("; Domain=example.com;").endsWith("; Secure");
            Event e = server.store().events().find(ws.id(), (String) r.json().get("event_id")).orElseThrow();
            assertThat(e.context().ip()).isEqualTo("198.51.100.7");

            HttpTestClient.Response v6 = collect(http, "/t/e?key=" + key, beacon(TOKEN), Map.of(
                    "Forwarded", "For=\"[2001:db8:cafe::17]:4711\";Proto=https;Host=\"www.example.com\"", "Origin", "https://www.example.com"));
            assertThat(v6.header("Set-Cookie")).contains("; Domain=example.com;");
            assertThat(server.store().events().find(ws.id(), (String) v6.json().get("event_id")).orElseThrow().context().ip())
                    .isEqualTo("2001:db8:cafe::17");
            // X-Forwarded-* alone is not believed in this mode
            HttpTestClient.Response x = collect(http, "/t/e?key=" + key, beacon(TOKEN), proxied("198.51.100.9", "shop.example.com", "https"));
            assertThat(x.header(VisitorCookie.SKIPPED_HEADER)).isEqualTo("cross-site");
        }
    }

    /** pixel.server-cookie = false turns the cookie off. */
    @Nested
    class Disabled extends ServerTest {
        @Override
        protected Map<String, String> settings() {
            return Map.of("pixel.server-cookie", "false");
        }

        @Test
        void noCookie() {
            Ws ws = newWorkspace();
            String key = server.store().workspaces().byId(ws.id()).orElseThrow().pixelKey();
            HttpTestClient.Response r = collect(http, "/collect?key=" + key, beacon(TOKEN), Map.of("Origin", "http://127.0.0.1"));
            assertThat(r.status()).isEqualTo(202);
            assertThat(r.header("Set-Cookie")).isNull();
            assertThat(r.header(VisitorCookie.SKIPPED_HEADER)).isEqualTo("disabled");
            assertThat(map(http.get("/admin/v1/workspaces/" + ws.id() + "/pixel", TestServer.ADMIN_TOKEN).json()
                    .get("server_cookie"))).containsEntry("enabled", false);
        }
    }
}
