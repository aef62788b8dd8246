package io.touchpoint.server.http;

import io.touchpoint.core.model.Scope;
import io.touchpoint.server.support.HttpTestClient.Response;
import io.touchpoint.server.support.Payloads;
import io.touchpoint.server.support.ServerTest;
import io.touchpoint.server.support.TestServer;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;

import static io.touchpoint.server.support.ErrorAssert.assertError;
import static org.assertj.core.api.Assertions.assertThat;

/** Per-workspace limits per minute, X-RateLimit-* on every ingest answer, 429 with Retry-After. */
class RateLimitTest extends ServerTest {
    private static final String EVENTS = "/public-api/v1/events";

    @Test
    void theFourthCallInAMinuteIs429WithRetryAfter() {
        // windows are whole clock minutes: if the four calls straddle a minute boundary, start again
        for (int attempt = 0; attempt < 3; attempt++) {
            String token = workspaceLimitedTo(3);
            List<Response> answers = new ArrayList<>();
            for (int i = 0; i < 4; i++) answers.add(http.postJson(EVENTS, token, Payloads.MINIMUM));
            if (answers.stream().map(r -> r.header("X-RateLimit-Reset")).distinct().count() > 1) continue;

            assertThat(answers).extracting(Response::status).containsExactly(202, 202, 202, 429);
            assertThat(answers).extracting(r -> r.header("X-RateLimit-Limit")).containsOnly("3");
            assertThat(answers).extracting(r -> r.header("X-RateLimit-Remaining")).containsExactly("2", "1", "0", "0");
            Response limited = answers.get(3);
            assertThat(assertError(limited, 429, "rate_limited")).containsEntry("type", "rate_limit_error");
            long retryAfter = Long.parseLong(limited.header("Retry-After"));
            assertThat(retryAfter).isBetween(1L, 60L);
            assertThat(Long.parseLong(limited.header("X-RateLimit-Reset")) * 1000)
                    .isGreaterThan(System.currentTimeMillis() - 1000);

            Response log = http.get("/api/v1/events-log/" + limited.header("Request-Id"), token);
            assertThat(list(log.json().get("data"))).singleElement().satisfies(e -> {
                assertThat(e).containsEntry("outcome", "rejected").containsEntry("http_status", 429);
                assertThat(map(e.get("error"))).containsEntry("code", "rate_limited");
            });
            return;
        }
        throw new AssertionError("three attempts each straddled a minute boundary");
    }

    @Test
    void theLimitIsPerWorkspaceNotPerToken() {
        for (int attempt = 0; attempt < 3; attempt++) {
            Map<String, Object> ws = createWorkspace(2);
            String first = (String) map(ws.get("token")).get("token");
            String second = server.workspaces().createToken((String) ws.get("id"), "second", Scope.ALL).secret();
            String other = newWorkspace().token();
            List<Response> answers = List.of(http.postJson(EVENTS, first, Payloads.MINIMUM),
                    http.postJson(EVENTS, second, Payloads.MINIMUM), http.postJson(EVENTS, second, Payloads.MINIMUM),
                    http.postJson(EVENTS, first, Payloads.MINIMUM));
            if (answers.stream().map(r -> r.header("X-RateLimit-Reset")).distinct().count() > 1) continue;

            assertThat(answers).extracting(Response::status).containsExactly(202, 202, 429, 429);
            assertThat(http.postJson(EVENTS, other, Payloads.MINIMUM).status()).isEqualTo(202);
            return;
        }
        throw new AssertionError("three attempts each straddled a minute boundary");
    }

    @Test
    void everyIngestAnswerCarriesTheHeaders() {
        Ws ws = newWorkspace();
        String reader = server.workspaces().createToken(ws.id(), "reader", Set.of(Scope.READ)).secret();
        List<Response> answers = List.of(
                http.postJson(EVENTS, ws.token(), Payloads.MINIMUM),
                http.postJson("/public-api/v1/events/track", ws.token(), Payloads.MINIMUM),
                http.postJson("/public-api/v1/events/batch", ws.token(), "{\"events\":[" + Payloads.MINIMUM + "]}"),
                http.postJson(EVENTS, ws.token(), "{\"event_name\":\"nope\"}"),
                http.postJson(EVENTS, ws.token(), "{"),
                http.post(EVENTS, ws.token(), "text/plain", Payloads.MINIMUM),
                http.postJson(EVENTS, reader, Payloads.MINIMUM),
                http.postJson(EVENTS, null, Payloads.MINIMUM),
                http.postJson(EVENTS, "tp_unknown", Payloads.MINIMUM));

        assertThat(answers).extracting(Response::status).containsExactly(202, 202, 200, 422, 400, 415, 403, 401, 401);
        assertThat(answers).allSatisfy(r -> {
            assertThat(r.header("X-RateLimit-Limit")).as(r.body()).matches("\\d+");
            assertThat(r.header("X-RateLimit-Remaining")).as(r.body()).matches("\\d+");
            assertThat(r.header("Request-Id")).isEqualTo(r.json().get("request_id"));
        });
    }

    private String workspaceLimitedTo(int perMinute) {
        return (String) map(createWorkspace(perMinute).get("token")).get("token");
    }

    private Map<String, Object> createWorkspace(int perMinute) {
        Response r = http.postJson("/admin/v1/workspaces", TestServer.ADMIN_TOKEN,
                "{\"name\":\"limited-" + UUID.randomUUID() + "\",\"rate_limit_per_minute\":" + perMinute + "}");
        assertThat(r.status()).as(r.body()).isEqualTo(201);
        assertThat(map(r.json().get("settings"))).containsEntry("rate_limit_per_minute", perMinute);
        return r.json();
    }
}
