package io.touchpoint.server.destinations.fakes;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.io.IOException;
import java.time.Duration;
import java.util.Map;

/**
 * A customer's webhook endpoint as Touchpoint's contract asks it to behave: any path, POST with a JSON body,
 * {@code Touchpoint-Signature} verified with {@link WebhookSignature} (400 when missing, wrong or older than
 * the tolerance), {@code Idempotency-Key} as the dedup key (a repeat is answered like the first delivery but
 * counted once). Answers 200 {@code {"received":true}} unless told otherwise.
 */
public final class FakeWebhookReceiver extends FakePlatform {
    private final String secret;
    private volatile Duration tolerance = WebhookSignature.DEFAULT_TOLERANCE;
    private volatile Answer answer = Answer.json(200, Map.of("received", true));

    /** The shared signing secret. */
    public FakeWebhookReceiver(String secret) {
        this.secret = secret;
    }

    /** What a valid delivery is answered from now on (a non-2xx answer means the delivery is not kept). */
    public void respondWith(int status, String body) {
        this.answer = new Answer(status, body == null ? "" : body, Map.of("Content-Type", "application/json"));
    }

    /** How far the signature's timestamp may be from the receiver's clock. */
    public void signatureTolerance(Duration tolerance) {
        this.tolerance = tolerance;
    }

    @Override
    protected Answer handle(RecordedRequest request) {
        if (!"POST".equals(request.method())) {
            return refuse(405, "webhooks are delivered with POST, not " + request.method());
        }
        WebhookSignature.Result verdict = WebhookSignature.verify(request.header(WebhookSignature.HEADER), secret, request.body(),
                now().getEpochSecond(), tolerance);
        if (verdict != WebhookSignature.Result.VALID) {
            return refuse(400, "signature " + verdict.name().toLowerCase() + " (" + WebhookSignature.HEADER + ": "
                    + request.header(WebhookSignature.HEADER) + ")");
        }
        String type = request.header("content-type");
        if (type == null || !type.toLowerCase().startsWith("application/json")) {
            violation("Content-Type should be application/json, was " + type);
        }
        JsonNode body;
        try {
            body = JSON.readTree(request.body());
        } catch (IOException e) {
            body = null;
        }
        if (body == null || body.isMissingNode()) {
            return refuse(400, "body is not JSON");
        }
        String key = request.header("Idempotency-Key");
        if (key == null || key.isBlank()) {
            return refuse(400, "no Idempotency-Key header, so the receiver cannot deduplicate");
        }
        Answer current = answer;
        if (current.status() / 100 == 2) {
            recordEvent(key, body, null);
        } else {
            noteReceived(key);
        }
        return current;
    }

    private Answer refuse(int status, String reason) {
        violation(reason);
        ObjectNode body = JSON.createObjectNode().put("error", reason);
        return Answer.json(status, body);
    }
}
