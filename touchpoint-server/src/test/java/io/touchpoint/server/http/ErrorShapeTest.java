package io.touchpoint.server.http;

import io.touchpoint.server.support.HttpTestClient.Response;
import io.touchpoint.server.support.Payloads;
import io.touchpoint.server.support.ServerTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import java.io.ByteArrayInputStream;
import java.net.http.HttpRequest;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import static io.touchpoint.server.support.ErrorAssert.assertError;
import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.params.provider.Arguments.arguments;

/** The status codes and the one error shape (docs/ERRORS.md); every refusal is in the events log. */
class ErrorShapeTest extends ServerTest {
    private static final String EVENTS = "/public-api/v1/events";
    private static final int ONE_MB = 1024 * 1024;

    static Stream<Arguments> fieldRules() {
        long inAnHour = Instant.now().plusSeconds(3600).getEpochSecond();
        return Stream.of(
                arguments("{\"email\":\"a@example.com\"}", "event_name", "missing_field"),
                arguments("{\"event_name\":\"\",\"email\":\"a@example.com\"}", "event_name", "missing_field"),
                arguments("{\"event_name\":\"lead\",\"email\":\"a@example.com\"}", "event_name", "invalid_value"),
                arguments("{\"event_name\":42,\"email\":\"a@example.com\"}", "event_name", "invalid_value"),
                arguments("{\"event_name\":\"purchase\",\"email\":\"not-an-email\"}", "email", "invalid_value"),
                arguments("{\"event_name\":\"purchase\",\"email\":[\"a@example.com\"]}", "email", "invalid_type"),
                // an optional field breaking its rule refuses the event only when nothing valid identifies it (else it is dropped)
                arguments("{\"event_name\":\"purchase\",\"phone\":\"call me\"}", "phone", "invalid_value"),
                arguments("{\"event_name\":\"purchase\",\"phone\":\"12\"}", "phone", "invalid_value"),
                arguments("{\"event_name\":\"purchase\",\"fingerprint\":\"abc\",\"ip\":\"999.1.1.1\"}", "ip", "invalid_value"),
                arguments("{\"event_name\":\"purchase\",\"fingerprint\":\"abc\",\"ip\":\"localhost\"}", "ip", "invalid_value"),
                arguments("{\"event_name\":\"purchase\",\"email\":\"a@example.com\",\"event_time\":" + inAnHour + "}", "event_time", "invalid_value"),
                arguments("{\"event_name\":\"purchase\",\"email\":\"a@example.com\",\"event_time\":\"yesterday\"}", "event_time", "invalid_value"),
                arguments("{\"event_name\":\"purchase\",\"email\":\"a@example.com\",\"event_time\":86400}", "event_time", "invalid_value"),
                arguments("{\"event_name\":\"purchase\",\"email\":\"a@example.com\",\"amount\":-1}", "amount", "invalid_value"),
                arguments("{\"event_name\":\"purchase\",\"email\":\"a@example.com\",\"amount\":\"lots\"}", "amount", "invalid_type"),
                arguments("{\"event_name\":\"purchase\",\"email\":\"a@example.com\",\"currency\":\"ZZZ\"}", "currency", "invalid_value"),
                arguments("{\"event_name\":\"purchase\",\"email\":\"a@example.com\",\"currency\":\"dollars\"}", "currency", "invalid_value"),
                arguments("{\"event_name\":\"purchase\",\"email\":\"a@example.com\",\"do_not_capi\":\"maybe\"}", "do_not_capi", "invalid_type"),
                arguments("{\"event_name\":\"purchase\",\"email\":\"a@example.com\",\"do_not_capi\":1}", "do_not_capi", "invalid_type"),
                arguments("{\"event_name\":\"purchase\",\"first_name\":\"Jo\"}", "email", "identity_required"),
                arguments("{\"event_name\":\"purchase\",\"fingerprint\":\"abc\"}", "ip", "identity_required"),
                arguments("{\"event_name\":\"purchase\",\"ip\":\"1.2.3.4\"}", "fingerprint", "identity_required"),
                arguments("{\"event_name\":\"purchase\",\"email\":\"  \"}", "email", "identity_required"));
    }

    @ParameterizedTest
    @MethodSource("fieldRules")
    void eachFieldRuleIs422NamingTheFieldAndIsLogged(String body, String param, String code) {
        Ws ws = newWorkspace();
        Response r = http.postJson(EVENTS, ws.token(), body);

        Map<String, Object> error = assertError(r, 422, code);
        assertThat(error).containsEntry("param", param).containsEntry("type", "invalid_request_error");
        assertThat(server.store().events().count(ws.id())).isZero();
        Map<String, Object> entry = loggedRefusal(ws, r);
        assertThat(entry).containsEntry("http_status", 422).containsEntry("payload", body);
        assertThat(map(entry.get("error"))).containsEntry("code", code).containsEntry("param", param);
    }

    @Test
    void theIdentityErrorSaysWhichCombinationsWouldBeAccepted() {
        Ws ws = newWorkspace();
        Response r = http.postJson(EVENTS, ws.token(), "{\"event_name\":\"purchase\"}");
        assertError(r, 422, "identity_required");
        assertThat((String) r.json().get("message")).contains("email", "fingerprint and ip", "comet_token");
    }

    @Test
    void severalBrokenRulesAreAllListed() {
        Ws ws = newWorkspace();
        Response r = http.postJson(EVENTS, ws.token(),
                "{\"event_name\":\"nope\",\"email\":\"a@example.com\",\"amount\":-5,\"currency\":\"QQQ\"}");
        Map<String, Object> error = assertError(r, 422, "invalid_value");
        assertThat(error).containsEntry("param", "event_name");
        assertThat(list(error.get("details"))).extracting(d -> d.get("param"))
                .containsExactly("event_name", "amount", "currency");
    }

