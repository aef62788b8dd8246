package io.touchpoint.server.ingest;

import io.touchpoint.server.support.HttpTestClient;
import io.touchpoint.server.support.HttpTestClient.Response;
import io.touchpoint.server.support.ServerTest;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Idempotency: one stored event per key and workspace, however many times and however fast it is sent. The requests
 * go to {@link #node} 0 and 1, one server here; the Kafka-mode variant ({@link IdempotencyKafkaModeTest}) runs the
 * same cases against two nodes.
 */
class IdempotencyTest extends ServerTest {
    private static final String EVENTS = "/public-api/v1/events";
    private static final int SENDERS = 50;

    /** The node a request is sent to: every one the server here. */
    protected HttpTestClient node(int i) {
        return http;
    }

    /** How many nodes the requests are spread over: each answers the first request with a key it has not seen as accepted. */
    protected int nodes() {
        return 1;
    }

    @Test
    void theSameKeySentFiftyTimesAtOnceStoresOneEvent() throws Exception {
        Ws ws = newWorkspace();
        String body = "{\"event_name\":\"purchase\",\"email\":\"buyer@example.com\",\"amount\":10,"
                + "\"idempotency_key\":\"order-50\"}";
        CountDownLatch ready = new CountDownLatch(SENDERS);
        CountDownLatch go = new CountDownLatch(1);
        List<Future<Response>> answers = new ArrayList<>();
        try (ExecutorService pool = Executors.newVirtualThreadPerTaskExecutor()) {
            for (int i = 0; i < SENDERS; i++) {
                int sender = i;
                answers.add(pool.submit(() -> {
                    ready.countDown();
                    go.await();
                    return node(sender % 2).postJson(EVENTS, ws.token(), body);
                }));
            }
            ready.await();
            go.countDown();
        }
        List<Response> responses = new ArrayList<>();
        for (Future<Response> f : answers) responses.add(f.get());

        assertThat(responses).allSatisfy(r -> assertThat(r.status()).as(r.body()).isEqualTo(202));
        awaitStored(ws, 1);
        String id = server.store().events().idWithKey(ws.id(), "order-50").orElseThrow();
        // a node that has not seen the key tells its first sender accepted with an id of its own; only one is stored
        List<Response> accepted = responses.stream().filter(r -> "accepted".equals(r.json().get("outcome"))).toList();
        assertThat(accepted).hasSizeBetween(1, nodes());
        assertThat(accepted).extracting(r -> r.json().get("id")).contains(id);
        assertThat(responses).filteredOn(r -> "duplicate".equals(r.json().get("outcome"))).hasSize(SENDERS - accepted.size());
        assertThat(responses).extracting(r -> r.json().get("id")).doesNotContainNull()
                .containsOnlyElementsOf(accepted.stream().map(r -> r.json().get("id")).toList());

        assertThat(awaitLogged(ws, "accepted", 1)).singleElement().satisfies(e -> assertThat(e).containsEntry("event_id", id));
        assertThat(awaitLogged(ws, "duplicate", SENDERS - 1)).hasSize(SENDERS - 1);
        assertThat(server.store().events().count(ws.id())).isEqualTo(1);
    }

    @Test
    void aRepeatedKeyIsADuplicateNamingTheFirstEvent() throws InterruptedException {
        Ws ws = newWorkspace();
        String body = "{\"event_name\":\"purchase\",\"email\":\"buyer@example.com\",\"idempotency_key\":\"k-1\"}";
        Response first = node(0).postJson(EVENTS, ws.token(), body);
        awaitStored(ws, 1);
        Response second = node(1).postJson("/public-api/v1/events/track", ws.token(),
                "{\"event_name\":\"purchase\",\"email\":\"other@example.com\",\"idempotency_key\":\"k-1\"}");

        assertThat(first.json()).containsEntry("outcome", "accepted");
        assertThat(second.status()).isEqualTo(202);
        assertThat(second.json()).containsEntry("outcome", "duplicate").containsEntry("id", first.json().get("id"));
        assertThat((String) second.json().get("message")).contains("duplicate");
        assertThat(server.store().events().count(ws.id())).isEqualTo(1);
        assertThat(server.store().events().find(ws.id(), (String) first.json().get("id")).orElseThrow()
                .person().email()).isEqualTo("buyer@example.com");
    }

    @Test
    void aKeyUsedByASingleEventMakesABatchItemADuplicate() throws InterruptedException {
        Ws ws = newWorkspace();
        Response single = node(0).postJson(EVENTS, ws.token(),
                "{\"event_name\":\"purchase\",\"email\":\"b@example.com\",\"idempotency_key\":\"k-batch\"}");
        awaitStored(ws, 1);
        Response batch = node(1).postJson("/public-api/v1/events/batch", ws.token(),
                "{\"events\":[{\"event_name\":\"purchase\",\"email\":\"b@example.com\",\"idempotency_key\":\"k-batch\"}]}");

        Map<String, Object> item = list(batch.json().get("results")).get(0);
        assertThat(item).containsEntry("outcome", "duplicate").containsEntry("id", single.json().get("id"));
        assertThat(server.store().events().count(ws.id())).isEqualTo(1);
    }

    @Test
    void theSameKeyInTwoWorkspacesStoresTwoEvents() throws InterruptedException {
        Ws a = newWorkspace();
        Ws b = newWorkspace();
        String body = "{\"event_name\":\"purchase\",\"email\":\"buyer@example.com\",\"idempotency_key\":\"shared-key\"}";
        Response inA = node(0).postJson(EVENTS, a.token(), body);
        Response inB = node(1).postJson(EVENTS, b.token(), body);
        awaitStored(a, 1);
        awaitStored(b, 1);

        assertThat(inA.json()).containsEntry("outcome", "accepted");
        assertThat(inB.json()).containsEntry("outcome", "accepted");
        assertThat(inA.json().get("id")).isNotEqualTo(inB.json().get("id"));
        assertThat(server.store().events().count(a.id())).isEqualTo(1);
        assertThat(server.store().events().count(b.id())).isEqualTo(1);
        assertThat(server.store().events().find(b.id(), (String) inB.json().get("id"))).isPresent();
    }

    @Test
    void eventsWithoutAKeyAreNeverDuplicates() throws InterruptedException {
        Ws ws = newWorkspace();
        Response one = node(0).postJson(EVENTS, ws.token(), "{\"event_name\":\"contact\",\"email\":\"x@example.com\"}");
        Response two = node(0).postJson(EVENTS, ws.token(), "{\"event_name\":\"contact\",\"email\":\"x@example.com\"}");
        Response three = node(1).postJson(EVENTS, ws.token(), "{\"event_name\":\"contact\",\"email\":\"x@example.com\"}");
        assertThat(List.of(one, two, three)).allSatisfy(r -> assertThat(r.json()).containsEntry("outcome", "accepted"));
        awaitStored(ws, 3);
        Thread.sleep(200); // nothing more arrives late
        assertThat(server.store().events().count(ws.id())).isEqualTo(3);
    }

    /** Waits (up to 30 s) until the workspace holds {@code events} stored events: in Kafka mode a store writer stores them. */
    private void awaitStored(Ws ws, long events) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        while (server.store().events().count(ws.id()) < events) {
            assertThat(System.nanoTime()).as("waited for " + events + " stored events").isLessThan(deadline);
            Thread.sleep(20);
        }
    }

    /** The events log's entries of this outcome, once there are {@code entries} (an entry appears once its record is stored). */
    private List<Map<String, Object>> awaitLogged(Ws ws, String outcome, int entries) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        while (true) {
            Response r = http.get("/api/v1/events-log?limit=500&outcome=" + outcome, ws.token());
            assertThat(r.status()).as(r.body()).isEqualTo(200);
            List<Map<String, Object>> data = list(r.json().get("data"));
            if (data.size() >= entries || System.nanoTime() > deadline) return data;
            Thread.sleep(50);
        }
    }
}
