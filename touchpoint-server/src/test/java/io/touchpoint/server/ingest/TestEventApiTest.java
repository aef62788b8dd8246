package io.touchpoint.server.ingest;

import io.touchpoint.core.model.Event;
import io.touchpoint.core.model.EventNames;
import io.touchpoint.server.support.HttpTestClient.Response;
import io.touchpoint.server.support.ServerTest;
import io.touchpoint.server.support.TestServer;
import org.junit.jupiter.api.Test;

import java.net.http.HttpRequest;
import java.util.Map;

import static io.touchpoint.server.support.ErrorAssert.assertError;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * The setup page's "send a test event": a real event through the ingest path, visible in the events log under
 * the answer's request id, and never a conversion.
 */
class TestEventApiTest extends ServerTest {
    private static final String ADMIN = TestServer.ADMIN_TOKEN;

    private static String path(Ws ws) {
        return "/admin/v1/workspaces/" + ws.id() + "/test-events";
    }

    @Test
    void aTestEventIsStoredDurablyAndAppearsInTheEventsLog() {
        Ws ws = newWorkspace();
        Response r = http.postJson(path(ws), ADMIN, "");
        assertThat(r.status()).as(r.body()).isEqualTo(202);
        String eventId = (String) r.json().get("event_id");
        assertThat(r.json()).containsEntry("outcome", "accepted").containsEntry("event_name", "test_event")
                .containsEntry("id", eventId).containsEntry("workspace_id", ws.id())
                .containsEntry("request_id", r.header("Request-Id"));

        Event stored = server.store().events().find(ws.id(), eventId).orElseThrow(); // committed before the answer
        assertThat(stored.name()).isEqualTo(EventNames.TEST_EVENT);
        assertThat(stored.doNotForward()).as("never sent to ad platforms").isTrue();
        assertThat(stored.requestId()).isEqualTo(r.header("Request-Id"));

        Response log = http.get("/api/v1/events-log?workspace=" + ws.id() + "&request_id=" + r.header("Request-Id"), ADMIN);
        assertThat(log.status()).as(log.body()).isEqualTo(200);
        Map<String, Object> entry = list(log.json().get("data")).get(0);
        assertThat(entry).containsEntry("outcome", "accepted").containsEntry("event_name", "test_event")
                .containsEntry("event_id", eventId).containsEntry("endpoint", TestEventRoutes.TEST_EVENTS)
                .containsEntry("workspace_id", ws.id());
        // what the workspace's own token sees too: it is that workspace's event
        assertThat(list(http.get("/api/v1/events-log?event_name=test_event", ws.token()).json().get("data")))
                .extracting(e -> e.get("event_id")).containsExactly(eventId);
    }

    @Test
    void theBodyMayNameTheVisitorAndNothingElse() {
        Ws ws = newWorkspace();
        Response r = http.postJson(path(ws), ADMIN, json(Map.of("email", " Setup@Example.COM ", "amount", 500,
                "event_name", "purchase")));
        assertThat(r.status()).as(r.body()).isEqualTo(202);
        assertThat(r.json().get("warnings").toString()).contains("amount").contains("event_name");
        Response logged = http.get("/api/v1/events-log/" + r.header("Request-Id") + "?workspace=" + ws.id(), ADMIN);
        assertThat(list(logged.json().get("data")).get(0)).containsEntry("warnings", r.json().get("warnings"));
        Event stored = server.store().events().find(ws.id(), (String) r.json().get("event_id")).orElseThrow();
        assertThat(stored.name()).isEqualTo("test_event");
        assertThat(stored.person().email()).isEqualTo("setup@example.com");
        assertThat(stored.commerce().value()).isNull();

        // the test event's own visitor token identifies it: an invalid email is dropped and named, as on every route
        Response bad = http.postJson(path(ws), ADMIN, json(Map.of("email", "not-an-email")));
        assertThat(bad.status()).as(bad.body()).isEqualTo(202);
        assertThat(bad.json().get("warnings").toString()).contains("invalid field 'email' dropped");
        Response log = http.get("/api/v1/events-log/" + bad.header("Request-Id") + "?workspace=" + ws.id(), ADMIN);
        Map<String, Object> entry = list(log.json().get("data")).get(0);
        assertThat(entry).containsEntry("outcome", "accepted").containsEntry("http_status", 202);
        assertThat(entry.get("warnings").toString()).contains("invalid field 'email' dropped");
    }

    @Test
    void aTestEventIsNeverAConversion() throws InterruptedException {
        Ws ws = newWorkspace();
        Response purchase = http.postJson("/public-api/v1/events", ws.token(), "{\"event_name\":\"purchase\","
                + "\"comet_token\":\"tpv.buyer\",\"comet_source\":\"facebook\",\"amount\":40}");
        assertThat(purchase.status()).as(purchase.body()).isEqualTo(202);
        Response test = http.postJson(path(ws), ADMIN, json(Map.of("comet_token", "tpv.buyer")));
        assertThat(test.status()).as(test.body()).isEqualTo(202);
        awaitProcessed();

        String testId = (String) test.json().get("event_id");
        assertError(http.get("/api/v1/conversions/" + testId + "/attribution", ws.token()), 404, "not_found");
        assertThat(http.get("/api/v1/conversions/" + purchase.json().get("id") + "/attribution", ws.token()).status())
                .as("the real purchase is one").isEqualTo(200);
        Response report = http.get("/api/v1/reports/attribution?model=last_touch", ws.token());
        assertThat(report.status()).as(report.body()).isEqualTo(200);
        assertThat(map(map(report.json().get("data")).get("totals"))).containsEntry("conversions", 1)
                .containsEntry("revenue", 40.0);
        Map<String, Object> entry = list(http.get("/api/v1/events-log/" + test.header("Request-Id"), ws.token())
                .json().get("data")).get(0);
        assertThat(entry).containsEntry("attribution", null);
        // nor can a workspace make it one: a conversion list takes only real event names
        Response settings = http.send(http.request("/admin/v1/workspaces/" + ws.id() + "/attribution")
                .header("Authorization", "Bearer " + ADMIN).header("Content-Type", "application/json")
                .PUT(HttpRequest.BodyPublishers.ofString("{\"conversion_events\":[\"test_event\"]}")).build());
        assertThat(settings.status()).as(settings.body()).isEqualTo(422);
    }

    @Test
    void theCookieNeedsItsCsrfTokenAndARefusedCallIsNotAnIngestRequest() {
        Ws ws = newWorkspace();
        Response signIn = http.postJson("/admin/v1/session", null, json(Map.of("admin_token", ADMIN)));
        String cookie = signIn.header("Set-Cookie").split(";")[0];
        String csrf = (String) signIn.json().get("csrf_token");

        Response refused = http.send(http.request(path(ws)).header("Cookie", cookie)
                .POST(HttpRequest.BodyPublishers.noBody()).build());
        assertError(refused, 403, "csrf_token_invalid");
        assertThat(http.get("/api/v1/events-log/" + refused.header("Request-Id"), ADMIN).status()).isEqualTo(404);
        assertThat(list(http.get("/api/v1/events-log", ws.token()).json().get("data"))).isEmpty();

        Response sent = http.send(http.request(path(ws)).header("Cookie", cookie).header("X-CSRF-Token", csrf)
                .POST(HttpRequest.BodyPublishers.noBody()).build());
        assertThat(sent.status()).as(sent.body()).isEqualTo(202);
        assertError(http.postJson(path(ws), ws.token(), ""), 401, "admin_token_invalid");
        assertError(http.postJson("/admin/v1/workspaces/nobody/test-events", ADMIN, ""), 404, "not_found");
    }

}
