package io.touchpoint.server.ingest;

import io.touchpoint.core.model.Event;
import io.touchpoint.server.support.HttpTestClient.Response;
import io.touchpoint.server.support.ServerTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import java.util.stream.IntStream;

import static io.touchpoint.server.support.ErrorAssert.assertError;
import static org.assertj.core.api.Assertions.assertThat;

/** {@code POST /public-api/v1/events/batch}, a result per event, in order. */
class BatchIngestTest extends ServerTest {
    private static final String BATCH = "/public-api/v1/events/batch";

    @Test
    void mixedValidAndInvalidItemsGetOneResultEachInOrder() {
        Ws ws = newWorkspace();
        String body = "{\"events\":["
                + "{\"event_name\":\"lead_generated\",\"email\":\"one@example.com\"},"
                + "{\"event_name\":\"not_an_event\",\"email\":\"two@example.com\"},"
                + "{\"event_name\":\"purchase\",\"comet_token\":\"t3\",\"amount\":5},"
                + "{\"event_name\":\"purchase\",\"email\":\"four@example.com\",\"amount\":-1},"
                + "{\"event_name\":\"sign_up\",\"fingerprint\":\"f5\",\"ip\":\"10.0.0.5\"}]}";
        Response r = http.postJson(BATCH, ws.token(), body);

        assertThat(r.status()).as(r.body()).isEqualTo(200);
        assertThat(r.json()).containsEntry("accepted", 3).containsEntry("duplicates", 0).containsEntry("rejected", 2)
                .containsEntry("request_id", r.header("Request-Id"));
        List<Map<String, Object>> results = list(r.json().get("results"));
        assertThat(results).extracting(m -> m.get("index")).containsExactly(0, 1, 2, 3, 4);
        assertThat(results).extracting(m -> m.get("status")).containsExactly(202, 422, 202, 422, 202);
        assertThat(results).extracting(m -> m.get("outcome")).containsExactly("accepted", null, "accepted", null, "accepted");
        assertThat(map(results.get(1).get("error"))).containsEntry("param", "event_name").containsEntry("code", "invalid_value");
        assertThat(map(results.get(3).get("error"))).containsEntry("param", "amount").containsEntry("code", "invalid_value");
        assertThat((String) results.get(1).get("message")).contains("not_an_event");

        Event first = server.store().events().find(ws.id(), (String) results.get(0).get("id")).orElseThrow();
        Event third = server.store().events().find(ws.id(), (String) results.get(2).get("id")).orElseThrow();
        Event fifth = server.store().events().find(ws.id(), (String) results.get(4).get("id")).orElseThrow();
        assertThat(first.person().email()).isEqualTo("one@example.com");
        assertThat(third.commerce().value()).isEqualByComparingTo("5");
        assertThat(fifth.context().ip()).isEqualTo("10.0.0.5");
        assertThat(first.rawPayload()).isEqualTo("{\"event_name\":\"lead_generated\",\"email\":\"one@example.com\"}");
        assertThat(server.store().events().count(ws.id())).isEqualTo(3);

        Response log = http.get("/api/v1/events-log/" + r.header("Request-Id"), ws.token());
        List<Map<String, Object>> entries = list(log.json().get("data"));
        assertThat(entries).extracting(m -> m.get("item_index")).containsExactly(0, 1, 2, 3, 4);
        assertThat(entries).extracting(m -> m.get("outcome"))
                .containsExactly("accepted", "rejected", "accepted", "rejected", "accepted");
        assertThat(entries).extracting(m -> m.get("request_id")).containsOnly(r.header("Request-Id"));
        assertThat(map(entries.get(3).get("error"))).containsEntry("code", "invalid_value").containsEntry("param", "amount");
        assertThat(entries.get(3).get("payload")).asString().contains("\"amount\":-1");
    }

    @Test
    void itemsThatAreNotObjectsAreRejectedOneByOne() {
        Ws ws = newWorkspace();
        Response r = http.postJson(BATCH, ws.token(),
                "{\"events\":[\"lead\",42,null,[1],{\"event_name\":\"contact\",\"email\":\"c@example.com\"},true]}");

        assertThat(r.status()).isEqualTo(200);
        List<Map<String, Object>> results = list(r.json().get("results"));
        assertThat(results).extracting(m -> m.get("status")).containsExactly(422, 422, 422, 422, 202, 422);
        for (int i : new int[] {0, 1, 2, 3, 5}) {
            assertThat(map(results.get(i).get("error"))).as("item %d", i)
                    .containsEntry("param", "events[" + i + "]").containsEntry("code", "invalid_type");
        }
        assertThat(r.json()).containsEntry("accepted", 1).containsEntry("rejected", 5);
        assertThat(server.store().events().count(ws.id())).isEqualTo(1);
    }

