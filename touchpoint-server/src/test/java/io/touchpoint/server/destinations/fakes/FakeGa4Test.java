package io.touchpoint.server.destinations.fakes;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;

import static io.touchpoint.server.destinations.fakes.FakeHttp.json;
import static io.touchpoint.server.destinations.fakes.FakeHttp.post;
import static org.assertj.core.api.Assertions.assertThat;

class FakeGa4Test {
    private static final String MEASUREMENT_ID = "G-TEST123";
    private static final String SECRET = "s3cret";
    private final FakeGa4 ga = new FakeGa4(MEASUREMENT_ID, SECRET);

    @AfterEach
    void close() {
        ga.close();
    }

    static ObjectNode purchase(String transactionId) {
        ObjectNode event = FakeHttp.JSON.createObjectNode();
        event.put("name", "purchase");
        ObjectNode params = event.putObject("params");
        params.put("transaction_id", transactionId);
        params.put("value", 30.5);
        params.put("currency", "EUR");
        params.putArray("items").addObject().put("item_id", "sku-1").put("price", 30.5);
        return event;
    }

    private HttpResponse<String> send(String path, String secret, JsonNode... events) throws Exception {
        ObjectNode body = FakeHttp.JSON.createObjectNode();
        body.put("client_id", "123.456");
        ArrayNode list = body.putArray("events");
        for (JsonNode event : events) {
            list.add(event);
        }
        return post(ga.baseUrl() + path + "?measurement_id=" + MEASUREMENT_ID + "&api_secret=" + secret, FakeHttp.text(body),
                "Content-Type", "application/json");
    }

    @Test
    void aValidPurchaseIs204AndCountedOncePerTransactionId() throws Exception {
        HttpResponse<String> response = send(FakeGa4.COLLECT, SECRET, purchase("T-1"));
        assertThat(response.statusCode()).isEqualTo(204);
        send(FakeGa4.COLLECT, SECRET, purchase("T-1"));

        assertThat(ga.acceptedCount(FakeGa4.purchaseKey("T-1"))).isEqualTo(1);
        assertThat(ga.receivedCount(FakeGa4.purchaseKey("T-1"))).isEqualTo(2);
        assertThat(ga.violations()).isEmpty();
    }

    @Test
    void invalidEventsAreStill204ButDroppedAndReported() throws Exception {
        ObjectNode badName = FakeHttp.JSON.createObjectNode().put("name", "_badEventName");
        ObjectNode noTransaction = purchase("x");
        ((ObjectNode) noTransaction.get("params")).remove("transaction_id");

        assertThat(send(FakeGa4.COLLECT, SECRET, badName, noTransaction, purchase("T-2")).statusCode()).isEqualTo(204);
        assertThat(ga.acceptedKeys()).containsExactly(FakeGa4.purchaseKey("T-2"));
        assertThat(ga.violations()).anyMatch(v -> v.contains("Names must start with an alphabetic character") && v.contains("NAME_INVALID"))
                .anyMatch(v -> v.contains("transaction_id") && v.contains("VALUE_REQUIRED"));
    }

    @Test
    void consentTakesGrantedOrDeniedForTheTwoAdSignals() throws Exception {
        ObjectNode body = FakeHttp.JSON.createObjectNode();
        body.put("client_id", "123.456");
        body.putObject("consent").put("ad_user_data", "granted").put("analytics_storage", "GRANTED");
        body.putArray("events").add(purchase("T-consent"));
        post(ga.baseUrl() + FakeGa4.COLLECT + "?measurement_id=" + MEASUREMENT_ID + "&api_secret=" + SECRET,
                FakeHttp.text(body), "Content-Type", "application/json");
        assertThat(ga.violations()).anyMatch(v -> v.contains("consent.ad_user_data must be GRANTED or DENIED"))
                .anyMatch(v -> v.contains("Unknown consent field [analytics_storage]"));
    }

    @Test
    void aWrongApiSecretIsSilentlyDropped() throws Exception {
        assertThat(send(FakeGa4.COLLECT, "wrong", purchase("T-3")).statusCode()).isEqualTo(204);
        assertThat(ga.acceptedKeys()).isEmpty();
        assertThat(ga.violations()).anyMatch(v -> v.contains("wrong api_secret"));
    }

    @Test
    void theValidationServerAnswersValidationMessagesAndKeepsNothing() throws Exception {
        ObjectNode badName = FakeHttp.JSON.createObjectNode().put("name", "_badEventName");
        HttpResponse<String> response = send(FakeGa4.DEBUG_COLLECT, SECRET, badName, purchase("T-4"));

        assertThat(response.statusCode()).isEqualTo(200);
        JsonNode message = json(response).at("/validationMessages/0");
        assertThat(message.get("fieldPath").asText()).isEqualTo("events");
        assertThat(message.get("description").asText())
                .isEqualTo("Event at index: [0] has invalid name [_badEventName]. Names must start with an alphabetic character.");
        assertThat(message.get("validationCode").asText()).isEqualTo("NAME_INVALID");
        assertThat(ga.acceptedKeys()).isEmpty();

        assertThat(json(send(FakeGa4.DEBUG_COLLECT, SECRET, purchase("T-5"))).get("validationMessages")).isEmpty();
    }

    @Test
    void requestLimitsAndReservedNamesAreEnforced() throws Exception {
        ObjectNode[] many = new ObjectNode[26];
        for (int i = 0; i < many.length; i++) {
            many[i] = FakeHttp.JSON.createObjectNode().put("name", "page_view_" + i);
        }
        JsonNode tooMany = json(send(FakeGa4.DEBUG_COLLECT, SECRET, many)).at("/validationMessages/0");
        assertThat(tooMany.get("validationCode").asText()).isEqualTo("EXCEEDED_MAX_ENTITIES");

        ObjectNode reserved = FakeHttp.JSON.createObjectNode().put("name", "session_start");
        ObjectNode longValue = FakeHttp.JSON.createObjectNode().put("name", "sign_up");
        longValue.putObject("params").put("method", "x".repeat(101)).put("google_thing", 1);
        JsonNode messages = json(send(FakeGa4.DEBUG_COLLECT, SECRET, reserved, longValue)).get("validationMessages");
        assertThat(messages.findValuesAsText("validationCode")).containsExactlyInAnyOrder("NAME_RESERVED", "NAME_RESERVED", "VALUE_OUT_OF_BOUNDS");
    }

    @Test
    void oldTimestampsAndAMissingClientIdDropTheWholeRequest() throws Exception {
        long old = Instant.now().minus(Duration.ofHours(73)).toEpochMilli() * 1000;
        String body = "{\"client_id\":\"1.2\",\"timestamp_micros\":" + old + ",\"events\":[" + FakeHttp.text(purchase("T-6")) + "]}";
        post(ga.baseUrl() + FakeGa4.COLLECT + "?measurement_id=" + MEASUREMENT_ID + "&api_secret=" + SECRET, body);
        post(ga.baseUrl() + FakeGa4.COLLECT + "?measurement_id=" + MEASUREMENT_ID + "&api_secret=" + SECRET,
                "{\"events\":[" + FakeHttp.text(purchase("T-7")) + "]}");

        assertThat(ga.acceptedKeys()).isEmpty();
        assertThat(ga.violations()).anyMatch(v -> v.contains("72 hours")).anyMatch(v -> v.contains("client_id"));
    }
}
