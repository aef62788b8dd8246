package io.touchpoint.server.ingest;

import io.touchpoint.core.consent.ConsentState;
import io.touchpoint.core.model.Event;
import io.touchpoint.core.model.Funnel;
import io.touchpoint.server.support.HttpTestClient.Response;
import io.touchpoint.server.support.ServerTest;
import io.touchpoint.server.support.TestServer;
import org.junit.jupiter.api.Test;

import java.net.http.HttpRequest;
import java.util.List;
import java.util.Map;

import static io.touchpoint.server.support.ErrorAssert.assertError;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Server events' consent in both dialects: stored with the event, its gaps filled from the workspace's default as set
 * through the settings API, shown in the events log, and a bad signal refused in the one error shape.
 */
class ConsentIngestTest extends ServerTest {
    private Response putSettings(Ws ws, Map<String, Object> body) {
        return http.send(http.request("/admin/v1/workspaces/" + ws.id() + "/settings")
                .header("Authorization", "Bearer " + TestServer.ADMIN_TOKEN).header("Content-Type", "application/json")
                .PUT(HttpRequest.BodyPublishers.ofString(json(body))).build());
    }

    private Event stored(Ws ws, String eventId) {
        return server.store().events().find(ws.id(), eventId).orElseThrow();
    }

    private Map<String, Object> loggedConsent(Ws ws, Response r) {
        Response log = http.get("/api/v1/events-log/" + r.json().get("request_id"), ws.token());
        return map(list(log.json().get("data")).get(0).get("consent"));
    }

    @Test
    void aCometlyEventKeepsWhatItChoseAndTheDefaultFillsTheRest() {
        Ws ws = newWorkspace();
        Response r = http.postJson("/public-api/v1/events", ws.token(), json(Map.of("event_name", "purchase",
                "email", "c1@example.com", "consent", Map.of("ad_user_data", "denied", "region", "de"))));
        assertThat(r.status()).as(r.body()).isEqualTo(202);
        Event e = stored(ws, (String) r.json().get("id"));
        assertThat(e.consent().adUserData()).isEqualTo(ConsentState.DENIED);
        assertThat(e.consent().adStorage()).as("the workspace's default: granted").isEqualTo(ConsentState.GRANTED);
        assertThat(e.consent().region()).isEqualTo("DE");
        assertThat(e.consent().defaulted()).isTrue();
        assertThat(loggedConsent(ws, r)).containsEntry("ad_user_data", "denied").containsEntry("ad_storage", "granted")
                .containsEntry("region", "DE").containsEntry("defaulted", true);
    }

    @Test
    void aWorkspaceDefaultByRegionDeniesInItsRegionsAndWhereTheRegionIsUnknown() {
        Ws ws = newWorkspace();
        Response changed = putSettings(ws, Map.of("consent_default", "by_region", "consent_denied_regions",
                List.of("fr", "US-CA")));
        assertThat(changed.status()).as(changed.body()).isEqualTo(200);
        assertThat(changed.json()).containsEntry("consent_default", "by_region")
                .containsEntry("consent_denied_regions", List.of("FR", "US-CA"))
                .containsEntry("consent_limited_data_use_regions", List.of());
        Map<String, ConsentState> byRegion = Map.of("FR", ConsentState.DENIED, "US-CA", ConsentState.DENIED,
                "US-TX", ConsentState.GRANTED, "", ConsentState.DENIED);
        byRegion.forEach((region, expected) -> {
            Map<String, Object> consent = region.isEmpty() ? Map.of() : Map.of("region", region);
            Response r = http.postJson("/public-api/v1/events", ws.token(), json(Map.of("event_name", "lead_generated",
                    "email", "r@example.com", "consent", consent)));
            assertThat(stored(ws, (String) r.json().get("id")).consent().adUserData()).as(region).isEqualTo(expected);
        });
    }

    @Test
    void anAbleEventCarriesItsConsentInTheResource() {
        Ws ws = newWorkspace();
        Funnel f = server.workspaces().createFunnel(ws.id(), "consent-" + ws.name());
        Response r = http.postJson("/uip-events/event", null, json(Map.of("funnel_mark", f.mark(), "event_type", "Lead",
                "resource", Map.of("keys", Map.of("email", "able@example.com"),
                        "consent", Map.of("ad_user_data", "granted", "ad_personalization", "denied")))));
        assertThat(r.status()).as(r.body()).isEqualTo(202);
        Event e = stored(ws, (String) r.json().get("id"));
        assertThat(e.consent().adUserData()).isEqualTo(ConsentState.GRANTED);
        assertThat(e.consent().adPersonalization()).isEqualTo(ConsentState.DENIED);

        Response bad = http.postJson("/uip-events/event", null, json(Map.of("funnel_mark", f.mark(), "event_type", "Lead",
                "resource", Map.of("keys", Map.of("email", "able@example.com"), "consent", Map.of("ad_user_data", true)))));
        assertThat(assertError(bad, 422, "invalid_type")).containsEntry("param", "resource.consent.ad_user_data");
    }

    @Test
    void badConsentIsRefusedNamingEachSignalAndLoggedAsRefused() {
        Ws ws = newWorkspace();
        Response r = http.postJson("/public-api/v1/events", ws.token(), json(Map.of("event_name", "purchase",
                "email", "bad@example.com", "consent", Map.of("ad_user_data", "yes", "adstorage", "granted"))));
        Map<String, Object> error = assertError(r, 422, "invalid_value");
        assertThat(list(error.get("details"))).extracting(d -> d.get("param"))
                .containsExactlyInAnyOrder("consent.ad_user_data", "consent.adstorage");
        Response log = http.get("/api/v1/events-log/" + r.json().get("request_id"), ws.token());
        assertThat(list(log.json().get("data")).get(0)).containsEntry("outcome", "rejected").containsEntry("consent", null);
    }

    @Test
    void invalidConsentSettingsAreNamedAndNothingChanges() {
        Ws ws = newWorkspace();
        Response r = putSettings(ws, Map.of("consent_default", "maybe", "consent_denied_regions", List.of("Germany"),
                "consent_limited_data_use_regions", "US"));
        Map<String, Object> error = assertError(r, 422, "invalid_value");
        assertThat(list(error.get("details"))).extracting(d -> d.get("param")).containsExactlyInAnyOrder(
                "consent_default", "consent_denied_regions", "consent_limited_data_use_regions");
        assertThat(http.get("/admin/v1/workspaces/" + ws.id() + "/settings", TestServer.ADMIN_TOKEN).json())
                .containsEntry("consent_default", "granted");
    }
}
