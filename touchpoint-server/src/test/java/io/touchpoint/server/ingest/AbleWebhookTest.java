package io.touchpoint.server.ingest;

import com.fasterxml.jackson.core.type.TypeReference;
import io.touchpoint.core.admin.CreatedToken;
import io.touchpoint.core.model.Event;
import io.touchpoint.core.model.Funnel;
import io.touchpoint.core.model.Identifier;
import io.touchpoint.core.model.IdentifierType;
import io.touchpoint.core.model.Item;
import io.touchpoint.core.model.Scope;
import io.touchpoint.core.model.Source;
import io.touchpoint.server.http.Json;
import io.touchpoint.server.support.HttpTestClient.Response;
import io.touchpoint.server.support.Payloads;
import io.touchpoint.server.support.ServerTest;
import io.touchpoint.server.support.TestServer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.net.http.HttpRequest;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;

import static io.touchpoint.server.support.ErrorAssert.assertError;
import static io.touchpoint.server.support.AcceptedAssert.assertAccepted;
import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.params.provider.Arguments.arguments;

/**
 * docs/WIRE-FORMATS.md: the Able CDP inbound webhook on Able's own path and its alias, against the real server over HTTP,
 * read back from the store and the events log.
 */
class AbleWebhookTest extends ServerTest {
    private static final String EVENT = "/uip-events/event";
    private static final String ALIAS = "/webhooks/able";
    private static final String ADMIN = TestServer.ADMIN_TOKEN;

    // ---- the seed ----

    @ParameterizedTest
    @ValueSource(strings = {EVENT, ALIAS})
    void seedPurchaseIsAcceptedStoredAndLogged(String path) {
        Ws ws = newWorkspace();
        Funnel f = funnel(ws);
        String body = Payloads.ableSeed(f.mark());
        Response r = http.postJson(path, null, body);

        String id = assertAccepted(r);
        assertThat(r.json()).doesNotContainKey("warnings");
        assertThat(r.header("X-RateLimit-Limit")).isNotNull();
        Event e = server.store().events().find(ws.id(), id).orElseThrow();
        assertThat(e.workspaceId()).isEqualTo(ws.id());
        assertThat(e.source()).isEqualTo(Source.ABLE);
        assertThat(e.requestId()).isEqualTo(r.header("Request-Id"));
        assertThat(e.name()).isEqualTo("purchase");
        assertThat(e.commerce().value()).isEqualByComparingTo("10");
        assertThat(e.commerce().currency()).isEqualTo("USD");
        assertThat(e.commerce().items()).singleElement().satisfies(i -> {
            assertThat(i.name()).isEqualTo("File download");
            assertThat(i.price()).isEqualByComparingTo("5");
            assertThat(i.quantity()).isEqualByComparingTo("2");
            assertThat(i.sku()).isEqualTo("DL1");
            assertThat(i.category()).isEqualTo("High-speed");
        });
        assertThat(e.identifiers()).containsExactly(new Identifier(IdentifierType.CLIENT_ID, "12354"));
        assertThat(e.person().email()).isNull(); // the seed's "email": "" is no email
        assertThat(e.idempotencyKey()).isNull(); // no order_id
        assertThat(e.rawPayload()).isEqualTo(body);

        Map<String, Object> log = onlyLogEntry(ws.token(), r);
        assertThat(log).containsEntry("outcome", "accepted").containsEntry("endpoint", path)
                .containsEntry("source", "able").containsEntry("event_id", id).containsEntry("event_name", "purchase")
                .containsEntry("email", null).containsEntry("workspace_id", ws.id())
                .containsEntry("http_status", 202).containsEntry("error", null)
                .containsEntry("payload", body);
    }