    @Test
    void malformedJsonIs400AndLogged() {
        Ws ws = newWorkspace();
        String body = "{\"event_name\":\"purchase\",\"email\":";
        Response r = http.postJson(EVENTS, ws.token(), body);
        assertError(r, 400, "malformed_json");
        assertThat(map(loggedRefusal(ws, r).get("error"))).containsEntry("code", "malformed_json");
        assertThat(loggedRefusal(ws, r)).containsEntry("payload", body).containsEntry("http_status", 400);
    }

    @Test
    void aTopLevelArrayIs400AndLogged() {
        Ws ws = newWorkspace();
        String body = "[{\"event_name\":\"purchase\",\"email\":\"a@example.com\"}]";
        Response r = http.postJson(EVENTS, ws.token(), body);
        assertError(r, 400, "body_not_object");
        assertThat(loggedRefusal(ws, r)).containsEntry("payload", body);
        assertThat(server.store().events().count(ws.id())).isZero();
    }

    @Test
    void duplicateKeysAreMalformed() {
        Ws ws = newWorkspace();
        Response r = http.postJson(EVENTS, ws.token(),
                "{\"event_name\":\"purchase\",\"email\":\"a@example.com\",\"email\":\"b@example.com\"}");
        assertError(r, 400, "malformed_json");
    }

    @Test
    void aSingleEventOverOneMegabyteIs413AndLogged() {
        Ws ws = newWorkspace();
        Response r = http.postJson(EVENTS, ws.token(), bigEvent(ONE_MB + 1));
        assertError(r, 413, "body_too_large");
        assertThat(map(loggedRefusal(ws, r).get("error"))).containsEntry("code", "body_too_large");
        assertThat(server.store().events().count(ws.id())).isZero();
    }

    @Test
    void aChunkedBodyOverOneMegabyteIs413() {
        Ws ws = newWorkspace();
        byte[] big = bigEvent(ONE_MB + 1).getBytes(StandardCharsets.UTF_8);
        Response r = http.send(http.request(EVENTS).header("Authorization", "Bearer " + ws.token())
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofInputStream(() -> new ByteArrayInputStream(big))).build());
        assertError(r, 413, "body_too_large");
    }

    @Test
    void anEventOfJustUnderOneMegabyteIsAccepted() {
        Ws ws = newWorkspace();
        Response r = http.postJson(EVENTS, ws.token(), bigEvent(ONE_MB));
        assertThat(r.status()).as(r.body()).isEqualTo(202);
        assertThat(r.json().get("warnings")).asList().hasSize(1);
    }

    @Test
    void textPlainIs415AndLogged() {
        Ws ws = newWorkspace();
        Response r = http.post(EVENTS, ws.token(), "text/plain", Payloads.MINIMUM);
        assertError(r, 415, "unsupported_media_type");
        Map<String, Object> entry = loggedRefusal(ws, r);
        assertThat(map(entry.get("error"))).containsEntry("code", "unsupported_media_type");
        assertThat(entry).containsEntry("payload", Payloads.MINIMUM);
        assertThat(server.store().events().count(ws.id())).isZero();
    }

    @Test
    void aMissingContentTypeIs415AndLogged() {
        Ws ws = newWorkspace();
        Response r = http.post(EVENTS, ws.token(), null, Payloads.MINIMUM);
        assertError(r, 415, "unsupported_media_type");
        assertThat(loggedRefusal(ws, r)).containsEntry("payload", Payloads.MINIMUM);
    }

    @Test
    void jsonWithACharsetOrAJsonSuffixIsAccepted() {
        Ws ws = newWorkspace();
        String body = Payloads.MINIMUM;
        assertThat(http.post(EVENTS, ws.token(), "application/json; charset=utf-8", body).status()).isEqualTo(202);
        assertThat(http.post(EVENTS, ws.token(), "application/vnd.api+json", body).status()).isEqualTo(202);
    }

    @Test
    void unknownEndpointsAnswerInTheSameShape() {
        assertError(http.get("/public-api/v1/nothing-here", null), 404, "not_found");
    }

    @Test
    void docUrlsPointAtTheErrorReference() {
        Response r = http.postJson(EVENTS, null, "{}");
        String doc = (String) assertError(r, 401, "token_missing").get("doc_url");
        assertThat(doc).startsWith(server.baseUrl() + "/docs/errors#");
        assertThat(http.get(doc.substring(server.baseUrl().length(), doc.indexOf('#')), null).status()).isEqualTo(200);
    }

    private Map<String, Object> loggedRefusal(Ws ws, Response r) {
        Response log = http.get("/api/v1/events-log/" + r.header("Request-Id"), ws.token());
        assertThat(log.status()).as(log.body()).isEqualTo(200);
        List<Map<String, Object>> data = list(log.json().get("data"));
        assertThat(data).hasSize(1);
        assertThat(data.get(0)).containsEntry("outcome", "rejected").containsEntry("request_id", r.header("Request-Id"))
                .containsEntry("workspace_id", ws.id()).containsEntry("event_id", null);
        return data.get(0);
    }

    /** A valid event whose JSON text is exactly {@code bytes} long (ASCII), padded with an unknown field. */
    private static String bigEvent(int bytes) {
        String head = "{\"event_name\":\"lead_generated\",\"email\":\"a@example.com\",\"padding\":\"";
        String tail = "\"}";
        return head + "x".repeat(bytes - head.length() - tail.length()) + tail;
    }
}
