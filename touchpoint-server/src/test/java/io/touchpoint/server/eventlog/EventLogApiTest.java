package io.touchpoint.server.eventlog;

import io.touchpoint.server.support.HttpTestClient.Response;
import io.touchpoint.server.support.ServerTest;
import io.touchpoint.server.support.TestServer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import static io.touchpoint.server.support.ErrorAssert.assertError;
import static org.assertj.core.api.Assertions.assertThat;

/** The events log API — filters, cursor pagination newest first, administrator access. */
class EventLogApiTest extends ServerTest {
    private static final String EVENTS = "/public-api/v1/events";
    private static final String LOG = "/api/v1/events-log";

    @Test
    void filtersByOutcomeEventNameEmailAndRequestId() {
        Ws ws = newWorkspace();
        String a = send(ws, "{\"event_name\":\"purchase\",\"email\":\"a@example.com\",\"idempotency_key\":\"k\"}");
        String b = send(ws, "{\"event_name\":\"lead_generated\",\"email\":\"b@example.com\"}");
        String c = send(ws, "{\"event_name\":\"purchase\",\"email\":\"c@example.com\",\"amount\":-3}");
        String d = send(ws, "{\"event_name\":\"purchase\",\"email\":\"A@example.com\",\"idempotency_key\":\"k\"}");

        assertThat(requestIds(ws, "outcome=accepted")).containsExactly(b, a);
        assertThat(requestIds(ws, "outcome=duplicate")).containsExactly(d);
        assertThat(requestIds(ws, "outcome=REJECTED")).containsExactly(c);
        assertThat(requestIds(ws, "event_name=purchase")).containsExactly(d, c, a);
        assertThat(requestIds(ws, "event_name=sign_up")).isEmpty();
        assertThat(requestIds(ws, "email=" + enc("A@Example.com"))).containsExactly(d, a);
        assertThat(requestIds(ws, "request_id=" + c)).containsExactly(c);
        assertThat(requestIds(ws, "outcome=accepted&event_name=purchase")).containsExactly(a);
        assertThat(requestIds(ws, "")).containsExactly(d, c, b, a);

        Map<String, Object> rejected = page(ws, "outcome=rejected").get(0);
        assertThat(rejected).containsEntry("event_name", "purchase").containsEntry("email", "c@example.com")
                .containsEntry("http_status", 422).containsEntry("endpoint", EVENTS).containsEntry("source", "cometly");
        assertThat(map(rejected.get("error"))).containsEntry("code", "invalid_value").containsEntry("param", "amount");
        Map<String, Object> duplicate = page(ws, "outcome=duplicate").get(0);
        assertThat(duplicate.get("event_id")).isEqualTo(page(ws, "request_id=" + a).get(0).get("event_id")).isNotNull();
    }

    @Test
    void filtersByTime() {
        Ws ws = newWorkspace();
        for (int i = 0; i < 6; i++) send(ws, "{\"event_name\":\"contact\",\"email\":\"t" + i + "@example.com\"}");
        List<Map<String, Object>> all = page(ws, "");
        List<Instant> times = all.stream().map(e -> Instant.parse((String) e.get("received_at"))).toList();
        List<Instant> distinct = times.stream().distinct().sorted().toList();
        assertThat(distinct).hasSizeGreaterThan(1);
        Instant pivot = distinct.get(distinct.size() / 2);

        Set<Object> atOrAfter = new HashSet<>(), before = new HashSet<>();
        for (int i = 0; i < all.size(); i++) {
            (times.get(i).isBefore(pivot) ? before : atOrAfter).add(all.get(i).get("request_id"));
        }
        assertThat(requestIds(ws, "from=" + enc(pivot.toString()))).containsExactlyInAnyOrderElementsOf(atOrAfter);
        assertThat(requestIds(ws, "to=" + enc(pivot.toString()))).containsExactlyInAnyOrderElementsOf(before);
        assertThat(requestIds(ws, "from=" + pivot.toEpochMilli())).containsExactlyInAnyOrderElementsOf(atOrAfter);
        assertThat(requestIds(ws, "from=" + enc(pivot.toString()) + "&to=" + enc(pivot.plusMillis(1).toString())))
                .isNotEmpty().isSubsetOf(atOrAfter);
        assertThat(requestIds(ws, "from=" + Instant.now().plusSeconds(3600).getEpochSecond())).isEmpty();
        assertThat(requestIds(ws, "to=2001-01-01T00:00:00Z")).isEmpty();
    }