    @ParameterizedTest
    @ValueSource(strings = {EVENT, ALIAS})
    void thePayloadAndItsCustomDataAreKeptByteForByte(String path) throws Exception {
        Ws ws = newWorkspace();
        Funnel f = funnel(ws);
        String customData = "{\"n\": 1.50, \"big\": 12345678901234567890, \"s\": \"é\\u00e9\", \"nested\": {\"b\":2,\"a\":1}}";
        String body = """
                {
                  "funnel_mark": "%s",
                  "event_type": "Purchase",
                  "resource": {
                    "deal_value": 10,
                    "deal_currency": "USD",
                    "deal_items": [
                      {"name": "File download", "price": 5, "qty": 2, "sku": "DL1", "category": "High-speed"}
                    ],
                    "keys": {
                      "email": "",
                      "client_id": "12354"
                    },
                    "custom_data": %s
                  }
                }
                """.formatted(f.mark(), customData);
        assertThat(body).contains("\\u00e9"); // the escape itself, not é
        Response r = http.postJson(path, null, body);

        String id = assertAccepted(r);
        assertThat(onlyLogEntry(ws.token(), r).get("payload")).isEqualTo(body);
        Event e = server.store().events().find(ws.id(), id).orElseThrow();
        assertThat(e.rawPayload()).isEqualTo(body);
        Map<String, Object> sent = Json.MAPPER.readValue(customData, new TypeReference<>() { });
        assertThat(e.customData()).isEqualTo(sent);
        assertThat(e.customData().get("n")).isEqualTo(new BigDecimal("1.50"));
        assertThat(e.customData().get("big")).isEqualTo(new BigInteger("12345678901234567890"));
        assertThat(e.customData().get("s")).isEqualTo("éé");
        assertThat(map(e.customData().get("nested")).keySet()).containsExactly("b", "a");
        assertThat(e.commerce().items()).extracting(Item::quantity).containsExactly(new BigDecimal("2"));
    }

    @Test
    void everyResourceFieldIsStored() {
        Ws ws = newWorkspace();
        Funnel f = funnel(ws);
        String body = """
                {"funnel_mark": "%s", "event_type": "Lead", "event_time": 1677093110, "resource": {
                  "referrer_url": "https://www.google.com/", "utm_source": "google", "utm_medium": "cpc",
                  "utm_campaign": "spring", "utm_term": "shoes", "utm_content": "ad-a",
                  "event_source": "https://shop.example.com/contact", "order_id": 77,
                  "lead": {"firstName": "Jane", "lastName": "Doe", "company": "Acme"},
                  "message": "call me", "client": {"ip": "2001:DB8::1", "ua": "Mozilla/5.0"},
                  "keys": {"email": "Jane@Example.com", "phone": "(650) 555-1212", "gclid": ["g-1", "g-2"]}}}
                """.formatted(f.mark());
        Response r = http.postJson(EVENT, null, body);

        Event e = server.store().events().find(ws.id(), assertAccepted(r)).orElseThrow();
        assertThat(e.name()).isEqualTo("lead_generated");
        assertThat(e.eventTime()).hasToString("2023-02-22T19:11:50Z");
        assertThat(e.identifiers()).containsExactly(new Identifier(IdentifierType.PHONE, "16505551212"),
                new Identifier(IdentifierType.EMAIL, "jane@example.com"), new Identifier(IdentifierType.GCLID, "g-1"),
                new Identifier(IdentifierType.GCLID, "g-2"));
        assertThat(e.person().firstName()).isEqualTo("Jane");
        assertThat(e.person().lastName()).isEqualTo("Doe");
        assertThat(e.person().attributes()).containsEntry("company", "Acme").containsEntry("message", "call me");
        assertThat(e.context().ip()).isEqualTo("2001:db8::1");
        assertThat(e.context().userAgent()).isEqualTo("Mozilla/5.0");
        assertThat(e.context().referrer()).isEqualTo("https://www.google.com/");
        assertThat(e.context().pageUrl()).isEqualTo("https://shop.example.com/contact");
        assertThat(e.context().eventSource()).isEqualTo("https://shop.example.com/contact");
        assertThat(e.context().campaign().source()).isEqualTo("google");
        assertThat(e.context().campaign().name()).isEqualTo("spring");
        assertThat(e.commerce().orderId()).isEqualTo("77");
        assertThat(e.idempotencyKey()).isEqualTo("able:" + f.id() + ":lead_generated:77");
        assertThat(onlyLogEntry(ws.token(), r)).containsEntry("email", "jane@example.com")
                .containsEntry("event_name", "lead_generated");
    }

    // ---- visitor keys ----

