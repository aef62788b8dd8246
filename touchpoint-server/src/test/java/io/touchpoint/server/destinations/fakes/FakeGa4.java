package io.touchpoint.server.destinations.fakes;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.io.IOException;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.UUID;

/**
 * GA4's Measurement Protocol: {@code POST /mp/collect?measurement_id=G-…&api_secret=…} and the validation
 * server {@code POST /debug/mp/collect}. Like GA, /mp/collect answers 204 whatever it receives: invalid
 * events, or every event of a request with a wrong api_secret or measurement id, are silently dropped (the
 * fake lists why in {@link #violations()}). /debug/mp/collect answers 200 {@code {"validationMessages":[…]}}
 * and keeps nothing. Purchases are deduplicated by transaction_id.
 */
public final class FakeGa4 extends FakePlatform {
    public static final String COLLECT = "/mp/collect";
    public static final String DEBUG_COLLECT = "/debug/mp/collect";

    private final String measurementId;
    private final String apiSecret;

    /** The web stream's measurement id (G-…) and the one API secret created for it. */
    public FakeGa4(String measurementId, String apiSecret) {
        this.measurementId = measurementId;
        this.apiSecret = apiSecret;
    }

    /** A purchase's dedup key: GA counts one purchase per transaction_id. */
    public static String purchaseKey(String transactionId) {
        return "purchase|" + transactionId;
    }

    /** GA documents no rate-limit answer for the Measurement Protocol; past the limit it still answers 204 and drops. */
    @Override
    protected Answer rateLimitAnswer() {
        violation("request dropped by the configured rate limit");
        return Answer.empty(204);
    }

    @Override
    protected Answer handle(RecordedRequest request) {
        boolean debug = DEBUG_COLLECT.equals(request.path());
        if (!debug && !COLLECT.equals(request.path())) {
            violation("no such Measurement Protocol endpoint: " + request.path());
            return Answer.empty(404);
        }
        if (!"POST".equals(request.method())) {
            violation("the Measurement Protocol only takes POST, not " + request.method());
            return Answer.empty(405);
        }
        JsonNode body;
        try {
            body = request.body().isBlank() ? null : JSON.readTree(request.body());
        } catch (IOException e) {
            body = null;
        }
        List<Ga4Validation.Message> messages = Ga4Validation.validate(body, now());
        boolean keysValid = checkKeys(request, debug);
        if (debug) {
            ObjectNode answer = JSON.createObjectNode();
            ArrayNode list = answer.putArray("validationMessages");
            messages.forEach(m -> list.add(JSON.valueToTree(m.asJson())));
            return Answer.json(200, answer);
        }
        collect(body, messages, keysValid);
        return Answer.empty(204);
    }

    /** True when the query names this stream and its secret; a mismatch is what GA silently drops. */
    private boolean checkKeys(RecordedRequest request, boolean debug) {
        String id = request.queryParam("measurement_id");
        String secret = request.queryParam("api_secret");
        boolean valid = true;
        if (!measurementId.equals(id)) {
            violation("measurement_id " + id + " is not this stream's (" + measurementId + ")");
            valid = false;
        }
        if (!apiSecret.equals(secret)) {
            violation((secret == null ? "no api_secret" : "wrong api_secret")
                    + (debug ? " (the validation server does not check it, GA would drop the request)" : ": GA drops the request silently"));
            valid = false;
        }
        return valid;
    }

    private void collect(JsonNode body, List<Ga4Validation.Message> messages, boolean keysValid) {
        Set<Integer> droppedEvents = new HashSet<>();
        boolean requestDropped = !keysValid;
        for (Ga4Validation.Message message : messages) {
            violation("GA would drop " + (message.eventIndex() < 0 ? "the request" : "event " + message.eventIndex()) + ": "
                    + message.fieldPath() + ": " + message.description() + " [" + message.validationCode() + "]");
            if (message.eventIndex() < 0) {
                requestDropped = true;
            } else {
                droppedEvents.add(message.eventIndex());
            }
        }
        if (requestDropped) {
            return;
        }
        JsonNode events = body.get("events");
        String clientId = body.get("client_id").asText();
        for (int i = 0; i < events.size(); i++) {
            if (droppedEvents.contains(i)) {
                continue;
            }
            JsonNode event = events.get(i);
            String name = event.get("name").asText();
            JsonNode transactionId = event.path("params").get("transaction_id");
            String key = "purchase".equals(name) && transactionId != null
                    ? purchaseKey(transactionId.asText())
                    : name + "|" + clientId + "|" + UUID.randomUUID();
            recordEvent(key, event, null);
        }
    }
}
