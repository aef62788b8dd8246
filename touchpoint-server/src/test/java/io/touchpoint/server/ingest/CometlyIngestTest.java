package io.touchpoint.server.ingest;

import io.touchpoint.core.model.Event;
import io.touchpoint.core.model.Identifier;
import io.touchpoint.core.model.IdentifierType;
import io.touchpoint.server.support.HttpTestClient.Response;
import io.touchpoint.server.support.Payloads;
import io.touchpoint.server.support.ServerTest;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.math.BigDecimal;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static io.touchpoint.server.support.AcceptedAssert.assertAccepted;
import static org.assertj.core.api.Assertions.assertThat;

/** docs/WIRE-FORMATS.md: the Cometly events API on both of its paths, read back from the store and the events log. */
class CometlyIngestTest extends ServerTest {
    private static final String EVENTS = "/public-api/v1/events";
    private static final String TRACK = "/public-api/v1/events/track";

    @ParameterizedTest
    @ValueSource(strings = {EVENTS, TRACK})
    void seedExampleIsAcceptedStoredAndLogged(String path) {
        Ws ws = newWorkspace();
        Response r = http.postJson(path, ws.token(), Payloads.SEED_EXAMPLE);

        String id = assertAccepted(r);
        Event e = server.store().events().find(ws.id(), id).orElseThrow();
        assertThat(e.workspaceId()).isEqualTo(ws.id());
        assertThat(e.requestId()).isEqualTo(r.header("Request-Id"));
        assertThat(e.name()).isEqualTo("lead_generated");
        assertThat(e.person().email()).isEqualTo("developers@cometly.com");
        assertThat(e.person().firstName()).isEqualTo("John");
        assertThat(e.person().lastName()).isEqualTo("Smith");
        assertThat(e.commerce().value()).isEqualByComparingTo(new BigDecimal(34));
        assertThat(e.commerce().currency()).isEqualTo("USD"); // the workspace's default
        assertThat(e.eventTime()).isEqualTo(Instant.parse("2023-02-22T19:11:50Z"));
        assertThat(e.context().ip()).isEqualTo("123.123.123.123");
        assertThat(e.context().userAgent()).startsWith("Mozilla/5.0 (Macintosh;").endsWith("Safari/605.1.15");
        assertThat(e.identifiers()).contains(
                new Identifier(IdentifierType.EMAIL, "developers@cometly.com"),
                new Identifier(IdentifierType.VISITOR_TOKEN, "ddffd8d8338383883838484843838388d8df8f"),
                new Identifier(IdentifierType.FINGERPRINT, "abcdef1234567890"));
        assertThat(e.rawPayload()).isEqualTo(Payloads.SEED_EXAMPLE);

        Map<String, Object> log = onlyLogEntry(ws, r);
        assertThat(log).containsEntry("outcome", "accepted").containsEntry("endpoint", path)
                .containsEntry("event_id", id).containsEntry("event_name", "lead_generated")
                .containsEntry("email", "developers@cometly.com").containsEntry("workspace_id", ws.id())
                .containsEntry("http_status", 202).containsEntry("error", null)
                .containsEntry("payload", Payloads.SEED_EXAMPLE);
    }

    @ParameterizedTest
    @ValueSource(strings = {EVENTS, TRACK})
    void minimumPayloadIsAcceptedWithEventTimeDefaultingToReceipt(String path) {
        Ws ws = newWorkspace();
        Instant before = Instant.now();
        Response r = http.postJson(path, ws.token(), Payloads.MINIMUM);
        Instant after = Instant.now();

        String id = assertAccepted(r);
        Event e = server.store().events().find(ws.id(), id).orElseThrow();
        assertThat(e.name()).isEqualTo("lead_generated");
        assertThat(e.person().email()).isEqualTo("developers@cometly.com");
        assertThat(e.identifiers()).containsExactly(new Identifier(IdentifierType.EMAIL, "developers@cometly.com"));
        assertThat(e.eventTime()).isBetween(before.minusMillis(1), after.plusMillis(1));
        assertThat(e.commerce().value()).isNull();
        assertThat(r.json()).doesNotContainKey("warnings");

        assertThat(onlyLogEntry(ws, r)).containsEntry("outcome", "accepted").containsEntry("event_id", id)
                .containsEntry("payload", Payloads.MINIMUM);
    }

