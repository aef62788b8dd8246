package io.touchpoint.server.ingest;

import io.touchpoint.server.support.HttpTestClient.Response;
import io.touchpoint.server.support.ServerTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A character no store can hold (U+0000 above all, which PostgreSQL refuses in TEXT) gets a 422 naming the field at
 * the edge, never a 500 "safe to retry"; it does not sink the valid items of a batch; a refused payload holding one
 * is still recorded; and the processor goes on resolving every workspace's events.
 */
class UnstorableCharactersIngestTest extends ServerTest {
    private static final String EVENTS = "/public-api/v1/events";

    private Response collect(Ws ws, String body) {
        String key = server.store().workspaces().byId(ws.id()).orElseThrow().pixelKey();
        return http.post("/collect?key=" + key, null, "text/plain;charset=UTF-8", body,
                new HashMap<>(Map.of("User-Agent", "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/126.0 Safari/537.36")));
    }

    private List<Map<String, Object>> log(Response r) {
        Response entries = http.get("/api/v1/events-log/" + r.header("Request-Id"), io.touchpoint.server.support.TestServer.ADMIN_TOKEN);
        assertThat(entries.status()).as(entries.body()).isEqualTo(200);
        return list(entries.json().get("data"));
    }

    @Test
    void aPixelBeaconWithANulFingerprintIsRefusedAndEveryWorkspaceStillGetsProfiles() throws Exception {
        Ws attacker = newWorkspace();
        Ws victim = newWorkspace();
        Response r = collect(attacker, "{\"type\":\"page_view\",\"token\":\"tpv.abc12345\",\"fp\":\"evil\\u0000fp\","
                + "\"url\":\"https://shop.example.com/\"}");
        assertThat(r.status()).as(r.body()).isEqualTo(422);
        assertThat(r.error()).containsEntry("code", "invalid_character").containsEntry("param", "fp");
        assertThat(log(r)).singleElement().satisfies(e -> assertThat(e).containsEntry("outcome", "rejected"));

        sendEvent(victim, "{\"event_name\":\"purchase\",\"email\":\"later@example.com\"}");
        awaitProcessed();
        assertThat(profileByIdentifier(victim, "email:later@example.com")).containsKey("id");
    }

    @ParameterizedTest
    @ValueSource(strings = {"idempotency_key", "event_name", "order_id"})
    void aNulInAKeyIs422NamingTheField(String field) {
        Ws ws = newWorkspace();
        Map<String, Object> body = new LinkedHashMap<>(Map.of("event_name", "purchase", "email", "nul@example.com"));
        body.put(field, "abc\u0000def");
        Response r = http.postJson(EVENTS, ws.token(), json(body));
        assertThat(r.status()).as(r.body()).isEqualTo(422);
        assertThat(r.error()).containsEntry("code", "invalid_character").containsEntry("param", field);
        Map<String, Object> entry = log(r).get(0);
        assertThat(entry).containsEntry("outcome", "rejected").containsEntry("http_status", 422);
        assertThat((String) entry.get("payload")).isEqualTo(json(body)); // the JSON text escapes it already
    }

    /** An identifier is never changed into another: it is dropped, and named in the answer and the events log. */
    @ParameterizedTest
    @ValueSource(strings = {"phone", "fingerprint", "comet_token"})
    void aNulInAnOptionalIdentifierDropsItBesideAValidEmail(String field) throws Exception {
        Ws ws = newWorkspace();
        Map<String, Object> body = new LinkedHashMap<>(Map.of("event_name", "purchase", "email", "nul@example.com"));
        body.put(field, "abc\u0000def");
        Response r = http.postJson(EVENTS, ws.token(), json(body));
        assertThat(r.status()).as(r.body()).isEqualTo(202);
        String warning = "invalid field '" + field + "' dropped (kept in the raw payload): " + field
                + " contains U+0000, a character that cannot be stored; remove it";
        assertThat(r.json().get("warnings")).isEqualTo(List.of(warning));
        var e = server.store().events().find(ws.id(), (String) r.json().get("id")).orElseThrow();
        assertThat(e.identifiers()).extracting(i -> i.type().name()).containsExactly("EMAIL");
        Map<String, Object> entry = log(r).get(0);
        assertThat(entry).containsEntry("outcome", "accepted").containsEntry("warnings", List.of(warning));
        awaitProcessed();
        assertThat(profileByIdentifier(ws, "email:nul@example.com")).containsKey("id");
    }