    @Test
    void pagesWalkNewestFirstWithoutOverlapOrGaps() {
        Ws ws = newWorkspace();
        List<String> sent = new ArrayList<>();
        for (int i = 0; i < 12; i++) sent.add(send(ws, "{\"event_name\":\"view_content\",\"email\":\"p" + i + "@example.com\"}"));

        List<String> walked = new ArrayList<>();
        List<Integer> sizes = new ArrayList<>();
        String cursor = null;
        do {
            Response r = http.get(LOG + "?limit=5" + (cursor == null ? "" : "&cursor=" + cursor), ws.token());
            assertThat(r.status()).as(r.body()).isEqualTo(200);
            List<Map<String, Object>> data = list(r.json().get("data"));
            sizes.add(data.size());
            data.forEach(e -> walked.add((String) e.get("request_id")));
            cursor = (String) r.json().get("next_cursor");
        } while (cursor != null && sizes.size() < 10);

        assertThat(sizes).containsExactly(5, 5, 2);
        assertThat(walked).doesNotHaveDuplicates().containsExactlyElementsOf(sent.reversed());
    }

    @Test
    void aLastFullPageHasNoNextCursor() {
        Ws ws = newWorkspace();
        for (int i = 0; i < 4; i++) send(ws, "{\"event_name\":\"view_content\",\"email\":\"q" + i + "@example.com\"}");

        Response first = http.get(LOG + "?limit=2", ws.token());
        assertThat(first.json().get("next_cursor")).isNotNull();
        Response second = http.get(LOG + "?limit=2&cursor=" + first.json().get("next_cursor"), ws.token());
        assertThat(list(second.json().get("data"))).hasSize(2);
        assertThat(second.json().get("next_cursor")).isNull();
        assertThat(http.get(LOG + "?limit=4", ws.token()).json().get("next_cursor")).isNull();
    }