    @ParameterizedTest
    @ValueSource(strings = {EVENT, ALIAS})
    void keysAreTakenAsAStringOrAnArray(String path) {
        Ws ws = newWorkspace();
        Funnel f = funnel(ws);
        Response asString = http.postJson(path, null, able(f, "Lead", "\"keys\":{\"email\":\" Jane@Example.com \"}"));
        Response asArray = http.postJson(path, null, able(f, "Lead",
                "\"keys\":{\"email\":[\"jane@example.com\",\"JANE.DOE@work.example\"],\"client_id\":[\"c-1\"]}"));

        assertThat(server.store().events().find(ws.id(), assertAccepted(asString)).orElseThrow().identifiers())
                .containsExactly(new Identifier(IdentifierType.EMAIL, "jane@example.com"));
        assertThat(server.store().events().find(ws.id(), assertAccepted(asArray)).orElseThrow().identifiers())
                .containsExactly(new Identifier(IdentifierType.EMAIL, "jane@example.com"),
                        new Identifier(IdentifierType.EMAIL, "jane.doe@work.example"),
                        new Identifier(IdentifierType.CLIENT_ID, "c-1"));
    }

    @Test
    void unknownKeysAndFieldsAreNamedInWarnings() {
        Ws ws = newWorkspace();
        Funnel f = funnel(ws);
        String body = able(f, "Lead", "\"keys\":{\"email\":\"a@example.com\",\"user_id\":\"7\"},\"tier\":\"gold\"");
        Response r = http.postJson(EVENT, null, body);

        Event e = server.store().events().find(ws.id(), assertAccepted(r)).orElseThrow();
        assertThat(r.json().get("warnings")).asList().containsExactlyInAnyOrder(
                "unknown field 'resource.keys.user_id' ignored (kept in the raw payload)",
                "unknown field 'resource.tier' ignored (kept in the raw payload)");
        assertThat(e.rawPayload()).isEqualTo(body);
    }

    // ---- refusals ----

    static Stream<Arguments> fieldRules() {
        return Stream.of(
                arguments("empty keys", "\"keys\":{}", "resource.keys", "invalid_value"),
                arguments("only unknown keys", "\"keys\":{\"user_id\":\"7\"}", "resource.keys", "invalid_value"),
                arguments("only blank keys", "\"keys\":{\"email\":\"\",\"phone\":\" \"}", "resource.keys", "invalid_value"),
                arguments("no keys", "\"deal_value\":1,\"deal_currency\":\"USD\"", "resource.keys", "missing_field"),
                arguments("keys not an object", "\"keys\":\"a@example.com\"", "resource.keys", "invalid_type"),
                arguments("invalid email key", "\"keys\":{\"email\":\"nope\"}", "resource.keys.email", "invalid_value"),
                arguments("deal_value without currency", "\"keys\":{\"client_id\":\"1\"},\"deal_value\":10",
                        "resource.deal_currency", "missing_field"),
                arguments("invalid currency", "\"keys\":{\"client_id\":\"1\"},\"deal_value\":10,\"deal_currency\":\"ZZZ\"",
                        "resource.deal_currency", "invalid_value"),
                arguments("non-numeric qty", "\"keys\":{\"client_id\":\"1\"},\"deal_value\":10,\"deal_currency\":\"USD\","
                        + "\"deal_items\":[{\"name\":\"A\",\"price\":5,\"qty\":\"two\"}]", "resource.deal_items[0].qty",
                        "invalid_type"),
                arguments("item without a name", "\"keys\":{\"client_id\":\"1\"},\"deal_value\":10,\"deal_currency\":\"USD\","
                        + "\"deal_items\":[{\"price\":5,\"qty\":2}]", "resource.deal_items[0].name", "missing_field"),
                arguments("only an invalid phone key", "\"keys\":{\"phone\":\"555-1234\"}", "resource.keys.phone",
                        "invalid_value"));
    }

