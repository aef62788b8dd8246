package io.touchpoint.server.destinations;

import com.fasterxml.jackson.databind.JsonNode;
import io.touchpoint.core.destinations.Delivery;
import io.touchpoint.core.destinations.MatchKeys;
import io.touchpoint.server.destinations.fakes.FakeMeta;
import io.touchpoint.server.support.HttpTestClient.Response;
import io.touchpoint.server.support.TestServer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Meta end to end: a browser visit from a Meta ad, a form, then a server purchase with only an e-mail; the purchase
 * reaches the local Conversions API fake once, with the browser's click id, cookies, address, user agent and landing
 * page, and the events log and the receipt say where it went.
 */
class MetaDeliveryTest extends DeliveryServerTest {
    static final String PIXEL = "123456789012345";
    static final String TOKEN = "EAAB-meta-access-token-f3a9";
    private final FakeMeta meta = new FakeMeta(PIXEL, TOKEN);

    @AfterAll
    void stopFake() {
        meta.close();
    }

    @BeforeEach
    void resetFake() {
        meta.reset();
    }

    private Map<String, Object> connect(Ws ws, Map<String, Object> more) {
        java.util.Map<String, Object> m = new java.util.HashMap<>(more);
        m.put("base_url", meta.baseUrl());
        return addDestination(ws, "meta", Map.of("pixel_id", PIXEL, "access_token", TOKEN), m);
    }

    @Test
    void anEmailOnlyServerPurchaseReachesMetaOnceWithWhatTheBrowserCarried() throws Exception {
        Ws ws = newWorkspace();
        Map<String, Object> dst = connect(ws, Map.of());
        String landing = "https://shop.example.com/?fbclid=IwAR2xyz&utm_source=facebook&utm_campaign=winter";
        collect(ws, LAPTOP, Map.of("type", "page_view", "token", "tpv.metaAAAA", "fp", "fp-meta", "url", landing,
                "params", Map.of("fbclid", "IwAR2xyz", "utm_source", "facebook", "utm_campaign", "winter"),
                "cookies", Map.of("fbp", "fb.1.1764000000000.987654321", "fbc", "fb.1.1764000000000.IwAR2xyz")));
        collect(ws, LAPTOP, Map.of("type", "identify", "token", "tpv.metaAAAA", "fp", "fp-meta",
                "url", "https://shop.example.com/signup", "person", Map.of("email", "Jane@Example.com", "phone", "+1 650 555 1212")));
        Response purchase = http.postJson("/public-api/v1/events", ws.token(), json(Map.of("event_name", "purchase",
                "email", "jane@example.com", "amount", 120, "currency", "USD", "idempotency_key", "order-1001")));
        assertThat(purchase.status()).as(purchase.body()).isEqualTo(202);
        String eventId = (String) purchase.json().get("id");
        String requestId = (String) purchase.json().get("request_id");

        Delivery d = awaitStatus(ws, eventId, (String) dst.get("id"), "sent");

        assertThat(meta.violations()).isEmpty();
        String key = FakeMeta.dedupKey("Purchase", "order-1001");
        assertThat(meta.acceptedCount(key)).isEqualTo(1);
        JsonNode sent = meta.acceptedEvents().stream().filter(e -> e.dedupKey().equals(key)).findFirst().orElseThrow().payload();
        JsonNode user = sent.get("user_data");
        assertThat(sent.get("action_source").asText()).isEqualTo("website");
        assertThat(sent.get("event_source_url").asText()).isEqualTo(landing);
        assertThat(user.get("fbc").asText()).isEqualTo("fb.1.1764000000000.IwAR2xyz");
        assertThat(user.get("fbp").asText()).isEqualTo("fb.1.1764000000000.987654321");
        assertThat(user.get("client_user_agent").asText()).isEqualTo(LAPTOP);
        assertThat(user.get("client_ip_address").asText()).isNotBlank();
        assertThat(user.get("em").toString()).contains(MatchKeys.sha256("jane@example.com"));
        assertThat(user.get("ph").toString()).contains(MatchKeys.sha256("16505551212"));
        assertThat(sent.get("custom_data").get("value").asDouble()).isEqualTo(120.0);
        assertThat(sent.get("custom_data").get("currency").asText()).isEqualToIgnoringCase("USD");

        assertThat(d.enrichedFields()).containsEntry("email", "event").containsEntry("fbc", "profile")
                .containsEntry("fbp", "profile").containsEntry("user_agent", "profile").containsEntry("page_url", "profile")
                .containsEntry("phone", "profile");
        assertThat(d.attempts()).isEqualTo(1);
        assertThat(d.response()).contains("events_received").contains("fbtrace_id");

        Response entry = http.get("/api/v1/events-log/" + requestId, ws.token());
        Map<String, Object> delivery = list(map(list(entry.json().get("data")).get(0)).get("deliveries")).get(0);
        assertThat(delivery).containsEntry("destination_id", dst.get("id")).containsEntry("type", "meta")
                .containsEntry("status", "sent").containsEntry("attempts", 1).containsEntry("last_status_code", 200);
        assertThat(map(delivery.get("enriched_fields"))).containsEntry("fbp", "profile");
        assertThat(delivery.get("sent_at")).isNotNull();
        Response receipt = http.get("/api/v1/conversions/" + eventId + "/attribution", ws.token());
        assertThat(receipt.status()).as(receipt.body()).isEqualTo(200);
        assertThat(list(map(receipt.json().get("data")).get("deliveries"))).extracting(x -> x.get("status")).containsExactly("sent");
    }