    @Test
    void paginationKeepsTheFilters() {
        Ws ws = newWorkspace();
        List<String> purchases = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            purchases.add(send(ws, "{\"event_name\":\"purchase\",\"email\":\"f" + i + "@example.com\"}"));
            send(ws, "{\"event_name\":\"contact\",\"email\":\"f" + i + "@example.com\"}");
        }
        Response first = http.get(LOG + "?event_name=purchase&limit=3", ws.token());
        Response second = http.get(LOG + "?event_name=purchase&limit=3&cursor=" + first.json().get("next_cursor"), ws.token());
        List<Object> ids = new ArrayList<>();
        list(first.json().get("data")).forEach(e -> ids.add(e.get("request_id")));
        list(second.json().get("data")).forEach(e -> ids.add(e.get("request_id")));
        assertThat(ids).containsExactlyElementsOf(purchases.reversed());
        assertThat(second.json().get("next_cursor")).isNull();
    }

    @Test
    void theAdministratorChoosesAWorkspaceByIdOrName() {
        Ws a = newWorkspace();
        Ws b = newWorkspace();
        String inA = send(a, "{\"event_name\":\"contact\",\"email\":\"a@example.com\"}");
        String inB = send(b, "{\"event_name\":\"contact\",\"email\":\"b@example.com\"}");
        String admin = TestServer.ADMIN_TOKEN;

        for (String which : List.of(b.id(), b.name())) {
            Response r = http.get(LOG + "?workspace=" + enc(which), admin);
            assertThat(r.status()).as(r.body()).isEqualTo(200);
            assertThat(list(r.json().get("data"))).extracting(e -> e.get("request_id")).containsExactly(inB);
        }
        assertThat(list(http.get(LOG + "?limit=500", admin).json().get("data"))).extracting(e -> e.get("request_id"))
                .contains(inA, inB);
        Response one = http.get(LOG + "/" + inA + "?workspace=" + enc(a.name()), admin);
        assertThat(list(one.json().get("data"))).singleElement().satisfies(e -> assertThat(e).containsEntry("workspace_id", a.id()));
        assertError(http.get(LOG + "/" + inA + "?workspace=" + b.id(), admin), 404, "not_found");
        assertError(http.get(LOG + "?workspace=no-such-workspace", admin), 404, "not_found");
    }

    @ParameterizedTest
    @CsvSource({"outcome=bogus, outcome", "from=last-tuesday, from", "to=soon, to", "limit=0, limit",
            "limit=501, limit", "limit=ten, limit", "cursor=abc, cursor", "since=abc, since", "since=-1, since",
            "since=5&cursor=1_1, since"})
    void badFilterValuesAre400NamingTheParameter(String query, String param) {
        Ws ws = newWorkspace();
        Response r = http.get(LOG + "?" + query, ws.token());
        assertThat(assertError(r, 400, "invalid_parameter")).containsEntry("param", param);
    }

    @Test
    void unknownParametersAre400NamingEveryOneInsteadOfAnsweringUnfiltered() {
        Ws ws = newWorkspace();
        send(ws, "{\"event_name\":\"contact\",\"email\":\"someone@example.com\"}");
        Response r = http.get(LOG + "?phone=" + enc("+16505551212") + "&evnt_name=purchase", ws.token());
        Map<String, Object> error = assertError(r, 400, "invalid_parameter");
        assertThat(error).containsEntry("param", "evnt_name");
        assertThat(list(error.get("details"))).extracting(d -> d.get("param")).containsExactly("evnt_name", "phone");
        assertThat((String) r.json().get("message")).contains("'evnt_name'").contains("'phone'").contains("identifier=TYPE:VALUE");
        assertThat(assertError(http.get(LOG + "/" + r.header("Request-Id") + "?limit=5", ws.token()), 400, "invalid_parameter"))
                .containsEntry("param", "limit");
        assertThat(http.get(LOG + "?workspace=" + ws.id() + "&limit=5", TestServer.ADMIN_TOKEN).status()).isEqualTo(200);
    }

    @Test
    void anyIdentifierFindsTheEntriesThatCarriedItNormalisedAsIngestStoresIt() {
        Ws ws = newWorkspace();
        Ws other = newWorkspace();
        String phone = send(ws, "{\"event_name\":\"lead_generated\",\"email\":\"p@example.com\",\"phone\":\"(650) 555-1212\"}");
        String token = send(ws, "{\"event_name\":\"purchase\",\"comet_token\":\"tpv.tok-123\"}");
        String refused = send(ws, "{\"event_name\":\"purchase\",\"email\":\"r@example.com\",\"amount\":-3}");
        send(other, "{\"event_name\":\"lead_generated\",\"email\":\"p@example.com\",\"phone\":\"+1 650 555 1212\"}");
        var funnel = server.workspaces().createFunnel(ws.id(), "able-" + ws.name());
        Response able = http.postJson("/uip-events/event", null, "{\"funnel_mark\":\"" + funnel.mark()
                + "\",\"event_type\":\"Lead\",\"resource\":{\"keys\":{\"client_id\":\"12354\"}}}");
        assertThat(able.status()).as(able.body()).isEqualTo(202);
        String client = able.header("Request-Id");

        for (String asked : List.of("phone:+16505551212", "phone:(650) 555-1212", "phone:16505551212", "PHONE:650-555-1212")) {
            assertThat(requestIds(ws, "identifier=" + enc(asked))).as(asked).containsExactly(phone);
        }
        assertThat(requestIds(ws, "identifier=" + enc("email:P@Example.com"))).containsExactly(phone);
        assertThat(requestIds(ws, "identifier=" + enc("visitor_token:tpv.tok-123"))).containsExactly(token);
        assertThat(requestIds(ws, "identifier=" + enc("client_id:12354"))).containsExactly(client);
        assertThat(requestIds(ws, "identifier=" + enc("email:r@example.com"))).as("a refused request, by the email it named")
                .containsExactly(refused);
        assertThat(requestIds(ws, "identifier=" + enc("email:r@example.com") + "&outcome=accepted")).isEmpty();
        assertThat(requestIds(ws, "identifier=" + enc("client_id:16505551212"))).isEmpty();
        // the tail follows the same filter
        Response first = http.get(LOG + "?identifier=" + enc("phone:+16505551212"), ws.token());
        String again = send(ws, "{\"event_name\":\"purchase\",\"email\":\"p@example.com\",\"phone\":\"650.555.1212\"}");
        send(ws, "{\"event_name\":\"purchase\",\"email\":\"p@example.com\"}");
        assertThat(list(http.get(LOG + "?identifier=" + enc("phone:+16505551212") + "&since=" + first.json().get("tail_cursor"),
                ws.token()).json().get("data"))).extracting(e -> e.get("request_id")).containsExactly(again);

        assertThat(assertError(http.get(LOG + "?identifier=phone", ws.token()), 400, "invalid_parameter")).containsEntry("param", "identifier");
        assertThat(assertError(http.get(LOG + "?identifier=" + enc("shoe_size:42"), ws.token()), 400, "invalid_parameter"))
                .containsEntry("param", "identifier");
        assertThat(assertError(http.get(LOG + "?identifier=" + enc("email:p@example.com"), TestServer.ADMIN_TOKEN), 400,
                "invalid_parameter")).containsEntry("param", "identifier");
        assertThat(list(http.get(LOG + "?workspace=" + ws.id() + "&identifier=" + enc("email:p@example.com"), TestServer.ADMIN_TOKEN)
                .json().get("data"))).hasSize(3);

        // the log indexer moves what ingest wrote beside each entry into the index; the answers stay the same
        long giveUp = System.nanoTime() + 10_000_000_000L;
        while (indexed() < 8 && System.nanoTime() < giveUp) Thread.yield();
        assertThat(indexed()).isGreaterThanOrEqualTo(8);
        assertThat(requestIds(ws, "identifier=" + enc("phone:+16505551212"))).containsExactly(again, phone);
        assertThat(requestIds(ws, "identifier=" + enc("client_id:12354"))).containsExactly(client);
        assertThat(requestIds(ws, "identifier=" + enc("email:r@example.com"))).containsExactly(refused);
    }

    private double indexed() {
        for (String line : http.get("/metrics", null).body().split("\n")) {
            if (line.startsWith("touchpoint_event_log_indexed_entries_total")) return Double.parseDouble(line.substring(line.lastIndexOf(' ') + 1));
        }
        return 0;
    }

    @Test
    void anUnknownRequestIdIs404() {
        Ws ws = newWorkspace();
        assertError(http.get(LOG + "/req_does_not_exist", ws.token()), 404, "not_found");
    }

    @Test
    void aLiveTailAnswersOnlyWhatWasCommittedSinceItsCursorNewestFirst() {
        Ws ws = newWorkspace();
        String before = send(ws, "{\"event_name\":\"contact\",\"email\":\"old@example.com\"}");
        Response first = http.get(LOG, ws.token());
        assertThat(list(first.json().get("data"))).extracting(e -> e.get("request_id")).containsExactly(before);
        String cursor = (String) first.json().get("tail_cursor");
        assertThat(first.json()).containsEntry("tail_has_more", false);

        Response quiet = http.get(LOG + "?since=" + cursor, ws.token());
        assertThat(list(quiet.json().get("data"))).isEmpty();
        assertThat(quiet.json()).containsEntry("tail_cursor", cursor).containsEntry("next_cursor", null);

        Ws other = newWorkspace();
        String accepted = send(ws, "{\"event_name\":\"purchase\",\"email\":\"New@Example.com\"}");
        send(other, "{\"event_name\":\"purchase\",\"email\":\"new@example.com\"}");
        String rejected = send(ws, "{\"event_name\":\"purchase\"}");
        Response tail = http.get(LOG + "?since=" + cursor, ws.token());
        assertThat(tail.status()).as(tail.body()).isEqualTo(200);
        assertThat(list(tail.json().get("data"))).extracting(e -> e.get("request_id")).containsExactly(rejected, accepted);
        String next = (String) tail.json().get("tail_cursor");
        assertThat(Long.parseLong(next)).isGreaterThan(Long.parseLong(cursor));
        assertThat(list(http.get(LOG + "?since=" + next, ws.token()).json().get("data"))).isEmpty();

        // the filters apply to the tail, and a tail that hits its limit says so and resumes without a gap
        assertThat(list(http.get(LOG + "?outcome=rejected&since=" + cursor, ws.token()).json().get("data")))
                .extracting(e -> e.get("request_id")).containsExactly(rejected);
        assertThat(list(http.get(LOG + "?email=" + enc(" NEW@example.com") + "&since=" + cursor, ws.token()).json()
                .get("data"))).extracting(e -> e.get("request_id")).containsExactly(accepted);
        Response one = http.get(LOG + "?limit=1&since=" + cursor, ws.token());
        assertThat(list(one.json().get("data"))).extracting(e -> e.get("request_id")).containsExactly(accepted);
        assertThat(one.json()).containsEntry("tail_has_more", true);
        assertThat(list(http.get(LOG + "?limit=1&since=" + one.json().get("tail_cursor"), ws.token()).json().get("data")))
                .extracting(e -> e.get("request_id")).containsExactly(rejected);
    }

    @Test
    void anEmptySearchBoxFiltersNothing() {
        Ws ws = newWorkspace();
        String a = send(ws, "{\"event_name\":\"contact\",\"email\":\"box@example.com\"}");
        assertThat(requestIds(ws, "email=&event_name=&request_id=")).containsExactly(a);
    }

    @Test
    void readingNeedsAToken() {
        assertError(http.get(LOG, null), 401, "token_missing");
        assertError(http.get(LOG, "tp_unknown"), 401, "token_invalid");
    }

    private String send(Ws ws, String body) {
        Response r = http.postJson(EVENTS, ws.token(), body);
        assertThat(r.header("Request-Id")).isNotBlank();
        return r.header("Request-Id");
    }

    private List<Map<String, Object>> page(Ws ws, String query) {
        Response r = http.get(LOG + "?limit=500" + (query.isEmpty() ? "" : "&" + query), ws.token());
        assertThat(r.status()).as(r.body()).isEqualTo(200);
        assertThat(r.json()).containsEntry("request_id", r.header("Request-Id"));
        return list(r.json().get("data"));
    }

    private List<Object> requestIds(Ws ws, String query) {
        return page(ws, query).stream().map(e -> e.get("request_id")).toList();
    }

    private static String enc(String s) {
        return URLEncoder.encode(s, StandardCharsets.UTF_8);
    }
}
