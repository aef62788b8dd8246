package io.touchpoint.server.destinations;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.touchpoint.server.destinations.fakes.FakeMeta;
import io.touchpoint.server.destinations.fakes.FakePlatform.RecordedRequest;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A platform that keeps failing is probed with a few entries at a time, so only those spend their tries; once it
 * answers again, full batches go out and every conversion is counted once.
 */
class DeliveryProbeTest extends DeliveryServerTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    static final String PIXEL = "555000111222444";
    static final String TOKEN = "EAAB-probes";
    private final FakeMeta meta = new FakeMeta(PIXEL, TOKEN);

    @Override
    protected Map<String, String> settings() {
        return Map.of("delivery.timeout-seconds", "2");
    }

    @AfterAll
    void stopFake() {
        meta.close();
    }

    private static int events(RecordedRequest r) {
        try {
            JsonNode data = JSON.readTree(r.body()).get("data");
            return data == null ? 0 : data.size();
        } catch (Exception e) {
            throw new AssertionError("Meta request body is not JSON: " + r.body(), e);
        }
    }

    @Test
    void aFailingPlatformIsProbedWithAFewEntriesThenSentFullBatches() throws Exception {
        Ws ws = newWorkspace();
        String dst = (String) addDestination(ws, "meta", Map.of("pixel_id", PIXEL, "access_token", TOKEN),
                Map.of("base_url", meta.baseUrl())).get("id");
        meta.failNext(3, 503, "{\"error\":{\"message\":\"Service temporarily unavailable\",\"type\":\"OAuthException\","
                + "\"code\":2,\"is_transient\":true}}", Map.of());
        List<String> ids = new ArrayList<>();
        for (int i = 0; i < 60; i++) {
            ids.add(sendEvent(ws, json(Map.of("event_name", "purchase", "email", "probe" + i + "@example.com", "amount", 10,
                    "idempotency_key", "probe-" + i))));
        }
        for (String id : ids) awaitDelivery(ws, id, dst, x -> x.status().wireName().equals("sent"), Duration.ofSeconds(60));

        List<RecordedRequest> requests = meta.requests();
        assertThat(requests.size()).isGreaterThan(3);
        // the first request failed with a full batch; the two after it were probes of a destination known to fail
        assertThat(events(requests.get(1))).isBetween(1, DeliveryDispatcher.PROBE_BATCH);
        assertThat(events(requests.get(2))).isBetween(1, DeliveryDispatcher.PROBE_BATCH);
        int afterRecovery = requests.stream().skip(3).mapToInt(DeliveryProbeTest::events).max().orElse(0);
        assertThat(afterRecovery).as("full batches once the platform answers").isGreaterThan(DeliveryDispatcher.PROBE_BATCH);
        for (int i = 0; i < 60; i++) assertThat(meta.acceptedCount(FakeMeta.dedupKey("Purchase", "probe-" + i))).isEqualTo(1);
        assertThat(meta.violations()).isEmpty();
    }
}