    @Test
    void doNotCapiTestEventsAndUnlistedEventsAreNeverSentAndSkipsSayWhy() throws Exception {
        Ws ws = newWorkspace();
        String all = (String) connect(ws, Map.of()).get("id");
        String leadsOnly = (String) connect(ws, Map.of("events", List.of("lead_generated"))).get("id");
        String kept = sendEvent(ws, json(Map.of("event_name", "purchase", "email", "a@example.com", "do_not_capi", true)));
        String lead = sendEvent(ws, json(Map.of("event_name", "lead_generated", "email", "b@example.com")));
        String purchase = sendEvent(ws, json(Map.of("event_name", "purchase", "email", "c@example.com", "amount", 3)));
        Response test = http.postJson("/admin/v1/workspaces/" + ws.id() + "/test-events", TestServer.ADMIN_TOKEN, "{}");
        assertThat(test.status()).as(test.body()).isEqualTo(202);
        String testEvent = (String) test.json().get("id");

        assertThat(awaitStatus(ws, kept, all, "skipped").reason()).isEqualTo("do_not_forward");
        awaitStatus(ws, lead, all, "sent");
        awaitStatus(ws, lead, leadsOnly, "sent");
        awaitStatus(ws, purchase, all, "sent");
        awaitProcessed();
        Thread.sleep(500);
        assertThat(server.store().destinations().deliveries(ws.id(), List.of(purchase)).get(purchase))
                .extracting(Delivery::destinationId).containsExactly(all);
        assertThat(server.store().destinations().deliveries(ws.id(), List.of(testEvent)).getOrDefault(testEvent, List.of()))
                .allMatch(x -> x.status().wireName().equals("skipped") && "test_event".equals(x.reason()));
        assertThat(meta.acceptedKeys()).hasSize(2).noneMatch(k -> k.contains(testEvent));
        assertThat(meta.acceptedCount(FakeMeta.dedupKey("Lead", lead))).as("two pixels' destinations, one dataset here").isEqualTo(1);
        assertThat(meta.receivedCount(FakeMeta.dedupKey("Lead", lead))).isEqualTo(2);
        assertThat(meta.violations()).isEmpty();

        Response replay = http.postJson("/admin/v1/destinations/" + all + "/replay", TestServer.ADMIN_TOKEN,
                json(Map.of("event_ids", List.of(kept))));
        assertThat(replay.json()).containsEntry("replayed", 1);
        Delivery again = awaitDelivery(ws, kept, all, x -> x.status().wireName().equals("skipped") && x.attempts() == 1,
                java.time.Duration.ofSeconds(20));
        assertThat(again.reason()).as("a replay never sends what must not be sent").isEqualTo("do_not_forward");
        assertThat(meta.acceptedKeys()).hasSize(2);
        // JSON escapes, so that the character arrives as such: no store can hold it, so no event has it in its id
        Response unstorable = http.postJson("/admin/v1/destinations/" + all + "/replay", TestServer.ADMIN_TOKEN,
                "{\"event_ids\":[\"a\\u0000b\"]}");
        assertThat(unstorable.status()).as(unstorable.body()).isEqualTo(422);
        assertThat(unstorable.error()).containsEntry("code", "invalid_character").containsEntry("param", "event_ids");

        Response noCode = http.postJson("/admin/v1/destinations/" + all + "/test", TestServer.ADMIN_TOKEN, "{}");
        assertThat(noCode.status()).isEqualTo(422);
        assertThat(noCode.body()).contains("test_event_code");
        Response withCode = http.postJson("/admin/v1/destinations/" + all + "/test", TestServer.ADMIN_TOKEN,
                "{\"test_event_code\":\"TEST4242\"}");
        assertThat(withCode.json()).containsEntry("outcome", "accepted").containsEntry("status_code", 200);
        assertThat(meta.requests().get(meta.requests().size() - 1).body()).contains("TEST4242");

        long outboxId = again.outboxId();
        assertThat(http.get("/admin/v1/destinations/" + all + "/deliveries/" + outboxId + "/attempts", TestServer.ADMIN_TOKEN)
                .json().get("data")).asList().hasSize(1);
        assertThat(http.get("/admin/v1/destinations/" + leadsOnly + "/deliveries/" + outboxId + "/attempts", TestServer.ADMIN_TOKEN)
                .status()).as("another destination's delivery").isEqualTo(404);
    }