    @Test
    void freeTextIsKeptWithoutTheCharacter() {
        Ws ws = newWorkspace();
        String id = sendEvent(ws, "{\"event_name\":\"purchase\",\"email\":\"free@example.com\",\"full_name\":\"Ann\\u0000 Lee\","
                + "\"comet_campaign\":\"spr\\u0000ing\"}");
        var e = server.store().events().find(ws.id(), id).orElseThrow();
        assertThat(e.person().fullName()).isEqualTo("Ann Lee");
        assertThat(e.context().campaign().name()).isEqualTo("spring");
    }

    @Test
    void aBatchItemWithANulDoesNotSinkTheValidItems() throws Exception {
        Ws ws = newWorkspace();
        String batch = "{\"events\":[{\"event_name\":\"purchase\",\"email\":\"one@example.com\"},"
                + "{\"event_name\":\"purchase\",\"email\":\"two@example.com\",\"idempotency_key\":\"k\\u0000\"},"
                + "{\"event_name\":\"purchase\",\"email\":\"three@example.com\"}]}";
        Response r = http.postJson("/public-api/v1/events/batch", ws.token(), batch);
        assertThat(r.status()).as(r.body()).isEqualTo(200);
        assertThat(r.json()).containsEntry("accepted", 2).containsEntry("rejected", 1);
        Map<String, Object> refused = list(r.json().get("results")).get(1);
        assertThat(map(refused.get("error"))).containsEntry("code", "invalid_character").containsEntry("param", "idempotency_key");
        awaitProcessed();
        assertThat(profileByIdentifier(ws, "email:three@example.com")).containsKey("id");
    }

    @Test
    void aRefusedBodyHoldingARawNulIsRecordedWithTheCharacterEscaped() {
        Ws ws = newWorkspace();
        String body = "{\"event_name\":\"purchase\",\"email\":\"raw\u0000@example.com\"}"; // not JSON: a raw control character
        Response r = http.postJson(EVENTS, ws.token(), body);
        assertThat(r.status()).as(r.body()).isEqualTo(400);
        assertThat(r.error()).containsEntry("code", "malformed_json");
        Map<String, Object> entry = log(r).get(0);
        assertThat(entry).containsEntry("outcome", "rejected").containsEntry("http_status", 400)
                .containsEntry("payload", body.replace("\u0000", "\\u0000"));
    }

    @Test
    void aNulInAQueryOrPathIs400InsteadOfAStoreError() {
        Ws ws = newWorkspace();
        Response log = http.get("/api/v1/events-log?event_name=a%00b", ws.token());
        assertThat(log.status()).as(log.body()).isEqualTo(400);
        assertThat(log.error()).containsEntry("code", "invalid_parameter").containsEntry("param", "event_name");
        Response profile = http.get("/api/v1/profiles?identifier=email:a%00@example.com", ws.token());
        assertThat(profile.status()).as(profile.body()).isEqualTo(400);
        assertThat(profile.error()).containsEntry("param", "identifier");
        assertThat(http.get("/api/v1/events-log/req%00x", ws.token()).status()).isEqualTo(400);
    }

    @Test
    void aNulPhoneOnTheAbleWebhookIs422() {
        Ws ws = newWorkspace();
        String mark = server.workspaces().createFunnel(ws.id(), "nul").mark();
        Response r = http.postJson("/uip-events/event", null, "{\"funnel_mark\":\"" + mark + "\",\"event_type\":\"Lead\","
                + "\"resource\":{\"keys\":{\"phone\":\"+1 650 555\\u0000 1212\"}}}");
        assertThat(r.status()).as(r.body()).isEqualTo(422);
        assertThat(r.error()).containsEntry("code", "invalid_character").containsEntry("param", "resource.keys.phone");
        assertThat(log(r).get(0)).containsEntry("http_status", 422);
    }
}
