package io.touchpoint.server.pixel;

import io.touchpoint.core.consent.ConsentState;
import io.touchpoint.core.model.Event;
import io.touchpoint.core.model.IdentifierType;
import io.touchpoint.server.support.HttpTestClient;
import io.touchpoint.server.support.ServerTest;
import io.touchpoint.server.support.TestServer;
import org.junit.jupiter.api.Test;

import java.net.http.HttpRequest;
import java.util.List;
import java.util.Map;

import static io.touchpoint.server.support.ErrorAssert.assertError;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Consent at the pixel's edge: the script is served with the workspace's default for the visitor's region (from the
 * configured country header), a cookieless beacon is stored without a token and answered without the visitor cookie,
 * and the event carries its consent and region into the events log.
 */
class PixelConsentTest extends ServerTest {
    private static final Map<String, Object> ALL_DENIED = Map.of("ad_storage", "denied", "analytics_storage", "denied",
            "ad_user_data", "denied", "ad_personalization", "denied");

    @Override
    protected Map<String, String> settings() {
        return Map.of("consent.country-header", "CF-IPCountry", "consent.subdivision-header", "X-Region");
    }

    private String key(Ws ws) {
        return server.store().workspaces().byId(ws.id()).orElseThrow().pixelKey();
    }

    private void byRegion(Ws ws) {
        HttpTestClient.Response r = http.send(http.request("/admin/v1/workspaces/" + ws.id() + "/settings")
                .header("Authorization", "Bearer " + TestServer.ADMIN_TOKEN).header("Content-Type", "application/json")
                .PUT(HttpRequest.BodyPublishers.ofString(json(Map.of("consent_default", "by_region")))).build());
        assertThat(r.status()).as(r.body()).isEqualTo(200);
    }

    private HttpTestClient.Response script(Ws ws, String country) {
        return http.send(http.request("/pixel/" + key(ws) + ".js").header("CF-IPCountry", country).GET().build());
    }

    @Test
    void theScriptCarriesTheDefaultForTheVisitorsRegionAndIsNotForSharedCaches() {
        Ws ws = newWorkspace();
        HttpTestClient.Response granted = script(ws, "DE");
        assertThat(granted.body()).contains(",\"granted\")").doesNotContain("__TP_CONSENT__");
        assertThat(granted.header("Cache-Control")).startsWith("public");

        byRegion(ws);
        HttpTestClient.Response germany = script(ws, "DE");
        HttpTestClient.Response states = script(ws, "US");
        HttpTestClient.Response unknown = script(ws, "XX");
        assertThat(germany.body()).contains(",\"denied\")");
        assertThat(states.body()).contains(",\"granted\")");
        assertThat(unknown.body()).as("an unknown country: the stricter choice").contains(",\"denied\")");
        assertThat(germany.header("ETag")).isNotEqualTo(states.header("ETag"));
        assertThat(germany.header("Cache-Control")).startsWith("private");
        assertThat(germany.header("Vary")).contains("CF-IPCountry");
    }

    @Test
    void aCookielessBeaconIsStoredWithoutTokenOrCookieAndCarriesItsConsentAndRegion() throws InterruptedException {
        Ws ws = newWorkspace();
        HttpTestClient.Response r = VisitorCookieTest.collect(http, "/collect?key=" + key(ws),
                json(Map.of("type", "page_view", "url", "https://shop.example.com/", "consent", ALL_DENIED)),
                Map.of("CF-IPCountry", "us", "X-Region", "CA"));
        assertThat(r.status()).as(r.body()).isEqualTo(202);
        assertThat(r.header("Set-Cookie")).isNull();
        assertThat(r.header(VisitorCookie.SKIPPED_HEADER)).isEqualTo("consent");
        Event e = server.store().events().find(ws.id(), (String) r.json().get("event_id")).orElseThrow();
        assertThat(e.identifier(IdentifierType.VISITOR_TOKEN)).isNull();
        assertThat(e.consent().analyticsStorage()).isEqualTo(ConsentState.DENIED);
        assertThat(e.consent().region()).isEqualTo("US-CA");
        assertThat(e.consent().defaulted()).isFalse();

        HttpTestClient.Response log = http.get("/api/v1/events-log/" + r.json().get("request_id"), ws.token());
        Map<String, Object> consent = map(list(log.json().get("data")).get(0).get("consent"));
        assertThat(consent).containsEntry("analytics_storage", "denied").containsEntry("region", "US-CA")
                .containsEntry("limited_data_use", false);
        // an event that identifies nobody goes through every stage all the same: nothing is set aside
        awaitProcessed();
        Map<String, Object> entry = list(http.get("/api/v1/events-log/" + r.json().get("request_id"), ws.token())
                .json().get("data")).get(0);
        assertThat(entry.get("processing")).isNull();
    }

    @Test
    void aBeaconWithoutConsentTakesTheWorkspaceDefaultForItsRegion() {
        Ws ws = newWorkspace();
        byRegion(ws);
        String token = "tpv.0123456789abcdef0123456789abcdef";
        HttpTestClient.Response fr = VisitorCookieTest.collect(http, "/collect?key=" + key(ws),
                json(Map.of("type", "page_view", "token", token)), Map.of("CF-IPCountry", "FR"));
        Event e = server.store().events().find(ws.id(), (String) fr.json().get("event_id")).orElseThrow();
        assertThat(e.consent().adUserData()).isEqualTo(ConsentState.DENIED);
        assertThat(e.consent().defaulted()).isTrue();
        assertThat(fr.header(VisitorCookie.SKIPPED_HEADER)).as("analytics_storage denied by default").isEqualTo("consent");

        HttpTestClient.Response br = VisitorCookieTest.collect(http, "/collect?key=" + key(ws),
                json(Map.of("type", "page_view", "token", token)), Map.of("CF-IPCountry", "BR"));
        Event granted = server.store().events().find(ws.id(), (String) br.json().get("event_id")).orElseThrow();
        assertThat(granted.consent().adUserData()).isEqualTo(ConsentState.GRANTED);
        assertThat(br.header("Set-Cookie")).startsWith(VisitorCookie.NAME + "=" + token);
    }

    @Test
    void aBeaconWithoutTokenIsRefusedUnlessAnalyticsStorageIsDeniedAndABadSignalIsNamed() {
        Ws ws = newWorkspace();
        HttpTestClient.Response noToken = VisitorCookieTest.collect(http, "/collect?key=" + key(ws),
                json(Map.of("type", "page_view", "consent", Map.of("analytics_storage", "granted"))), Map.of());
        assertThat(assertError(noToken, 422, "missing_field")).containsEntry("param", "token");
        HttpTestClient.Response bad = VisitorCookieTest.collect(http, "/collect?key=" + key(ws),
                json(Map.of("type", "page_view", "consent", Map.of("analytics_storage", "maybe"))), Map.of());
        assertThat(assertError(bad, 422, "invalid_value")).containsEntry("param", "consent.analytics_storage");
        assertThat(List.of(noToken.json().get("request_id"), bad.json().get("request_id"))).doesNotContainNull();
    }
}