    @ParameterizedTest(name = "[{index}] {0}")
    @MethodSource("fieldRules")
    void eachResourceRuleIs422NamingTheFieldAndIsLogged(String what, String resource, String param, String code) {
        Ws ws = newWorkspace();
        Funnel f = funnel(ws);
        String body = able(f, "Purchase", resource);
        Response r = http.postJson(EVENT, null, body);

        assertThat(assertError(r, 422, code)).containsEntry("param", param).containsEntry("type", "invalid_request_error");
        assertThat(server.store().events().count(ws.id())).isZero();
        Map<String, Object> entry = onlyLogEntry(ws.token(), r);
        assertThat(entry).containsEntry("outcome", "rejected").containsEntry("http_status", 422)
                .containsEntry("source", "able").containsEntry("endpoint", EVENT).containsEntry("payload", body);
        assertThat(map(entry.get("error"))).containsEntry("code", code).containsEntry("param", param);
    }

    static Stream<Arguments> topLevelRules() {
        return Stream.of(
                arguments("no resource", "{\"funnel_mark\":\"%s\",\"event_type\":\"Purchase\"}", "resource", "missing_field"),
                arguments("null resource", "{\"funnel_mark\":\"%s\",\"event_type\":\"Purchase\",\"resource\":null}",
                        "resource", "missing_field"),
                arguments("resource not an object", "{\"funnel_mark\":\"%s\",\"event_type\":\"Purchase\",\"resource\":[]}",
                        "resource", "invalid_type"),
                arguments("no event_type", "{\"funnel_mark\":\"%s\",\"resource\":{\"keys\":{\"client_id\":\"1\"}}}",
                        "event_type", "missing_field"),
                arguments("unknown event_type", "{\"funnel_mark\":\"%s\",\"event_type\":\"Serch\","
                        + "\"resource\":{\"keys\":{\"client_id\":\"1\"}}}", "event_type", "invalid_value"));
    }

    @ParameterizedTest(name = "[{index}] {0}")
    @MethodSource("topLevelRules")
    void eachTopLevelRuleIs422NamingTheField(String what, String template, String param, String code) {
        Ws ws = newWorkspace();
        String body = template.formatted(funnel(ws).mark());
        Response r = http.postJson(ALIAS, null, body);

        assertThat(assertError(r, 422, code)).containsEntry("param", param);
        assertThat(server.store().events().count(ws.id())).isZero();
        assertThat(onlyLogEntry(ws.token(), r)).containsEntry("payload", body).containsEntry("outcome", "rejected");
    }

    static Stream<Arguments> metaStandardEvents() {
        return io.touchpoint.core.ingest.AbleEventTypes.all().entrySet().stream()
                .map(e -> arguments(e.getKey(), e.getValue()));
    }

    /** Every Meta standard event, as Meta spells it, in lower case and in upper case, becomes its canonical name. */
    @ParameterizedTest(name = "[{index}] {0} → {1}")
    @MethodSource("metaStandardEvents")
    void everyMetaStandardEventIsAcceptedWhateverItsCase(String type, String canonical) {
        Ws ws = newWorkspace();
        Funnel f = funnel(ws);
        for (String sent : List.of(type, type.toLowerCase(java.util.Locale.ROOT), type.toUpperCase(java.util.Locale.ROOT))) {
            Response r = http.postJson(EVENT, null, able(f, sent, "\"keys\":{\"client_id\":\"c-" + sent + "\"}"));
            Event e = server.store().events().find(ws.id(), assertAccepted(r)).orElseThrow();
            assertThat(e.name()).as(sent).isEqualTo(canonical);
            assertThat(onlyLogEntry(ws.token(), r)).containsEntry("event_name", canonical);
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"Search", "AddToWishlist", "CustomizeProduct", "Donate", "FindLocation"})
    void theMetaEventsRefusedBeforeAreAccepted(String type) {
        Ws ws = newWorkspace();
        Response r = http.postJson(ALIAS, null, able(funnel(ws), type, "\"keys\":{\"email\":\"meta@example.com\"}"));
        Event e = server.store().events().find(ws.id(), assertAccepted(r)).orElseThrow();
        assertThat(e.name()).isEqualTo(type.replaceAll("([a-z])([A-Z])", "$1_$2").toLowerCase(java.util.Locale.ROOT));
    }

