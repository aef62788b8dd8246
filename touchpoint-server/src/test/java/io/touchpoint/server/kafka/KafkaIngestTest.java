package io.touchpoint.server.kafka;

import io.touchpoint.core.admin.CreatedWorkspace;
import io.touchpoint.core.store.EventLogEntry;
import io.touchpoint.server.support.HttpTestClient.Response;
import io.touchpoint.server.support.KafkaTestBroker;
import io.touchpoint.server.support.TestServer;
import io.touchpoint.tests.PostgresTestDatabase;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BooleanSupplier;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Kafka mode end to end: two ingest nodes on one PostgreSQL and one real Kafka broker (a process of its own). Requests
 * are answered once the broker acknowledged them; the store writers move them into the store, each exactly once; the
 * events log shows every request, refusals included, within about a second; a stopped broker gets 503s, not lost
 * events, and once it is back ingest goes on.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class KafkaIngestTest {
    private static final String EVENTS = "/public-api/v1/events";
    private static final AtomicInteger RUNS = new AtomicInteger();
    private KafkaTestBroker broker;
    @TempDir
    Path dir;
    private final List<TestServer> nodes = new ArrayList<>();

    @BeforeAll
    void broker() {
        broker = KafkaTestBroker.startNew();
    }

    @AfterAll
    void stopBroker() {
        if (broker != null) broker.close();
    }

    @AfterEach
    void stopNodes() {
        nodes.forEach(TestServer::close);
        nodes.clear();
    }

    /** Settings for the nodes of one test: its own schema, topic and consumer group. */
    private Map<String, String> kafkaMode(Map<String, String> extra) {
        int run = RUNS.incrementAndGet();
        Map<String, String> s = new HashMap<>(Map.of("db", PostgresTestDatabase.freshSchemaUrl(), "ingest.log", "kafka",
                "kafka.bootstrap-servers", broker.bootstrapServers(), "kafka.topic", "ingest-" + run,
                "kafka.group", "touchpoint-" + run, "kafka.partitions", "4", "kafka.replication-factor", "1"));
        s.putAll(extra);
        return s;
    }

    private TestServer node(Map<String, String> settings) {
        TestServer n = TestServer.start(dir.resolve("node-" + nodes.size()), settings);
        nodes.add(n);
        return n;
    }

    private static String event(int i, String key) {
        return "{\"event_name\":\"purchase\",\"email\":\"buyer" + i + "@example.com\",\"amount\":" + i
                + (key == null ? "" : ",\"idempotency_key\":\"" + key + "\"") + "}";
    }

    @Test
    void eventsSentToTwoNodesAreStoredExactlyOnceAndLoggedWithTheirRefusals() throws Exception {
        Map<String, String> settings = kafkaMode(Map.of());
        TestServer one = node(settings);
        TestServer two = node(settings);
        CreatedWorkspace ws = one.createWorkspace("acme");
        String token = ws.token().secret();

        List<String> accepted = new ArrayList<>();
        for (int i = 0; i < 40; i++) {
            Response r = (i % 2 == 0 ? one : two).http.postJson(EVENTS, token, event(i, null));
            assertThat(r.status()).as(r.body()).isEqualTo(202);
            accepted.add((String) r.json().get("id"));
        }
        Response refused = two.http.postJson(EVENTS, token, "{\"email\":\"no-name@example.com\"}");
        assertThat(refused.status()).isEqualTo(422);

        await(() -> one.store().events().count(ws.workspace().id()) == 40, "every acknowledged event stored");
        for (String id : accepted) assertThat(one.store().events().find(ws.workspace().id(), id)).as(id).isPresent();
        await(() -> one.http.get("/api/v1/events-log?limit=100", token).json().get("data") instanceof List<?> l
                && l.size() == 41, "every request in the events log, the refusal included");
        Thread.sleep(500); // nothing arrives twice late
        assertThat(one.store().events().count(ws.workspace().id())).isEqualTo(40);
        one.awaitProcessed();
    }

    @Test
    void aKeyStoredThroughOneNodeIsADuplicateOnTheOtherNamingTheFirstEvent() throws Exception {
        Map<String, String> settings = kafkaMode(Map.of());
        TestServer one = node(settings);
        TestServer two = node(settings);
        CreatedWorkspace ws = one.createWorkspace("acme");
        String token = ws.token().secret();

        Response first = one.http.postJson(EVENTS, token, event(1, "order-1"));
        Response again = one.http.postJson(EVENTS, token, event(2, "order-1"));
        assertThat(again.json()).as("the same node, before the store has it").containsEntry("outcome", "duplicate")
                .containsEntry("id", first.json().get("id"));
        await(() -> one.store().events().count(ws.workspace().id()) == 1, "the first stored");
        Response elsewhere = two.http.postJson(EVENTS, token, event(3, "order-1"));

        assertThat(elsewhere.status()).isEqualTo(202);
        assertThat(elsewhere.json()).containsEntry("outcome", "duplicate").containsEntry("id", first.json().get("id"));
        await(() -> one.store().eventLog().byRequestId(ws.workspace().id(), elsewhere.raw().headers()
                .firstValue("Request-Id").orElseThrow()).size() == 1, "the duplicate logged");
        assertThat(one.store().eventLog().byRequestId(ws.workspace().id(), elsewhere.raw().headers()
                .firstValue("Request-Id").orElseThrow()).get(0).outcome()).isEqualTo(EventLogEntry.Outcome.DUPLICATE);
        assertThat(one.store().events().count(ws.workspace().id())).isEqualTo(1);
    }

    @Test
    void aStoppedBrokerGets503sAndOnceBackEverythingAcknowledgedIsStoredOnce() throws Exception {
        TestServer one = node(kafkaMode(Map.of("kafka.ack-timeout-ms", "1500")));
        CreatedWorkspace ws = one.createWorkspace("acme");
        String token = ws.token().secret();
        assertThat(one.http.postJson(EVENTS, token, event(0, null)).status()).isEqualTo(202);

        broker.kill();
        Response down;
        try {
            down = one.http.postJson(EVENTS, token, event(1, "while-down"));
        } finally {
            broker.start();
        }
        assertThat(down.status()).as(down.body()).isEqualTo(503);
        assertThat(down.error()).containsEntry("code", "log_unavailable");
        assertThat(down.raw().headers().firstValue("Retry-After")).isPresent();

        Response retried = null;
        long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        while (System.nanoTime() < deadline) { // the producer reconnects to the restarted broker
            retried = one.http.postJson(EVENTS, token, event(1, "while-down"));
            if (retried.status() == 202) break;
            Thread.sleep(500);
        }
        assertThat(retried.status()).as(retried.body()).isEqualTo(202);
        assertThat(retried.json()).as("not a duplicate of the refused attempt").containsEntry("outcome", "accepted");
        await(() -> one.store().events().count(ws.workspace().id()) == 2, "both acknowledged events stored");
    }

    private static void await(BooleanSupplier condition, String what) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) throw new AssertionError("not within 30 s: " + what);
            Thread.sleep(50);
        }
    }
}
