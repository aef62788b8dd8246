package io.touchpoint.server.destinations;

import com.fasterxml.jackson.databind.JsonNode;
import io.touchpoint.core.destinations.Delivery;
import io.touchpoint.core.destinations.DeliveryRules;
import io.touchpoint.server.destinations.fakes.FakeGoogleAds;
import io.touchpoint.server.destinations.fakes.FakeMeta;
import io.touchpoint.server.destinations.fakes.FakeTikTok;
import io.touchpoint.server.destinations.fakes.FakeWebhookReceiver;
import io.touchpoint.server.support.HttpTestClient.Response;
import io.touchpoint.server.support.TestServer;
import org.junit.jupiter.api.Test;

import java.net.http.HttpRequest;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The visitor's consent against the platforms' local fakes: without ad_user_data nothing reaches an ad platform (the
 * ledger says why), Google Ads receives its consent fields, Meta and TikTok their Limited Data Use flags for the
 * workspace's restricted regions, and a webhook the consent itself.
 */
class ConsentDeliveryTest extends DeliveryServerTest {
    private static final Map<String, Object> DENIED = Map.of("ad_storage", "denied", "analytics_storage", "denied",
            "ad_user_data", "denied", "ad_personalization", "denied");

    private String purchase(Ws ws, String email, String key, Map<String, Object> consent) {
        Map<String, Object> body = new LinkedHashMap<>(Map.of("event_name", "purchase", "email", email, "amount", 10,
                "currency", "USD", "idempotency_key", key));
        if (consent != null) body.put("consent", consent);
        return sendEvent(ws, json(body));
    }

    private void settings(Ws ws, Map<String, Object> settings) {
        Response r = http.send(http.request("/admin/v1/workspaces/" + ws.id() + "/settings")
                .header("Authorization", "Bearer " + TestServer.ADMIN_TOKEN).header("Content-Type", "application/json")
                .PUT(HttpRequest.BodyPublishers.ofString(json(settings))).build());
        assertThat(r.status()).as(r.body()).isEqualTo(200);
    }

    @Test
    void withoutAdUserDataMetaIsSkippedWithTheReasonAndLimitedDataUseReachesMetaWhereTheWorkspaceRestrictsIt()
            throws Exception {
        try (FakeMeta meta = new FakeMeta("1234567890", "EAAB-token")) {
            Ws ws = newWorkspace();
            settings(ws, Map.of("consent_limited_data_use_regions", List.of("US-CA")));
            String dst = (String) addDestination(ws, "meta", Map.of("pixel_id", "1234567890", "access_token", "EAAB-token"),
                    Map.of("base_url", meta.baseUrl())).get("id");
            String denied = purchase(ws, "denied@example.com", "m-1", DENIED);
            String california = purchase(ws, "ca@example.com", "m-2", Map.of("ad_user_data", "granted", "region", "US-CA"));
            String newYork = purchase(ws, "ny@example.com", "m-3", Map.of("ad_user_data", "granted", "region", "US-NY"));

            Delivery skipped = awaitStatus(ws, denied, dst, "skipped");
            assertThat(skipped.reason()).isEqualTo(DeliveryRules.NO_AD_USER_DATA_CONSENT);
            awaitStatus(ws, california, dst, "sent");
            awaitStatus(ws, newYork, dst, "sent");
            assertThat(meta.violations()).isEmpty();
            assertThat(meta.acceptedKeys()).containsExactlyInAnyOrder(FakeMeta.dedupKey("Purchase", "m-2"),
                    FakeMeta.dedupKey("Purchase", "m-3"));
            JsonNode ca = eventWithId(meta.acceptedEvents().stream().map(e -> e.payload()).toList(), "m-2");
            assertThat(ca.path("data_processing_options").get(0).asText()).isEqualTo("LDU");
            assertThat(ca.path("data_processing_options_country").asInt()).isEqualTo(1);
            assertThat(ca.path("data_processing_options_state").asInt()).isEqualTo(1000);
            assertThat(eventWithId(meta.acceptedEvents().stream().map(e -> e.payload()).toList(), "m-3")
                    .has("data_processing_options")).isFalse();

            // the events log names the skip among the entry's deliveries
            Response log = http.get("/api/v1/events-log?event_name=purchase&email=denied@example.com", ws.token());
            assertThat(log.body()).contains(DeliveryRules.NO_AD_USER_DATA_CONSENT).contains("\"ad_user_data\":\"denied\"");
        }
    }

