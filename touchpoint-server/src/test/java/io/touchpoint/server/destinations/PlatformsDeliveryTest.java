package io.touchpoint.server.destinations;

import com.fasterxml.jackson.databind.JsonNode;
import io.touchpoint.core.destinations.Delivery;
import io.touchpoint.core.destinations.MatchKeys;
import io.touchpoint.server.destinations.fakes.FakeGa4;
import io.touchpoint.server.destinations.fakes.FakeGoogleAds;
import io.touchpoint.server.destinations.fakes.FakeTikTok;
import io.touchpoint.server.destinations.fakes.FakeWebhookReceiver;
import io.touchpoint.server.support.HttpTestClient.Response;
import io.touchpoint.server.support.TestServer;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Google Ads, TikTok, GA4 and a signed webhook end to end against their local fakes: each conversion arrives enriched
 * from the browser visit that carried the click, in the platform's format, and each platform's refusals land where
 * they should (Google's partial failure marks only the refused conversion).
 */
class PlatformsDeliveryTest extends DeliveryServerTest {

    private void visit(Ws ws, String token, String url, Map<String, Object> params, Map<String, Object> cookies) {
        collect(ws, LAPTOP, Map.of("type", "page_view", "token", token, "fp", "fp-" + token, "url", url,
                "params", params, "cookies", cookies));
        collect(ws, LAPTOP, Map.of("type", "identify", "token", token, "fp", "fp-" + token, "url", url,
                "person", Map.of("email", token + "@example.com")));
    }

    private String purchase(Ws ws, String email, String key) {
        return sendEvent(ws, json(Map.of("event_name", "purchase", "email", email, "amount", 42.5, "currency", "EUR",
                "idempotency_key", key)));
    }

    @Test
    void googleAdsGetsClickConversionsWithEnhancedIdentifiersAndOnlyTheRefusedOneDies() throws Exception {
        try (FakeGoogleAds google = new FakeGoogleAds("cid.apps.googleusercontent.com", "csecret", "1//refresh", "devtoken", "1234567890")) {
            google.conversionAction(987654321L).knownClick("Cj0KCQiAknownclick0001", Instant.now().minus(Duration.ofHours(1)));
            Ws ws = newWorkspace();
            String dst = (String) addDestination(ws, "google_ads", Map.of("customer_id", "123-456-7890", "conversion_action", "987654321",
                    "developer_token", "devtoken", "client_id", "cid.apps.googleusercontent.com", "client_secret", "csecret",
                    "refresh_token", "1//refresh"), Map.of("base_url", google.baseUrl())).get("id");
            visit(ws, "gknown", "https://shop.example.com/?gclid=Cj0KCQiAknownclick0001", Map.of("gclid", "Cj0KCQiAknownclick0001"), Map.of());
            visit(ws, "gunknown", "https://shop.example.com/?gclid=Cj0KCQiAunknownclick02", Map.of("gclid", "Cj0KCQiAunknownclick02"), Map.of());
            String known = purchase(ws, "gknown@example.com", "g-order-1");
            String unknown = purchase(ws, "gunknown@example.com", "g-order-2");
            String noClick = purchase(ws, "nobody@example.com", "g-order-3");

            Delivery sent = awaitStatus(ws, known, dst, "sent");
            Delivery dead = awaitStatus(ws, unknown, dst, "dead");
            assertThat(awaitStatus(ws, noClick, dst, "skipped").reason()).isEqualTo("no_click_id");
            assertThat(dead.response()).contains("CLICK_NOT_FOUND");
            assertThat(sent.enrichedFields()).containsEntry("gclid", "profile");
            assertThat(google.issuedAccessTokens()).isNotEmpty();
            assertThat(google.violations()).as("only the unknown click is refused").allMatch(v -> v.contains("CLICK_NOT_FOUND")).hasSize(1);
            JsonNode row = google.acceptedEvents().get(0).payload();
            assertThat(row.toString()).contains(MatchKeys.googleEmail("gknown@example.com").orElseThrow()).contains("g-order-1");
            assertThat(google.acceptedKeys()).hasSize(1);
        }
    }

    @Test
    void tiktokGetsTheEventWithItsClickIdHashedIdentityAndMappedName() throws Exception {
        try (FakeTikTok tiktok = new FakeTikTok("tt-access-token", "C4TESTPIXEL01")) {
            Ws ws = newWorkspace();
            String dst = (String) addDestination(ws, "tiktok", Map.of("pixel_code", "C4TESTPIXEL01", "access_token", "tt-access-token"),
                    Map.of("base_url", tiktok.baseUrl())).get("id");
            visit(ws, "ttvisitor", "https://shop.example.com/?ttclid=E.C.P.abc", Map.of("ttclid", "E.C.P.abc"), Map.of());
            String event = purchase(ws, "ttvisitor@example.com", "tt-order-1");
            Delivery d = awaitStatus(ws, event, dst, "sent");
            assertThat(d.enrichedFields()).containsEntry("ttclid", "profile").containsEntry("user_agent", "profile");
            assertThat(tiktok.violations()).isEmpty();
            assertThat(tiktok.acceptedCount(FakeTikTok.dedupKey("CompletePayment", "tt-order-1"))).isEqualTo(1);
            JsonNode sent = tiktok.acceptedEvents().get(0).payload();
            assertThat(sent.path("user").path("ttclid").asText()).isEqualTo("E.C.P.abc");
            assertThat(sent.path("user").path("email").asText()).isEqualTo(MatchKeys.tiktokEmail("ttvisitor@example.com").orElseThrow());
            assertThat(d.response()).contains("\"code\":0");
        }
    }

    @Test
    void ga4GetsTheVisitorsClientIdAndATestEventIsValidated() throws Exception {
        try (FakeGa4 ga = new FakeGa4("G-TEST1234", "ga-api-secret")) {
            Ws ws = newWorkspace();
            String dst = (String) addDestination(ws, "ga4", Map.of("measurement_id", "G-TEST1234", "api_secret", "ga-api-secret"),
                    Map.of("base_url", ga.baseUrl())).get("id");
            visit(ws, "gavisitor", "https://shop.example.com/", Map.of(), Map.of("ga", "GA1.1.777.888"));
            String event = purchase(ws, "gavisitor@example.com", "ga-order-1");
            awaitStatus(ws, event, dst, "sent");
            assertThat(ga.violations()).isEmpty();
            assertThat(ga.acceptedCount(FakeGa4.purchaseKey("ga-order-1"))).isEqualTo(1);
            JsonNode body = ga.requests().stream().filter(r -> r.path().equals(FakeGa4.COLLECT)).findFirst().map(r -> {
                try {
                    return new com.fasterxml.jackson.databind.ObjectMapper().readTree(r.body());
                } catch (Exception e) {
                    throw new AssertionError(e);
                }
            }).orElseThrow();
            assertThat(body.path("client_id").asText()).isEqualTo("777.888");
            assertThat(body.path("events").get(0).path("name").asText()).isEqualTo("purchase");

            Response test = http.postJson("/admin/v1/destinations/" + dst + "/test", TestServer.ADMIN_TOKEN, "{}");
            assertThat(test.status()).as(test.body()).isEqualTo(200);
            assertThat(test.json()).containsEntry("outcome", "accepted");
            assertThat(ga.requests()).anyMatch(r -> r.path().equals(FakeGa4.DEBUG_COLLECT));
        }
    }

    @Test
    void aWebhookReceivesTheSignedEventWithItsAttributionAndFinalRefusalsDie() throws Exception {
        try (FakeWebhookReceiver hook = new FakeWebhookReceiver("whsec_test_secret")) {
            Ws ws = newWorkspace();
            String dst = addWebhook(ws, hook, "whsec_test_secret");
            visit(ws, "hookvisitor", "https://shop.example.com/?utm_source=newsletter&utm_medium=email",
                    Map.of("utm_source", "newsletter", "utm_medium", "email"), Map.of());
            String event = purchase(ws, "hookvisitor@example.com", "hook-order-1");
            awaitStatus(ws, event, dst, "sent");
            assertThat(hook.violations()).isEmpty();
            assertThat(hook.acceptedCount("hook-order-1")).isEqualTo(1);
            JsonNode body = hook.acceptedEvents().get(0).payload();
            assertThat(body.path("type").asText()).isEqualTo("conversion");
            assertThat(body.path("event").path("id").asText()).isEqualTo(event);
            assertThat(body.path("profile_id").asText()).isNotBlank();
            assertThat(body.path("attribution").path("path").isArray()).isTrue();
            assertThat(body.path("enriched_fields").path("email").asText()).isEqualTo("event");

            Response test = http.postJson("/admin/v1/destinations/" + dst + "/test", TestServer.ADMIN_TOKEN, "{}");
            assertThat(test.json()).containsEntry("outcome", "accepted").containsEntry("status_code", 200);

            hook.respondWith(410, "{\"error\":\"gone\"}");
            String refused = purchase(ws, "hookvisitor@example.com", "hook-order-2");
            Delivery dead = awaitStatus(ws, refused, dst, "dead");
            assertThat(dead.lastStatusCode()).isEqualTo(410);
            assertThat(dead.attempts()).isEqualTo(1);
        }
    }
}