    @Test
    void duplicatesInsideOneBatchAreStoredOnce() {
        Ws ws = newWorkspace();
        String body = "{\"events\":["
                + "{\"event_name\":\"purchase\",\"email\":\"d@example.com\",\"idempotency_key\":\"order-1\"},"
                + "{\"event_name\":\"purchase\",\"email\":\"d@example.com\",\"idempotency_key\":\"order-2\"},"
                + "{\"event_name\":\"purchase\",\"email\":\"d@example.com\",\"idempotency_key\":\"order-1\"}]}";
        Response r = http.postJson(BATCH, ws.token(), body);

        List<Map<String, Object>> results = list(r.json().get("results"));
        assertThat(results).extracting(m -> m.get("outcome")).containsExactly("accepted", "accepted", "duplicate");
        assertThat(results).extracting(m -> m.get("status")).containsOnly(202);
        assertThat(results.get(2).get("id")).isEqualTo(results.get(0).get("id"));
        assertThat(results.get(1).get("id")).isNotEqualTo(results.get(0).get("id"));
        assertThat(r.json()).containsEntry("accepted", 2).containsEntry("duplicates", 1).containsEntry("rejected", 0);
        assertThat(server.store().events().count(ws.id())).isEqualTo(2);

        // and a second batch with the same keys stores nothing new
        Response again = http.postJson(BATCH, ws.token(), body);
        assertThat(list(again.json().get("results"))).extracting(m -> m.get("outcome")).containsOnly("duplicate");
        assertThat(list(again.json().get("results"))).extracting(m -> m.get("id"))
                .containsExactlyElementsOf(results.stream().map(m -> m.get("id")).toList());
        assertThat(server.store().events().count(ws.id())).isEqualTo(2);
    }

    @Test
    void aThousandEventsAreAccepted() {
        Ws ws = newWorkspace();
        Response r = http.postJson(BATCH, ws.token(), batchOf(1000));

        assertThat(r.status()).as(r.body()).isEqualTo(200);
        assertThat(r.json()).containsEntry("accepted", 1000);
        assertThat(list(r.json().get("results"))).extracting(m -> m.get("index"))
                .containsExactlyElementsOf(IntStream.range(0, 1000).boxed().toList());
        assertThat(server.store().events().count(ws.id())).isEqualTo(1000);
    }

    @ParameterizedTest
    @ValueSource(ints = {0, 1001})
    void tooFewOrTooManyEventsAreRejected(int n) {
        Ws ws = newWorkspace();
        Response r = http.postJson(BATCH, ws.token(), batchOf(n));

        Map<String, Object> error = assertError(r, 422, "invalid_value");
        assertThat(error).containsEntry("param", "events");
        assertThat(server.store().events().count(ws.id())).isZero();
        Map<String, Object> log = list(http.get("/api/v1/events-log/" + r.header("Request-Id"), ws.token())
                .json().get("data")).get(0);
        assertThat(log).containsEntry("outcome", "rejected").containsEntry("http_status", 422);
        assertThat(map(log.get("error"))).containsEntry("code", "invalid_value").containsEntry("param", "events");
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
            "{}                                                                | missing_field",
            "{\"events\":null}                                                 | missing_field",
            "{\"event\":[{\"event_name\":\"purchase\",\"email\":\"a@example.com\"}]} | missing_field",
            "{\"events\":{\"event_name\":\"purchase\",\"email\":\"a@example.com\"}}  | invalid_type",
            "{\"events\":\"x\"}                                                  | invalid_type"})
    void aBodyWithoutAnEventsArrayIsRejectedNamingTheField(String body, String code) {
        Ws ws = newWorkspace();
        Response r = http.postJson(BATCH, ws.token(), body);

        Map<String, Object> error = assertError(r, 422, code);
        assertThat(error).containsEntry("param", "events");
        assertThat(server.store().events().count(ws.id())).isZero();
    }

    @Test
    void batchBodiesAreCheckedLikeSingleOnes() {
        Ws ws = newWorkspace();
        assertError(http.postJson(BATCH, ws.token(), "[{\"event_name\":\"purchase\"}]"), 400, "body_not_object");
        assertError(http.postJson(BATCH, ws.token(), "{\"events\":["), 400, "malformed_json");
        Response wrongType = http.post(BATCH, ws.token(), "text/plain", batchOf(1));
        assertError(wrongType, 415, "unsupported_media_type");
        assertThat(list(http.get("/api/v1/events-log/" + wrongType.header("Request-Id"), ws.token()).json().get("data")))
                .singleElement().satisfies(e -> assertThat(e).containsEntry("outcome", "rejected")
                        .containsEntry("payload", batchOf(1)));
        assertError(http.postJson(BATCH, null, batchOf(1)), 401, "token_missing");
    }

    static String batchOf(int n) {
        return IntStream.range(0, n).mapToObj(i -> "{\"event_name\":\"view_content\",\"email\":\"user" + i
                + "@example.com\"}").collect(Collectors.joining(",", "{\"events\":[", "]}"));
    }
}