    @Test
    void anUnknownEventTypeNamesTheAcceptedOnes() {
        Ws ws = newWorkspace();
        Response r = http.postJson(EVENT, null, able(funnel(ws), "Checkout", "\"keys\":{\"client_id\":\"1\"}"));
        assertError(r, 422, "invalid_value");
        assertThat((String) r.json().get("message")).contains("'Checkout' is not accepted", "PageView",
                "CompleteRegistration", "Purchase", "Search", "AddToWishlist", "CustomizeProduct", "Donate", "FindLocation");
    }

    @ParameterizedTest
    @ValueSource(strings = {EVENT, ALIAS})
    void aMissingFunnelMarkIs422AndLogged(String path) {
        String body = "{\"event_type\":\"Purchase\",\"resource\":{\"keys\":{\"client_id\":\"1\"}}}";
        Response r = http.postJson(path, null, body);
        assertThat(assertError(r, 422, "missing_field")).containsEntry("param", "funnel_mark");

        Map<String, Object> entry = onlyLogEntry(ADMIN, r);
        assertThat(entry).containsEntry("outcome", "rejected").containsEntry("http_status", 422)
                .containsEntry("workspace_id", null).containsEntry("payload", body).containsEntry("source", "able");
        assertThat(map(entry.get("error"))).containsEntry("code", "missing_field").containsEntry("param", "funnel_mark");

        for (String blank : List.of("\"\"", "\"  \"", "null")) {
            assertThat(assertError(http.postJson(path, null, "{\"funnel_mark\":" + blank + ",\"event_type\":\"Lead\"}"),
                    422, "missing_field")).containsEntry("param", "funnel_mark");
        }
        assertThat(assertError(http.postJson(path, null, "{\"funnel_mark\":42,\"event_type\":\"Lead\"}"), 422,
                "invalid_type")).containsEntry("param", "funnel_mark");
    }

    @ParameterizedTest
    @ValueSource(strings = {EVENT, ALIAS})
    void anUnknownFunnelMarkIs401AndLogged(String path) {
        String body = Payloads.ableSeed("fm_no_such_funnel_mark");
        Response r = http.postJson(path, null, body);
        Map<String, Object> error = assertError(r, 401, "funnel_mark_invalid");
        assertThat(error).containsEntry("param", "funnel_mark").containsEntry("type", "authentication_error");

        Map<String, Object> entry = onlyLogEntry(ADMIN, r);
        assertThat(entry).containsEntry("outcome", "rejected").containsEntry("http_status", 401)
                .containsEntry("workspace_id", null).containsEntry("payload", body);
        assertThat(map(entry.get("error"))).containsEntry("code", "funnel_mark_invalid");
    }

    @Test
    void aFunnelRevokedThroughTheAdminApiIsRefusedAtOnce() {
        Ws ws = newWorkspace();
        Funnel doomed = funnel(ws);
        Funnel kept = funnel(ws);
        assertAccepted(http.postJson(EVENT, null, Payloads.ableSeed(doomed.mark()))); // now cached

        Response revoke = http.delete("/admin/v1/funnels/" + doomed.id(), ADMIN);
        assertThat(revoke.status()).as(revoke.body()).isEqualTo(200);

        for (String path : List.of(EVENT, ALIAS)) {
            Response r = http.postJson(path, null, Payloads.ableSeed(doomed.mark()));
            Map<String, Object> error = assertError(r, 401, "funnel_mark_revoked");
            assertThat(error).containsEntry("param", "funnel_mark").containsEntry("type", "authentication_error");
        }
        assertThat(server.store().events().count(ws.id())).isEqualTo(1);
        assertAccepted(http.postJson(EVENT, null, Payloads.ableSeed(kept.mark()))); // the other funnel still works
    }

    @Test
    void aFunnelRevokedBehindTheServersBackIsRefusedOnceTheCacheExpires() throws InterruptedException {
        Ws ws = newWorkspace();
        Funnel f = funnel(ws);
        assertAccepted(http.postJson(EVENT, null, Payloads.ableSeed(f.mark()))); // now cached

        server.workspaces().revokeFunnel(f.id(), ws.id()); // as the command line would, in another process
        Thread.sleep(FunnelResolver.CACHE_TTL.plusMillis(300));

        assertError(http.postJson(EVENT, null, Payloads.ableSeed(f.mark())), 401, "funnel_mark_revoked");
    }

