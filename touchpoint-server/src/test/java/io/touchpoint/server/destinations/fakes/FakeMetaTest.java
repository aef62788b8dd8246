package io.touchpoint.server.destinations.fakes;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.HexFormat;
import java.util.Map;

import static io.touchpoint.server.destinations.fakes.FakeHttp.json;
import static io.touchpoint.server.destinations.fakes.FakeHttp.post;
import static org.assertj.core.api.Assertions.assertThat;

class FakeMetaTest {
    private static final String PIXEL = "1234567890";
    private static final String TOKEN = "EAAtoken";
    private final FakeMeta meta = new FakeMeta(PIXEL, TOKEN);

    @AfterEach
    void close() {
        meta.close();
    }

    static String sha256(String text) throws Exception {
        return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8)));
    }

    static ObjectNode purchase(String eventId, long eventTime) throws Exception {
        ObjectNode event = FakeHttp.JSON.createObjectNode();
        event.put("event_name", "Purchase");
        event.put("event_time", eventTime);
        event.put("event_id", eventId);
        event.put("action_source", "website");
        event.put("event_source_url", "https://shop.example/thanks");
        ObjectNode user = event.putObject("user_data");
        user.putArray("em").add(sha256("ann@example.com"));
        user.put("client_ip_address", "203.0.113.7");
        user.put("client_user_agent", "Mozilla/5.0");
        user.put("fbc", "fb.1.1554763741205.AbCdEf");
        user.put("fbp", "fb.1.1558571054389.1098115397");
        ObjectNode custom = event.putObject("custom_data");
        custom.put("value", 12.5);
        custom.put("currency", "EUR");
        return event;
    }

    static ObjectNode child(ObjectNode node, String field) {
        return (ObjectNode) node.get(field);
    }

    private String url(String version) {
        return meta.baseUrl() + "/" + version + "/" + PIXEL + "/events";
    }

    private HttpResponse<String> send(String version, String token, JsonNode... events) throws Exception {
        ObjectNode body = FakeHttp.JSON.createObjectNode();
        ArrayNode data = body.putArray("data");
        for (JsonNode event : events) {
            data.add(event);
        }
        if (token != null) {
            body.put("access_token", token);
        }
        return post(url(version), FakeHttp.text(body), "Content-Type", "application/json");
    }

    private static long now() {
        return Instant.now().getEpochSecond();
    }

    @Test
    void aValidBatchIsReceivedAndEachEventAcceptedOnce() throws Exception {
        HttpResponse<String> response = send("v21.0", TOKEN, purchase("order-1", now()), purchase("order-2", now()));

        assertThat(response.statusCode()).isEqualTo(200);
        JsonNode body = json(response);
        assertThat(body.get("events_received").asInt()).isEqualTo(2);
        assertThat(body.get("messages").isArray()).isTrue();
        assertThat(body.get("fbtrace_id").asText()).isNotBlank();
        assertThat(meta.acceptedKeys()).containsExactly(FakeMeta.dedupKey("Purchase", "order-1"), FakeMeta.dedupKey("Purchase", "order-2"));
        assertThat(meta.violations()).isEmpty();
    }

    @Test
    void anyApiVersionAndEveryTokenPlacementIsAccepted() throws Exception {
        String event = FakeHttp.text(FakeHttp.JSON.createArrayNode().add(purchase("a", now())));
        assertThat(post(url("v19.0") + "?access_token=" + TOKEN, "{\"data\":" + event + "}", "Content-Type", "application/json").statusCode()).isEqualTo(200);
        assertThat(post(url("v23.0"), "{\"data\":" + event + "}", "Content-Type", "application/json", "Authorization", "Bearer " + TOKEN).statusCode()).isEqualTo(200);
        String form = "data=" + java.net.URLEncoder.encode(event, StandardCharsets.UTF_8) + "&access_token=" + TOKEN;
        assertThat(post(url("v22.0"), form, "Content-Type", "application/x-www-form-urlencoded").statusCode()).isEqualTo(200);
        assertThat(meta.violations()).isEmpty();
    }

    @Test
    void aResentEventCountsOnceWithin48HoursAndAgainAfter() throws Exception {
        Instant start = Instant.now();
        long eventTime = start.getEpochSecond();
        send("v21.0", TOKEN, purchase("order-1", eventTime));
        send("v21.0", TOKEN, purchase("order-1", eventTime));
        String key = FakeMeta.dedupKey("Purchase", "order-1");
        assertThat(meta.acceptedCount(key)).isEqualTo(1);
        assertThat(meta.receivedCount(key)).isEqualTo(2);

        meta.useClock(Clock.fixed(start.plus(Duration.ofHours(49)), ZoneOffset.UTC));
        send("v21.0", TOKEN, purchase("order-1", start.plus(Duration.ofHours(49)).getEpochSecond()));
        assertThat(meta.acceptedCount(key)).isEqualTo(2);
    }

    @Test
    void aBadTokenIsGraphCode190AndAMissingOne104() throws Exception {
        HttpResponse<String> bad = send("v21.0", "nope", purchase("x", now()));
        assertThat(bad.statusCode()).isEqualTo(401);
        JsonNode error = json(bad).get("error");
        assertThat(error.get("code").asInt()).isEqualTo(190);
        assertThat(error.get("type").asText()).isEqualTo("OAuthException");
        assertThat(error.get("message").asText()).isEqualTo("Invalid OAuth access token - Cannot parse access token");

        HttpResponse<String> missing = send("v21.0", null, purchase("x", now()));
        assertThat(missing.statusCode()).isEqualTo(400);
        assertThat(json(missing).at("/error/code").asInt()).isEqualTo(104);
        assertThat(meta.acceptedKeys()).isEmpty();
    }

    @Test
    void anUnknownPixelIsCode100Subcode33() throws Exception {
        HttpResponse<String> response = post(meta.baseUrl() + "/v21.0/999/events",
                "{\"access_token\":\"" + TOKEN + "\",\"data\":[" + FakeHttp.text(purchase("x", now())) + "]}", "Content-Type", "application/json");
        assertThat(response.statusCode()).isEqualTo(400);
        JsonNode error = json(response).get("error");
        assertThat(error.get("code").asInt()).isEqualTo(100);
        assertThat(error.get("error_subcode").asInt()).isEqualTo(33);
        assertThat(error.get("type").asText()).isEqualTo("GraphMethodException");
    }

    @Test
    void limitedDataUseTakesItsOptionAndMetasLocationCodesOnly() throws Exception {
        ObjectNode ldu = purchase("ldu-1", now());
        ldu.putArray("data_processing_options").add("LDU");
        ldu.put("data_processing_options_country", 1).put("data_processing_options_state", 1000);
        assertThat(send("v21.0", TOKEN, ldu).statusCode()).isEqualTo(200);

        ObjectNode otherOption = purchase("ldu-2", now());
        otherOption.putArray("data_processing_options").add("GDPR");
        assertThat(json(send("v21.0", TOKEN, otherOption)).at("/error/error_user_msg").asText()).contains("the only option is \"LDU\"");
        ObjectNode otherState = purchase("ldu-3", now());
        otherState.putArray("data_processing_options").add("LDU");
        otherState.put("data_processing_options_country", 1).put("data_processing_options_state", 6);
        assertThat(json(send("v21.0", TOKEN, otherState)).at("/error/error_user_msg").asText()).contains("not a known location code");
        assertThat(meta.acceptedKeys()).containsExactly(FakeMeta.dedupKey("Purchase", "ldu-1"));
    }

    @Test
    void oneOldEventRefusesTheWholeBatch() throws Exception {
        long eightDaysAgo = Instant.now().minus(Duration.ofDays(8)).getEpochSecond();
        HttpResponse<String> response = send("v21.0", TOKEN, purchase("fresh", now()), purchase("old", eightDaysAgo));

        assertThat(response.statusCode()).isEqualTo(400);
        JsonNode error = json(response).get("error");
        assertThat(error.get("code").asInt()).isEqualTo(100);
        assertThat(error.get("error_subcode").asInt()).isEqualTo(2804003);
        assertThat(error.get("error_user_title").asText()).isEqualTo("Event Timestamp Too Old");
        assertThat(error.get("is_transient").asBoolean()).isFalse();
        assertThat(meta.acceptedKeys()).isEmpty();
        assertThat(meta.receivedCount(FakeMeta.dedupKey("Purchase", "fresh"))).isZero();
        assertThat(meta.violations()).anyMatch(v -> v.contains("2804003"));
    }

    @Test
    void malformedEventsGetMetasParameterErrors() throws Exception {
        ObjectNode unhashed = purchase("u", now());
        ((ArrayNode) child(unhashed, "user_data").get("em")).set(0, "ann@example.com");
        JsonNode error = json(send("v21.0", TOKEN, unhashed)).get("error");
        assertThat(error.get("error_subcode").asInt()).isEqualTo(2804019);
        assertThat(error.get("error_user_msg").asText()).contains("['user_data']['em'][0]");

        ObjectNode badSource = purchase("s", now()).put("action_source", "web");
        assertThat(json(send("v21.0", TOKEN, badSource)).at("/error/error_user_msg").asText()).contains("action_source");

        ObjectNode unexpected = purchase("k", now()).put("advertiser_tracking_enabled", 1);
        assertThat(json(send("v21.0", TOKEN, unexpected)).at("/error/error_user_msg").asText())
                .isEqualTo("Unexpected key \"advertiser_tracking_enabled\" on param \"$['data'][0]\".");

        ObjectNode noCurrency = purchase("c", now());
        child(noCurrency, "custom_data").remove("currency");
        assertThat(json(send("v21.0", TOKEN, noCurrency)).at("/error/error_user_msg").asText()).contains("currency");

        ObjectNode thin = purchase("t", now());
        thin.putObject("user_data");
        assertThat(json(send("v21.0", TOKEN, thin)).at("/error/error_subcode").asInt()).isEqualTo(2804050);
        assertThat(meta.acceptedKeys()).isEmpty();
    }

    @Test
    void documentedRulesMetaLetsThroughAreAcceptedButReported() throws Exception {
        ObjectNode event = purchase("w", now());
        child(event, "user_data").remove("client_user_agent");
        child(event, "user_data").put("fbc", "AbCdEf");
        child(event, "user_data").put("client_ip_address", sha256("203.0.113.7"));

        assertThat(send("v21.0", TOKEN, event).statusCode()).isEqualTo(200);
        assertThat(meta.acceptedCount(FakeMeta.dedupKey("Purchase", "w"))).isEqualTo(1);
        assertThat(meta.violations()).anyMatch(v -> v.contains("client_user_agent"))
                .anyMatch(v -> v.contains("fbc"))
                .anyMatch(v -> v.contains("client_ip_address"));
    }

    @Test
    void rateLimitAndCannedFailuresAnswerAsConfigured() throws Exception {
        meta.rateLimitAfter(1);
        assertThat(send("v21.0", TOKEN, purchase("a", now())).statusCode()).isEqualTo(200);
        HttpResponse<String> limited = send("v21.0", TOKEN, purchase("b", now()));
        assertThat(json(limited).at("/error/code").asInt()).isEqualTo(17);
        assertThat(json(limited).at("/error/is_transient").asBoolean()).isTrue();

        meta.reset();
        meta.failNext(1, 429, "", Map.of("Retry-After", "7"));
        HttpResponse<String> canned = send("v21.0", TOKEN, purchase("c", now()));
        assertThat(canned.statusCode()).isEqualTo(429);
        assertThat(canned.headers().firstValue("Retry-After")).hasValue("7");
        assertThat(send("v21.0", TOKEN, purchase("c", now())).statusCode()).isEqualTo(200);
        assertThat(meta.receivedCount(FakeMeta.dedupKey("Purchase", "c"))).isEqualTo(1);
        assertThat(meta.requests()).hasSize(2);
    }

    @Test
    void anUnknownPathIsGraphCode2500() throws Exception {
        HttpResponse<String> response = post(meta.baseUrl() + "/v21.0/" + PIXEL + "/evnts", "{}", "Content-Type", "application/json");
        assertThat(response.statusCode()).isEqualTo(400);
        assertThat(json(response).at("/error/code").asInt()).isEqualTo(2500);
    }
}
