package io.touchpoint.server.ingest;

import io.touchpoint.server.support.HttpTestClient.Response;
import io.touchpoint.server.support.ServerTest;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import static org.assertj.core.api.Assertions.assertThat;

/** Idempotency: one stored event per key and workspace, however many times and however fast it is sent. */
class IdempotencyTest extends ServerTest {
    private static final String EVENTS = "/public-api/v1/events";
    private static final int SENDERS = 50;

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
                answers.add(pool.submit(() -> {
                    ready.countDown();
                    go.await();
                    return http.postJson(EVENTS, ws.token(), body);
                }));
            }
            ready.await();
            go.countDown();
        }
        List<Response> responses = new ArrayList<>();
        for (Future<Response> f : answers) responses.add(f.get());

        assertThat(responses).allSatisfy(r -> assertThat(r.status()).as(r.body()).isEqualTo(202));
        assertThat(responses).extracting(r -> r.json().get("id")).doesNotContainNull().containsOnly(responses.get(0).json().get("id"));
        assertThat(responses).filteredOn(r -> "accepted".equals(r.json().get("outcome"))).hasSize(1);
        assertThat(responses).filteredOn(r -> "duplicate".equals(r.json().get("outcome"))).hasSize(SENDERS - 1);
        assertThat(server.store().events().count(ws.id())).isEqualTo(1);

        String id = (String) responses.get(0).json().get("id");
        assertThat(logged(ws, "accepted")).singleElement().satisfies(e -> assertThat(e).containsEntry("event_id", id));
        assertThat(logged(ws, "duplicate")).hasSize(SENDERS - 1).allSatisfy(e -> assertThat(e).containsEntry("event_id", id));
    }

    @Test
    void aRepeatedKeyIsADuplicateNamingTheFirstEvent() {
        Ws ws = newWorkspace();
        String body = "{\"event_name\":\"purchase\",\"email\":\"buyer@example.com\",\"idempotency_key\":\"k-1\"}";
        Response first = http.postJson(EVENTS, ws.token(), body);
        Response second = http.postJson("/public-api/v1/events/track", ws.token(),
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
    void aKeyUsedByASingleEventMakesABatchItemADuplicate() {
        Ws ws = newWorkspace();
        Response single = http.postJson(EVENTS, ws.token(),
                "{\"event_name\":\"purchase\",\"email\":\"b@example.com\",\"idempotency_key\":\"k-batch\"}");
        Response batch = http.postJson("/public-api/v1/events/batch", ws.token(),
                "{\"events\":[{\"event_name\":\"purchase\",\"email\":\"b@example.com\",\"idempotency_key\":\"k-batch\"}]}");

        Map<String, Object> item = list(batch.json().get("results")).get(0);
        assertThat(item).containsEntry("outcome", "duplicate").containsEntry("id", single.json().get("id"));
        assertThat(server.store().events().count(ws.id())).isEqualTo(1);
    }

    @Test
    void theSameKeyInTwoWorkspacesStoresTwoEvents() {
        Ws a = newWorkspace();
        Ws b = newWorkspace();
        String body = "{\"event_name\":\"purchase\",\"email\":\"buyer@example.com\",\"idempotency_key\":\"shared-key\"}";
        Response inA = http.postJson(EVENTS, a.token(), body);
        Response inB = http.postJson(EVENTS, b.token(), body);

        assertThat(inA.json()).containsEntry("outcome", "accepted");
        assertThat(inB.json()).containsEntry("outcome", "accepted");
        assertThat(inA.json().get("id")).isNotEqualTo(inB.json().get("id"));
        assertThat(server.store().events().count(a.id())).isEqualTo(1);
        assertThat(server.store().events().count(b.id())).isEqualTo(1);
        assertThat(server.store().events().find(b.id(), (String) inB.json().get("id"))).isPresent();
    }

    @Test
    void eventsWithoutAKeyAreNeverDuplicates() {
        Ws ws = newWorkspace();
        Response one = http.postJson(EVENTS, ws.token(), "{\"event_name\":\"contact\",\"email\":\"x@example.com\"}");
        Response two = http.postJson(EVENTS, ws.token(), "{\"event_name\":\"contact\",\"email\":\"x@example.com\"}");
        assertThat(one.json()).containsEntry("outcome", "accepted");
        assertThat(two.json()).containsEntry("outcome", "accepted");
        assertThat(server.store().events().count(ws.id())).isEqualTo(2);
    }

    private List<Map<String, Object>> logged(Ws ws, String outcome) {
        Response r = http.get("/api/v1/events-log?limit=500&outcome=" + outcome, ws.token());
        assertThat(r.status()).as(r.body()).isEqualTo(200);
        return list(r.json().get("data"));
    }
}
