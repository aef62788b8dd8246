package io.touchpoint.server.destinations.fakes;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.net.ConnectException;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;

import static io.touchpoint.server.destinations.fakes.FakeHttp.json;
import static io.touchpoint.server.destinations.fakes.FakeHttp.post;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class FakeWebhookReceiverTest {
    private static final String SECRET = "whsec_test";
    private static final String BODY = "{\"type\":\"conversion\",\"id\":\"c-1\",\"value\":12.5}";
    private final FakeWebhookReceiver receiver = new FakeWebhookReceiver(SECRET);

    @AfterEach
    void close() {
        receiver.close();
    }

    private HttpResponse<String> deliver(String signature, String idempotencyKey) throws Exception {
        return post(receiver.baseUrl() + "/hooks/touchpoint", BODY, "Content-Type", "application/json",
                WebhookSignature.HEADER, signature, "Idempotency-Key", idempotencyKey);
    }

    private static String signedNow(String body) {
        return WebhookSignature.sign(SECRET, Instant.now().getEpochSecond(), body);
    }

    @Test
    void aSignedDeliveryIsAcceptedAndARepeatCountedOnce() throws Exception {
        HttpResponse<String> first = deliver(signedNow(BODY), "c-1");
        assertThat(first.statusCode()).isEqualTo(200);
        assertThat(json(first).get("received").asBoolean()).isTrue();
        assertThat(deliver(signedNow(BODY), "c-1").statusCode()).isEqualTo(200);

        assertThat(receiver.acceptedCount("c-1")).isEqualTo(1);
        assertThat(receiver.receivedCount("c-1")).isEqualTo(2);
        assertThat(receiver.acceptedEvents().get(0).payload().get("value").asDouble()).isEqualTo(12.5);
        assertThat(receiver.violations()).isEmpty();
    }

    @Test
    void theSignatureCoversTimestampAndRawBody() {
        long now = 1_700_000_000L;
        String header = WebhookSignature.sign(SECRET, now, BODY);
        assertThat(header).matches("t=1700000000,v1=[0-9a-f]{64}");
        assertThat(WebhookSignature.verify(header, SECRET, BODY, now + 299, Duration.ofMinutes(5))).isEqualTo(WebhookSignature.Result.VALID);
        assertThat(WebhookSignature.verify(header, SECRET, BODY + " ", now, Duration.ofMinutes(5))).isEqualTo(WebhookSignature.Result.MISMATCH);
        assertThat(WebhookSignature.verify(header, "other", BODY, now, Duration.ofMinutes(5))).isEqualTo(WebhookSignature.Result.MISMATCH);
        assertThat(WebhookSignature.verify(header, SECRET, BODY, now + 301, Duration.ofMinutes(5))).isEqualTo(WebhookSignature.Result.STALE);
        assertThat(WebhookSignature.verify("v1=abc", SECRET, BODY, now, Duration.ofMinutes(5))).isEqualTo(WebhookSignature.Result.MALFORMED);
        assertThat(WebhookSignature.verify(null, SECRET, BODY, now, Duration.ofMinutes(5))).isEqualTo(WebhookSignature.Result.MISSING);
        String rotating = "t=" + now + ",v1=" + "0".repeat(64) + "," + header.substring(header.indexOf("v1="));
        assertThat(WebhookSignature.verify(rotating, SECRET, BODY, now, Duration.ofMinutes(5))).isEqualTo(WebhookSignature.Result.VALID);
    }

    @Test
    void badOrStaleSignaturesAndMissingKeysAre400() throws Exception {
        assertThat(deliver(WebhookSignature.sign("wrong", Instant.now().getEpochSecond(), BODY), "k").statusCode()).isEqualTo(400);
        assertThat(deliver(WebhookSignature.sign(SECRET, Instant.now().minusSeconds(301).getEpochSecond(), BODY), "k").statusCode()).isEqualTo(400);
        HttpResponse<String> noKey = post(receiver.baseUrl() + "/x", BODY, "Content-Type", "application/json", WebhookSignature.HEADER, signedNow(BODY));
        assertThat(noKey.statusCode()).isEqualTo(400);

        assertThat(receiver.acceptedKeys()).isEmpty();
        assertThat(receiver.violations()).anyMatch(v -> v.contains("signature mismatch"))
                .anyMatch(v -> v.contains("signature stale"))
                .anyMatch(v -> v.contains("Idempotency-Key"));
    }

    @Test
    void cannedFailuresEchoTheirHeadersThenNormalAnswersResume() throws Exception {
        receiver.failNext(1, 429, "{\"error\":\"slow down\"}", Map.of("Retry-After", "30"));
        HttpResponse<String> limited = deliver(signedNow(BODY), "c-1");
        assertThat(limited.statusCode()).isEqualTo(429);
        assertThat(limited.headers().firstValue("Retry-After")).hasValue("30");
        assertThat(limited.body()).isEqualTo("{\"error\":\"slow down\"}");
        assertThat(receiver.receivedCount("c-1")).isZero();

        assertThat(deliver(signedNow(BODY), "c-1").statusCode()).isEqualTo(200);
        assertThat(receiver.acceptedCount("c-1")).isEqualTo(1);
    }

    @Test
    void aNon2xxAnswerKeepsNothing() throws Exception {
        receiver.respondWith(500, "{\"error\":\"db down\"}");
        assertThat(deliver(signedNow(BODY), "c-1").statusCode()).isEqualTo(500);
        assertThat(receiver.acceptedCount("c-1")).isZero();
        assertThat(receiver.receivedCount("c-1")).isEqualTo(1);
    }

    @Test
    void downRefusesConnectionsAndUpReopensTheSamePort() throws Exception {
        int port = receiver.port();
        receiver.down(true);
        assertThatThrownBy(() -> deliver(signedNow(BODY), "c-1")).isInstanceOf(ConnectException.class);
        receiver.down(false);
        assertThat(receiver.port()).isEqualTo(port);
        assertThat(receiver.baseUrl()).isEqualTo("http://127.0.0.1:" + port);
        assertThat(deliver(signedNow(BODY), "c-1").statusCode()).isEqualTo(200);
    }

    @Test
    void aDelayTripsTheCallersTimeoutAndResetClearsEverything() throws Exception {
        receiver.delay(Duration.ofMillis(700));
        assertThatThrownBy(() -> FakeHttp.send(receiver.baseUrl() + "/x", BODY, Duration.ofMillis(150),
                WebhookSignature.HEADER, signedNow(BODY), "Idempotency-Key", "slow")).isInstanceOf(HttpTimeoutException.class);

        receiver.reset();
        assertThat(receiver.requests()).isEmpty();
        assertThat(receiver.acceptedKeys()).isEmpty();
        assertThat(receiver.violations()).isEmpty();
        long started = System.nanoTime();
        assertThat(deliver(signedNow(BODY), "fast").statusCode()).isEqualTo(200);
        assertThat(Duration.ofNanos(System.nanoTime() - started)).isLessThan(Duration.ofMillis(600));
    }
}