    @Test
    void googleAdsReceivesConsentStatusesAndTikTokItsLimitedDataUseFlag() throws Exception {
        try (FakeGoogleAds google = new FakeGoogleAds("cid.apps.googleusercontent.com", "csecret", "1//refresh", "devtoken", "1234567890");
             FakeTikTok tiktok = new FakeTikTok("tt-access-token", "C4TESTPIXEL01")) {
            google.conversionAction(987654321L).knownClick("Cj0KCQiAconsentclick01", Instant.now().minus(Duration.ofHours(1)));
            Ws ws = newWorkspace();
            settings(ws, Map.of("consent_default", "by_region", "consent_limited_data_use_regions", List.of("US")));
            String ads = (String) addDestination(ws, "google_ads", Map.of("customer_id", "123-456-7890", "conversion_action",
                    "987654321", "developer_token", "devtoken", "client_id", "cid.apps.googleusercontent.com",
                    "client_secret", "csecret", "refresh_token", "1//refresh"), Map.of("base_url", google.baseUrl())).get("id");
            String tt = (String) addDestination(ws, "tiktok", Map.of("pixel_code", "C4TESTPIXEL01", "access_token",
                    "tt-access-token"), Map.of("base_url", tiktok.baseUrl())).get("id");
            collect(ws, LAPTOP, Map.of("type", "page_view", "token", "consentvisitor", "url",
                    "https://shop.example.com/?gclid=Cj0KCQiAconsentclick01", "params", Map.of("gclid", "Cj0KCQiAconsentclick01"),
                    "consent", Map.of("ad_user_data", "granted", "ad_personalization", "denied", "ad_storage", "granted",
                            "analytics_storage", "granted")));
            collect(ws, LAPTOP, Map.of("type", "identify", "token", "consentvisitor", "person",
                    Map.of("email", "consent@example.com"), "consent", Map.of("analytics_storage", "granted")));
            // by_region: the sender's region is the United States, so what it left out is granted
            String event = purchase(ws, "consent@example.com", "g-consent-1",
                    Map.of("ad_personalization", "denied", "region", "US"));
            awaitStatus(ws, event, ads, "sent");
            awaitStatus(ws, event, tt, "sent");
            assertThat(google.violations()).isEmpty();
            JsonNode row = google.acceptedEvents().get(0).payload();
            assertThat(row.path("consent").path("adUserData").asText()).isEqualTo("GRANTED");
            assertThat(row.path("consent").path("adPersonalization").asText()).isEqualTo("DENIED");
            assertThat(tiktok.violations()).isEmpty();
            assertThat(tiktok.acceptedEvents().get(0).payload().path("limited_data_use").asBoolean()).isTrue();

            // no region: the stricter choice, so ad_user_data is denied and neither platform gets it
            String unknownRegion = purchase(ws, "consent@example.com", "g-consent-2", null);
            assertThat(awaitStatus(ws, unknownRegion, ads, "skipped").reason()).isEqualTo(DeliveryRules.NO_AD_USER_DATA_CONSENT);
            assertThat(awaitStatus(ws, unknownRegion, tt, "skipped").reason()).isEqualTo(DeliveryRules.NO_AD_USER_DATA_CONSENT);
        }
    }

    @Test
    void aWebhookReceivesTheEventWithItsConsent() throws Exception {
        try (FakeWebhookReceiver hook = new FakeWebhookReceiver("whsec_consent")) {
            Ws ws = newWorkspace();
            String dst = addWebhook(ws, hook, "whsec_consent");
            String event = purchase(ws, "hook@example.com", "w-consent-1", DENIED);
            awaitStatus(ws, event, dst, "sent");
            JsonNode consent = hook.acceptedEvents().get(0).payload().path("event").path("consent");
            assertThat(consent.path("ad_user_data").asText()).isEqualTo("denied");
            assertThat(consent.path("analytics_storage").asText()).isEqualTo("denied");
            assertThat(consent.path("defaulted").asBoolean()).isFalse();
        }
    }

    private static JsonNode eventWithId(List<JsonNode> events, String id) {
        return events.stream().filter(e -> e.path("event_id").asText().equals(id)).findFirst().orElseThrow();
    }
}