    @Test
    void theFunnelMarkErrorsAreInTheErrorReference() {
        Ws ws = newWorkspace();
        Funnel f = funnel(ws);
        server.workspaces().revokeFunnel(f.id(), ws.id());
        Response reference = http.get("/docs/errors", null);
        assertThat(reference.status()).isEqualTo(200);
        for (Response r : List.of(http.postJson(EVENT, null, Payloads.ableSeed("fm_unknown")),
                http.postJson(EVENT, null, Payloads.ableSeed(f.mark())))) {
            Map<String, Object> error = r.error();
            String docUrl = (String) error.get("doc_url");
            assertThat(docUrl).startsWith(server.baseUrl() + "/docs/errors#" + error.get("code"));
            assertThat(reference.body()).contains("<a id=\"" + error.get("code") + "\"></a>`" + error.get("code") + "`");
        }
    }

    @Test
    void malformedBodiesAreRefusedAsOnEveryIngestRoute() {
        Ws ws = newWorkspace();
        Funnel f = funnel(ws);
        assertError(http.postJson(EVENT, null, "{\"funnel_mark\":"), 400, "malformed_json");
        assertError(http.postJson(EVENT, null, "[" + Payloads.ableSeed(f.mark()) + "]"), 400, "body_not_object");
        assertError(http.post(EVENT, null, "text/plain", Payloads.ableSeed(f.mark())), 415, "unsupported_media_type");
        assertError(http.send(http.request(EVENT).POST(HttpRequest.BodyPublishers.ofString(Payloads.ableSeed(f.mark())))
                .build()), 415, "unsupported_media_type");
        assertThat(server.store().events().count(ws.id())).isZero();
    }

    @ParameterizedTest
    @ValueSource(strings = {EVENT, ALIAS})
    void aWrongContentTypeIs415AndLoggedWithItsPayload(String path) {
        String body = Payloads.ableSeed(funnel(newWorkspace()).mark());
        for (String type : new String[] {"text/plain", null}) {
            Response r = http.post(path, null, type, body);
            assertError(r, 415, "unsupported_media_type");
            Map<String, Object> entry = onlyLogEntry(ADMIN, r);
            assertThat(entry).containsEntry("http_status", 415).containsEntry("outcome", "rejected")
                    .containsEntry("payload", body);
            assertThat(map(entry.get("error"))).containsEntry("code", "unsupported_media_type");
        }
    }

    // ---- one canonical event ----

    @Test
    void theSamePersonThroughEachDialectHasTheSameEmailIdentifiers() {
        Ws ws = newWorkspace();
        Funnel f = funnel(ws);
        Response cometly = http.postJson("/public-api/v1/events", ws.token(),
                "{\"event_name\":\"purchase\",\"email\":\"  Jane.Doe@Example.COM \",\"amount\":10,\"currency\":\"USD\"}");
        Response able = http.postJson(EVENT, null, able(f, "Purchase",
                "\"keys\":{\"email\":\"jane.doe@EXAMPLE.com\\t\"},\"deal_value\":10,\"deal_currency\":\"USD\""));

        Event c = server.store().events().find(ws.id(), assertAccepted(cometly)).orElseThrow();
        Event a = server.store().events().find(ws.id(), assertAccepted(able)).orElseThrow();
        assertThat(c.id()).isNotEqualTo(a.id());
        assertThat(c.source()).isEqualTo(Source.COMETLY);
        assertThat(a.source()).isEqualTo(Source.ABLE);
        assertThat(emails(a)).isEqualTo(emails(c)).containsExactly(new Identifier(IdentifierType.EMAIL, "jane.doe@example.com"));
        assertThat(a.person().email()).isEqualTo(c.person().email());
        assertThat(a.name()).isEqualTo(c.name());
        assertThat(a.commerce().value()).isEqualByComparingTo(c.commerce().value());
        assertThat(a.commerce().currency()).isEqualTo(c.commerce().currency());
    }

    // ---- idempotency: order_id + event_type within a funnel ----

