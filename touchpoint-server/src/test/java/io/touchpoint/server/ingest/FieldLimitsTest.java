package io.touchpoint.server.ingest;

import io.touchpoint.core.ingest.PayloadFields;
import io.touchpoint.core.model.Funnel;
import io.touchpoint.server.support.HttpTestClient.Response;
import io.touchpoint.server.support.ServerTest;
import org.junit.jupiter.api.Test;

import java.util.LinkedHashMap;
import java.util.Map;

import static io.touchpoint.server.support.ErrorAssert.assertError;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Text fields have documented limits (docs/ERRORS.md, too_long): idempotency keys 255 characters, URLs and user
 * agents 8,192, a lead's message 10,000, every other text field 500. A value over its limit is a 422 naming the
 * field; a value at the limit is stored, and the stages process it on every store, whatever its characters.
 */
class FieldLimitsTest extends ServerTest {
    private static final String EVENTS = "/public-api/v1/events";
    private static final java.util.Set<String> OPTIONAL = java.util.Set.of("user_agent", "first_name", "fingerprint",
            "comet_token");
    private static final String CHROME = "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/126.0";

    private static Map<String, Object> purchase(String field, Object value) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("event_name", "purchase");
        body.put("email", "limits@example.com");
        body.put(field, value);
        return body;
    }

    @Test
    void aMillionCharacterIdempotencyKeyIsRefused() {
        Ws ws = newWorkspace();
        Response r = http.postJson(EVENTS, ws.token(), json(purchase("idempotency_key", "k".repeat(1_000_000))));
        Map<String, Object> error = assertError(r, 422, "too_long");
        assertThat(error).containsEntry("param", "idempotency_key");
        assertThat((String) error.get("message")).contains("255");
        assertThat(server.store().events().count(ws.id())).isZero();
    }

    @Test
    void eachLimitIsInclusive() {
        Ws ws = newWorkspace();
        Map<String, Integer> limits = Map.of("idempotency_key", PayloadFields.MAX_KEY_CHARS, "url", PayloadFields.MAX_URL_CHARS,
                "user_agent", PayloadFields.MAX_URL_CHARS, "first_name", PayloadFields.MAX_TEXT_CHARS,
                "order_id", PayloadFields.MAX_TEXT_CHARS, "comet_campaign", PayloadFields.MAX_TEXT_CHARS,
                "fingerprint", PayloadFields.MAX_TEXT_CHARS, "comet_token", PayloadFields.MAX_TEXT_CHARS);
        for (var limit : limits.entrySet()) {
            String at = limit.getKey().equals("url") ? "https://shop.example/?" + "q".repeat(limit.getValue() - 22)
                    : "é".repeat(limit.getValue());
            Response ok = http.postJson(EVENTS, ws.token(), json(purchase(limit.getKey(), at)));
            assertThat(ok.status()).as("%s at its limit: %s", limit.getKey(), ok.body()).isEqualTo(202);
            assertThat(ok.json()).doesNotContainKey("warnings");
            Response over = http.postJson(EVENTS, ws.token(), json(purchase(limit.getKey(), at + "x")));
            if (OPTIONAL.contains(limit.getKey())) {
                // an optional identity or contact field over its limit is dropped with a warning: the email identifies
                assertThat(over.status()).as("%s over its limit: %s", limit.getKey(), over.body()).isEqualTo(202);
                assertThat(over.json().get("warnings").toString()).contains("invalid field '" + limit.getKey() + "' dropped")
                        .contains("at most " + limit.getValue());
            } else {
                assertThat(assertError(over, 422, "too_long")).containsEntry("param", limit.getKey());
            }
        }
    }

    @Test
    void theAbleWebhookHasTheSameLimits() {
        Ws ws = newWorkspace();
        Funnel f = server.workspaces().createFunnel(ws.id(), "limits");
        String head = "{\"funnel_mark\":\"" + f.mark() + "\",\"event_type\":\"Lead\",";
        Map<String, String> over = Map.of(
                "idempotency_key", head + "\"idempotency_key\":\"" + "k".repeat(256) + "\",\"resource\":{\"keys\":{\"client_id\":\"c1\"}}}",
                "resource.message", head + "\"resource\":{\"message\":\"" + "m".repeat(10_001) + "\",\"keys\":{\"client_id\":\"c1\"}}}",
                "resource.referrer_url", head + "\"resource\":{\"referrer_url\":\"https://a.example/" + "r".repeat(8_192)
                        + "\",\"keys\":{\"client_id\":\"c1\"}}}",
                "resource.keys.client_id", head + "\"resource\":{\"keys\":{\"client_id\":\"" + "c".repeat(501) + "\"}}}");
        for (var body : over.entrySet()) {
            Response r = http.postJson("/uip-events/event", null, body.getValue());
            assertThat(assertError(r, 422, "too_long")).as(body.getKey()).containsEntry("param", body.getKey());
        }
        Response atLimit = http.postJson("/uip-events/event", null, head + "\"resource\":{\"message\":\"" + "m".repeat(10_000)
                + "\",\"keys\":{\"client_id\":\"" + "c".repeat(500) + "\"}}}");
        assertThat(atLimit.status()).as(atLimit.body()).isEqualTo(202);
        // a lead's name over its limit is an optional contact field: dropped with a warning, the valid key identifies
        Response longName = http.postJson("/uip-events/event", null, head + "\"resource\":{\"lead\":{\"firstName\":\""
                + "n".repeat(501) + "\"},\"keys\":{\"client_id\":\"c1\"}}}");
        assertThat(longName.status()).as(longName.body()).isEqualTo(202);
        assertThat(longName.json().get("warnings").toString()).contains("invalid field 'resource.lead.firstName' dropped");
        assertThat(server.store().events().count(ws.id())).isEqualTo(2);
    }

    /** {@code n} random CJK characters (three UTF-8 bytes each): text no store can compress into a short entry. */
    private static String wide(java.util.Random random, int n) {
        StringBuilder sb = new StringBuilder(n);
        for (int i = 0; i < n; i++) sb.append((char) (0x4E00 + random.nextInt(0x5000)));
        return sb.toString();
    }

    /** {@code n} random emoji (four UTF-8 bytes, two Java characters each). */
    private static String widest(java.util.Random random, int n) {
        StringBuilder sb = new StringBuilder(2 * n);
        for (int i = 0; i < n; i++) sb.appendCodePoint(0x1F300 + random.nextInt(0x200));
        return sb.toString();
    }

    /** Values at their limits in characters of three and four UTF-8 bytes still fit every index of every store. */
    @Test
    void longValuesOfWideCharactersAreProcessedByEveryStage() throws Exception {
        Ws ws = newWorkspace();
        java.util.Random random = new java.util.Random(21);
        String wide = wide(random, PayloadFields.MAX_TEXT_CHARS);
        String widest = widest(random, PayloadFields.MAX_TEXT_CHARS / 2);
        Map<String, Object> body = purchase("fingerprint", wide);
        body.put("ip", "203.0.113.4");
        body.put("comet_token", widest);
        body.put("idempotency_key", wide(random, PayloadFields.MAX_KEY_CHARS));
        body.put("amount", 5);
        for (String f : new String[]{"comet_source", "comet_campaign", "comet_ad_group", "comet_keyword", "comet_placement"}) {
            body.put(f, wide(random, PayloadFields.MAX_TEXT_CHARS));
        }
        body.put("url", "https://shop.example/?utm_term=" + java.net.URLEncoder.encode(wide(random, 400), java.nio.charset.StandardCharsets.UTF_8)
                + "&utm_content=" + java.net.URLEncoder.encode(wide(random, 400), java.nio.charset.StandardCharsets.UTF_8));
        sendEvent(ws, json(body));
        // the pixel cuts what a visitor's page sends rather than refusing it
        String key = server.store().workspaces().byId(ws.id()).orElseThrow().pixelKey();
        Map<String, Object> params = new LinkedHashMap<>();
        for (String p : new String[]{"utm_source", "utm_medium", "utm_campaign", "utm_term", "utm_content", "gclid"}) {
            params.put(p, wide(random, 600)); // within the beacon's 16 KB, longer than an index entry holds
        }
        Response beacon = http.post("/collect?key=" + key, null, "text/plain;charset=UTF-8", json(Map.of("type", "page_view",
                "token", "tpv.wide12345", "fp", widest(random, 250), "params", params, "cookies", Map.of("fbp", wide(random, 600)),
                "person", Map.of("email", "limits@example.com"))), Map.of("User-Agent", CHROME));
        assertThat(beacon.status()).as(beacon.body()).isEqualTo(202);
        awaitProcessed();
        assertThat(profileByIdentifier(ws, "email:limits@example.com")).containsKey("id");
    }
}