    @ParameterizedTest
    @ValueSource(strings = {EVENTS, TRACK})
    void emailIsStoredTrimmedAndLowerCased(String path) {
        Ws ws = newWorkspace();
        String body = "{\"event_name\":\"purchase\",\"email\":\"  Developers@Cometly.COM \"}";
        Response r = http.postJson(path, ws.token(), body);

        Event e = server.store().events().find(ws.id(), assertAccepted(r)).orElseThrow();
        assertThat(e.person().email()).isEqualTo("developers@cometly.com");
        assertThat(e.identifier(IdentifierType.EMAIL)).isEqualTo("developers@cometly.com");
        assertThat(e.rawPayload()).isEqualTo(body);
        assertThat(onlyLogEntry(ws, r)).containsEntry("email", "developers@cometly.com").containsEntry("payload", body);
    }

    @ParameterizedTest
    @ValueSource(strings = {EVENTS, TRACK})
    void fieldsAreNormalised(String path) {
        Ws ws = newWorkspace();
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("event_name", "purchase");
        body.put("comet_token", "tok-1");
        body.put("phone", "(650)555-1212");
        body.put("ip", "2001:DB8:0:0:0:0:0:1");
        body.put("amount", "19.90");
        body.put("currency", "eur");
        body.put("event_time", "2024-05-01T12:00:00Z");
        body.put("order_id", 12345);
        body.put("do_not_capi", true);
        body.put("comet_campaign", "spring");
        Response r = http.postJson(path, ws.token(), json(body));

        Event e = server.store().events().find(ws.id(), assertAccepted(r)).orElseThrow();
        assertThat(e.person().phone()).isEqualTo("16505551212");
        assertThat(e.identifiers()).contains(new Identifier(IdentifierType.PHONE, "16505551212"),
                new Identifier(IdentifierType.VISITOR_TOKEN, "tok-1"));
        assertThat(e.context().ip()).isEqualTo("2001:db8::1");
        assertThat(e.commerce().value()).isEqualByComparingTo("19.9");
        assertThat(e.commerce().currency()).isEqualTo("EUR");
        assertThat(e.commerce().orderId()).isEqualTo("12345");
        assertThat(e.eventTime()).isEqualTo(Instant.parse("2024-05-01T12:00:00Z"));
        assertThat(e.doNotForward()).isTrue();
        assertThat(e.context().campaign().name()).isEqualTo("spring");
    }

    @ParameterizedTest
    @ValueSource(strings = {EVENTS, TRACK})
    void eventTimeInMillisecondsIsAccepted(String path) {
        Ws ws = newWorkspace();
        Response r = http.postJson(path, ws.token(),
                "{\"event_name\":\"sign_up\",\"email\":\"a@example.com\",\"event_time\":1677093110000}");
        Event e = server.store().events().find(ws.id(), assertAccepted(r)).orElseThrow();
        assertThat(e.eventTime()).isEqualTo(Instant.parse("2023-02-22T19:11:50Z"));
    }

    @ParameterizedTest
    @ValueSource(strings = {EVENTS, TRACK})
    void unknownFieldsAreNamedInWarningsAndKeptInTheRawPayload(String path) {
        Ws ws = newWorkspace();
        String body = "{\"event_name\":\"lead_generated\",\"email\":\"a@example.com\",\"favourite_colour\":\"green\"}";
        Response r = http.postJson(path, ws.token(), body);

        Event e = server.store().events().find(ws.id(), assertAccepted(r)).orElseThrow();
        assertThat(r.json().get("warnings")).asList().singleElement().asString().contains("favourite_colour");
        assertThat(e.rawPayload()).isEqualTo(body);
    }

    private Map<String, Object> onlyLogEntry(Ws ws, Response r) {
        String requestId = r.header("Request-Id");
        Response log = http.get("/api/v1/events-log/" + requestId, ws.token());
        assertThat(log.status()).as(log.body()).isEqualTo(200);
        List<Map<String, Object>> data = list(log.json().get("data"));
        assertThat(data).hasSize(1);
        Map<String, Object> entry = data.get(0);
        assertThat(entry).containsEntry("request_id", requestId).containsEntry("item_index", 0);
        return entry;
    }
}