    @Test
    void aRepeatedOrderAndEventTypeInOneFunnelIsADuplicate() {
        Ws ws = newWorkspace();
        Funnel f = funnel(ws);
        String body = able(f, "Purchase", "\"keys\":{\"client_id\":\"1\"},\"order_id\":\"ord-1\",\"deal_value\":10,"
                + "\"deal_currency\":\"USD\"");
        Response first = http.postJson(EVENT, null, body);
        Response second = http.postJson(ALIAS, null, body.replace("\"client_id\":\"1\"", "\"client_id\":\"2\""));

        String id = assertAccepted(first);
        assertThat(second.status()).as(second.body()).isEqualTo(202);
        assertThat(second.json()).containsEntry("outcome", "duplicate").containsEntry("id", id);
        assertThat((String) second.json().get("message")).contains("duplicate");
        assertThat(server.store().events().count(ws.id())).isEqualTo(1);
        assertThat(onlyLogEntry(ws.token(), second)).containsEntry("outcome", "duplicate").containsEntry("event_id", id);
        assertThat(server.store().events().find(ws.id(), id).orElseThrow().identifiers())
                .containsExactly(new Identifier(IdentifierType.CLIENT_ID, "1"));
    }

    @Test
    void theSameOrderInTwoFunnelsOfOneWorkspaceIsTwoEvents() {
        Ws ws = newWorkspace();
        String resource = "\"keys\":{\"client_id\":\"1\"},\"order_id\":\"ord-1\"";
        Response one = http.postJson(EVENT, null, able(funnel(ws), "Purchase", resource));
        Response two = http.postJson(EVENT, null, able(funnel(ws), "Purchase", resource));

        assertThat(assertAccepted(one)).isNotEqualTo(assertAccepted(two));
        assertThat(server.store().events().count(ws.id())).isEqualTo(2);
    }

    @Test
    void anotherEventTypeOfTheSameOrderIsAnotherEvent() {
        Ws ws = newWorkspace();
        Funnel f = funnel(ws);
        String resource = "\"keys\":{\"client_id\":\"1\"},\"order_id\":\"ord-1\"";
        assertAccepted(http.postJson(EVENT, null, able(f, "InitiateCheckout", resource)));
        assertAccepted(http.postJson(EVENT, null, able(f, "Purchase", resource)));
        assertThat(server.store().events().count(ws.id())).isEqualTo(2);
    }

    @Test
    void anExplicitIdempotencyKeyWinsOverTheOrder() {
        Ws ws = newWorkspace();
        Funnel f = funnel(ws);
        String resource = "\"keys\":{\"client_id\":\"1\"},\"order_id\":\"ord-";
        String first = able(f, "Purchase", resource + "1\"").replaceFirst("\\{", "{\"idempotency_key\":\"k-9\",");
        String second = able(funnel(ws), "Purchase", resource + "2\"").replaceFirst("\\{", "{\"idempotency_key\":\"k-9\",");
        String id = assertAccepted(http.postJson(EVENT, null, first));
        Response dup = http.postJson(EVENT, null, second);
        assertThat(dup.json()).containsEntry("outcome", "duplicate").containsEntry("id", id);
        assertThat(server.store().events().find(ws.id(), id).orElseThrow().idempotencyKey()).isEqualTo("k-9");
    }

    @Test
    void ordersWithoutAnOrderIdAreNeverDuplicates() {
        Ws ws = newWorkspace();
        Funnel f = funnel(ws);
        assertAccepted(http.postJson(EVENT, null, Payloads.ableSeed(f.mark())));
        assertAccepted(http.postJson(EVENT, null, Payloads.ableSeed(f.mark())));
        assertThat(server.store().events().count(ws.id())).isEqualTo(2);
    }

    // ---- tenancy ----

    @Test
    void aFunnelMarkWritesIntoItsOwnWorkspaceOnly() {
        Ws a = newWorkspace();
        Ws b = newWorkspace();
        Funnel fa = funnel(a);
        funnel(b);
        Response r = http.postJson(EVENT, null, Payloads.ableSeed(fa.mark()));

        String id = assertAccepted(r);
        assertThat(server.store().events().find(a.id(), id)).isPresent();
        assertThat(server.store().events().find(b.id(), id)).isEmpty();
        assertThat(server.store().events().count(b.id())).isZero();
        assertThat(http.get("/api/v1/events-log/" + r.header("Request-Id"), b.token()).status()).isEqualTo(404);
        assertThat(list(http.get("/api/v1/events-log", b.token()).json().get("data"))).isEmpty();
    }