    @Test
    void aBadTokenIsRetriedNotLostAndTheStatsNameTheError() throws Exception {
        Ws ws = newWorkspace();
        String dst = (String) addDestination(ws, "meta", Map.of("pixel_id", PIXEL, "access_token", "EAAB-wrong"),
                Map.of("base_url", meta.baseUrl())).get("id");
        String event = sendEvent(ws, json(Map.of("event_name", "purchase", "email", "t@example.com", "amount", 5)));
        Delivery d = awaitStatus(ws, event, dst, "retrying");
        assertThat(d.lastStatusCode()).isEqualTo(401);
        assertThat(d.response()).contains("190");
        Response view = http.get("/admin/v1/destinations/" + dst, TestServer.ADMIN_TOKEN);
        assertThat(map(view.json().get("stats")).get("last_error").toString()).contains("401");

        Response fixed = http.send(http.request("/admin/v1/destinations/" + dst).header("Authorization", "Bearer " + TestServer.ADMIN_TOKEN)
                .header("Content-Type", "application/json")
                .method("PATCH", java.net.http.HttpRequest.BodyPublishers.ofString(json(Map.of("settings", Map.of("access_token", TOKEN))))).build());
        assertThat(fixed.status()).as(fixed.body()).isEqualTo(200);
        assertThat(map(fixed.json().get("secrets"))).containsEntry("access_token", "…f3a9");
        awaitStatus(ws, event, dst, "sent");
        assertThat(meta.acceptedKeys()).hasSize(1);
    }

    @Test
    void attributedModeSendsOnlyWhatMetaIsCreditedFor() throws Exception {
        Ws ws = newWorkspace();
        String dst = (String) connect(ws, Map.of("mode", "attributed", "model", "last_touch")).get("id");
        collect(ws, LAPTOP, Map.of("type", "page_view", "token", "tpv.fromMeta", "fp", "fp-fm",
                "url", "https://shop.example.com/?fbclid=FromMeta1", "params", Map.of("fbclid", "FromMeta1")));
        collect(ws, LAPTOP, Map.of("type", "identify", "token", "tpv.fromMeta", "fp", "fp-fm",
                "url", "https://shop.example.com/", "person", Map.of("email", "meta-buyer@example.com")));
        collect(ws, LAPTOP, Map.of("type", "page_view", "token", "tpv.fromGoogle", "fp", "fp-fg",
                "url", "https://shop.example.com/?gclid=FromGoogle1", "params", Map.of("gclid", "FromGoogle1")));
        collect(ws, LAPTOP, Map.of("type", "identify", "token", "tpv.fromGoogle", "fp", "fp-fg",
                "url", "https://shop.example.com/", "person", Map.of("email", "google-buyer@example.com")));
        String metaBuyer = sendEvent(ws, json(Map.of("event_name", "purchase", "email", "meta-buyer@example.com", "amount", 30)));
        String googleBuyer = sendEvent(ws, json(Map.of("event_name", "purchase", "email", "google-buyer@example.com", "amount", 40)));

        awaitStatus(ws, metaBuyer, dst, "sent");
        assertThat(awaitStatus(ws, googleBuyer, dst, "skipped").reason()).isEqualTo("not_attributed");
        assertThat(meta.acceptedKeys()).containsExactly(FakeMeta.dedupKey("Purchase", metaBuyer));
    }

    @Test
    void enrichmentReadsOnlyTheWorkspacesOwnGraphAndErasureRemovesTheDeliveries() throws Exception {
        Ws mine = newWorkspace();
        Ws theirs = newWorkspace();
        String dst = (String) connect(mine, Map.of()).get("id");
        collect(theirs, LAPTOP, Map.of("type", "page_view", "token", "tpv.theirs", "fp", "fp-th",
                "url", "https://other.example.com/?fbclid=Theirs1", "params", Map.of("fbclid", "Theirs1"),
                "cookies", Map.of("fbp", "fb.1.1764000000000.555")));
        collect(theirs, LAPTOP, Map.of("type", "identify", "token", "tpv.theirs", "fp", "fp-th",
                "url", "https://other.example.com/", "person", Map.of("email", "shared@example.com")));
        String event = sendEvent(mine, json(Map.of("event_name", "purchase", "email", "shared@example.com", "amount", 9)));
        Delivery d = awaitStatus(mine, event, dst, "sent");
        assertThat(d.enrichedFields()).containsOnlyKeys("email");
        JsonNode user = meta.acceptedEvents().get(0).payload().get("user_data");
        assertThat(user.has("fbp")).isFalse();
        assertThat(user.has("fbc")).isFalse();

        Map<String, Object> profile = profileByIdentifier(mine, "email:shared@example.com");
        Response erased = http.delete("/api/v1/profiles/" + profile.get("id"), mine.token());
        assertThat(erased.status()).as(erased.body()).isEqualTo(200);
        assertThat(server.store().destinations().deliveries(mine.id(), List.of(event))).doesNotContainKey(event);
    }
}
