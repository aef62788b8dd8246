package io.touchpoint.server.destinations.fakes;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.net.http.HttpResponse;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Map;

import static io.touchpoint.server.destinations.fakes.FakeHttp.json;
import static io.touchpoint.server.destinations.fakes.FakeHttp.post;
import static org.assertj.core.api.Assertions.assertThat;

class FakeTikTokTest {
    private static final String TOKEN = "tt-token";
    private static final String PIXEL = "CABCDEF1234567890";
    private final FakeTikTok tiktok = new FakeTikTok(TOKEN, PIXEL);

    @AfterEach
    void close() {
        tiktok.close();
    }

    static ObjectNode event(String eventId) throws Exception {
        ObjectNode event = FakeHttp.JSON.createObjectNode();
        event.put("event", "CompletePayment");
        event.put("event_time", Instant.now().getEpochSecond());
        event.put("event_id", eventId);
        ObjectNode user = event.putObject("user");
        user.put("email", FakeMetaTest.sha256("ann@example.com"));
        user.put("external_id", FakeMetaTest.sha256("visitor-1"));
        user.put("ip", "203.0.113.7");
        user.put("user_agent", "Mozilla/5.0");
        user.put("ttclid", "E.C.P.abc");
        event.putObject("page").put("url", "https://shop.example/thanks");
        event.putObject("properties").put("value", 19.99).put("currency", "USD");
        return event;
    }

    private HttpResponse<String> send(String token, JsonNode... events) throws Exception {
        ObjectNode body = FakeHttp.JSON.createObjectNode();
        body.put("event_source", "web");
        body.put("event_source_id", PIXEL);
        for (JsonNode event : events) {
            body.withArray("data").add(event);
        }
        return post(tiktok.baseUrl() + FakeTikTok.PATH, FakeHttp.text(body), "Content-Type", "application/json", "Access-Token", token);
    }

    @Test
    void aValidRequestIsCodeZeroAndTheEventIsAccepted() throws Exception {
        HttpResponse<String> response = send(TOKEN, event("order-1"));

        assertThat(response.statusCode()).isEqualTo(200);
        JsonNode body = json(response);
        assertThat(body.get("code").asInt()).isZero();
        assertThat(body.get("message").asText()).isEqualTo("OK");
        assertThat(body.get("request_id").asText()).isNotBlank();
        assertThat(body.get("data").isObject()).isTrue();
        assertThat(tiktok.acceptedKeys()).containsExactly(FakeTikTok.dedupKey("CompletePayment", "order-1"));
        assertThat(tiktok.violations()).isEmpty();
    }

    @Test
    void errorsAreHttp200WithANonZeroCode() throws Exception {
        HttpResponse<String> badToken = send("Bearer " + TOKEN, event("a"));
        assertThat(badToken.statusCode()).isEqualTo(200);
        assertThat(json(badToken).get("code").asInt()).isEqualTo(FakeTikTok.ACCESS_TOKEN_INVALID);
        assertThat(tiktok.violations()).anyMatch(v -> v.contains("no Bearer prefix"));

        ObjectNode unhashed = event("b");
        ((ObjectNode) unhashed.get("user")).put("email", "ann@example.com");
        JsonNode invalid = json(send(TOKEN, event("ok"), unhashed));
        assertThat(invalid.get("code").asInt()).isEqualTo(FakeTikTok.INVALID_PARAMETER);
        assertThat(invalid.get("message").asText()).startsWith("Invalid value for data[1].user.email:");

        JsonNode numericId = json(send(TOKEN, event("c").put("event_id", 273196)));
        assertThat(numericId.get("message").asText()).isEqualTo("Invalid value for data[0].event_id: not a valid string.");
        assertThat(tiktok.acceptedKeys()).isEmpty();
    }

    @Test
    void limitedDataUseIsABoolean() throws Exception {
        assertThat(json(send(TOKEN, event("ldu").put("limited_data_use", true))).get("code").asInt()).isZero();
        JsonNode text = json(send(TOKEN, event("ldu-text").put("limited_data_use", "yes")));
        assertThat(text.get("message").asText()).isEqualTo("Invalid value for data[0].limited_data_use: not a valid boolean.");
    }

    @Test
    void anotherPixelIsRefused() throws Exception {
        String body = "{\"event_source\":\"web\",\"event_source_id\":\"OTHER\",\"data\":[" + FakeHttp.text(event("x")) + "]}";
        JsonNode answer = json(post(tiktok.baseUrl() + FakeTikTok.PATH, body, "Access-Token", TOKEN));
        assertThat(answer.get("code").asInt()).isEqualTo(FakeTikTok.NO_PERMISSION);
    }

    @Test
    void aResentEventCountsOnceWithin48Hours() throws Exception {
        send(TOKEN, event("order-1"));
        send(TOKEN, event("order-1"));
        String key = FakeTikTok.dedupKey("CompletePayment", "order-1");
        assertThat(tiktok.acceptedCount(key)).isEqualTo(1);
        assertThat(tiktok.receivedCount(key)).isEqualTo(2);

        tiktok.useClock(Clock.fixed(Instant.now().plus(Duration.ofHours(49)), ZoneOffset.UTC));
        send(TOKEN, event("order-1"));
        assertThat(tiktok.acceptedCount(key)).isEqualTo(2);
    }

    @Test
    void rateLimitIsCode40100AndCannedFailuresPassThrough() throws Exception {
        tiktok.rateLimitAfter(0);
        assertThat(json(send(TOKEN, event("a"))).get("code").asInt()).isEqualTo(FakeTikTok.TOO_MANY_REQUESTS);

        tiktok.reset();
        tiktok.failNext(2, 503, "upstream unavailable", Map.of("Retry-After", "3"));
        HttpResponse<String> first = send(TOKEN, event("a"));
        assertThat(first.statusCode()).isEqualTo(503);
        assertThat(first.headers().firstValue("Retry-After")).hasValue("3");
        assertThat(send(TOKEN, event("a")).statusCode()).isEqualTo(503);
        assertThat(json(send(TOKEN, event("a"))).get("code").asInt()).isZero();
        assertThat(tiktok.requests()).hasSize(3);
    }

    @Test
    void missingPageUrlAndHashedIpAreReportedButAccepted() throws Exception {
        ObjectNode event = event("p");
        event.remove("page");
        ((ObjectNode) event.get("user")).put("ip", FakeMetaTest.sha256("203.0.113.7"));
        assertThat(json(send(TOKEN, event)).get("code").asInt()).isZero();
        assertThat(tiktok.violations()).anyMatch(v -> v.contains("page.url")).anyMatch(v -> v.contains("user.ip"));
    }
}