    @Test
    void aTokenOfAnotherWorkspaceIs403() {
        Ws a = newWorkspace();
        Ws b = newWorkspace();
        Funnel fa = funnel(a);
        Response r = http.postJson(EVENT, b.token(), Payloads.ableSeed(fa.mark()));

        assertThat(assertError(r, 403, "wrong_workspace")).containsEntry("type", "permission_error");
        assertThat(server.store().events().count(a.id())).isZero();
        assertThat(server.store().events().count(b.id())).isZero();
        assertThat(onlyLogEntry(a.token(), r)).containsEntry("http_status", 403).containsEntry("workspace_id", a.id());
    }

    @Test
    void aValidTokenOfTheFunnelsWorkspaceIsAccepted() {
        Ws a = newWorkspace();
        Funnel fa = funnel(a);
        CreatedToken ingestOnly = server.workspaces().createToken(a.id(), "able", Set.of(Scope.INGEST));
        for (String token : List.of(a.token(), ingestOnly.secret())) {
            String id = assertAccepted(http.postJson(ALIAS, token, Payloads.ableSeed(fa.mark())));
            assertThat(server.store().events().find(a.id(), id)).isPresent();
        }
    }

    @Test
    void aReadOnlyTokenOfTheFunnelsWorkspaceIs403() {
        Ws a = newWorkspace();
        Funnel fa = funnel(a);
        CreatedToken readOnly = server.workspaces().createToken(a.id(), "reporting", Set.of(Scope.READ));
        assertError(http.postJson(EVENT, readOnly.secret(), Payloads.ableSeed(fa.mark())), 403, "insufficient_scope");
        assertThat(server.store().events().count(a.id())).isZero();
    }

    @Test
    void anInvalidOrRevokedTokenIs401EvenWithAValidMark() {
        Ws a = newWorkspace();
        Funnel fa = funnel(a);
        CreatedToken t = server.workspaces().createToken(a.id(), "soon revoked", Scope.ALL);
        assertThat(http.delete("/admin/v1/tokens/" + t.token().id(), ADMIN).status()).isEqualTo(200);

        assertError(http.postJson(EVENT, "tp_no_such_token_0123456789", Payloads.ableSeed(fa.mark())), 401, "token_invalid");
        assertError(http.postJson(EVENT, t.secret(), Payloads.ableSeed(fa.mark())), 401, "token_revoked");
        assertThat(server.store().events().count(a.id())).isZero();
    }

    // ---- helpers ----

    private Funnel funnel(Ws ws) {
        return server.workspaces().createFunnel(ws.id(), "funnel-" + ws.name() + "-"
                + server.workspaces().funnels(ws.id()).size());
    }

    /** A body with this funnel's mark, the event type and the given resource fields (JSON text without braces). */
    private static String able(Funnel f, String eventType, String resourceFields) {
        return "{\"funnel_mark\":\"" + f.mark() + "\",\"event_type\":\"" + eventType + "\",\"resource\":{"
                + resourceFields + "}}";
    }

    private static List<Identifier> emails(Event e) {
        List<Identifier> out = new ArrayList<>();
        for (Identifier i : e.identifiers()) if (i.type() == IdentifierType.EMAIL) out.add(i);
        return out;
    }

    private Map<String, Object> onlyLogEntry(String token, Response r) {
        String requestId = r.header("Request-Id");
        Response log = http.get("/api/v1/events-log/" + requestId, token);
        assertThat(log.status()).as(log.body()).isEqualTo(200);
        List<Map<String, Object>> data = list(log.json().get("data"));
        assertThat(data).hasSize(1);
        Map<String, Object> entry = data.get(0);
        assertThat(entry).containsEntry("request_id", requestId).containsEntry("item_index", 0);
        return entry;
    }
}
