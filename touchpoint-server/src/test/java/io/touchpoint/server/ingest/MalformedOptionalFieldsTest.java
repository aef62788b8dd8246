package io.touchpoint.server.ingest;

import io.touchpoint.core.model.Event;
import io.touchpoint.core.model.Funnel;
import io.touchpoint.core.model.Identifier;
import io.touchpoint.core.model.IdentifierType;
import io.touchpoint.server.support.HttpTestClient.Response;
import io.touchpoint.server.support.ServerTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.util.List;
import java.util.Map;

import static io.touchpoint.server.support.ErrorAssert.assertError;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * docs/ERRORS.md, "A malformed optional field never costs the event": over HTTP, on both dialects, single and batch, an
 * optional identity or contact field that breaks its rule is dropped and named in {@code warnings}, in the answer and in
 * the events log, while something valid identifies the event; the stored event never holds the dropped value, and the
 * stages process it. Only an event that nothing valid identifies, or whose required fields are wrong, is refused.
 */
class MalformedOptionalFieldsTest extends ServerTest {
    private static final String EVENTS = "/public-api/v1/events";
    private static final String BATCH = "/public-api/v1/events/batch";
    private static final String ABLE = "/uip-events/event";

    // ---- the Cometly events API ----

    @ParameterizedTest(name = "[{index}] {0} with phone {1}")
    @CsvSource({EVENTS + ", 0000000000", EVENTS + ", 555-1234", "/public-api/v1/events/track, 0000000000"})
    void aPurchaseWithABadPhoneIsStoredWithoutItAndProcessed(String path, String phone) throws Exception {
        Ws ws = newWorkspace();
        String body = "{\"email\": \"ph@x.co\", \"phone\": \"" + phone + "\", \"event_name\": \"purchase\", \"amount\": 99}";
        Response r = http.postJson(path, ws.token(), body);

        assertThat(r.status()).as(r.body()).isEqualTo(202);
        String warning = "invalid field 'phone' dropped (kept in the raw payload): phone is not a phone number: '"
                + phone + "'";
        assertThat(r.json()).containsEntry("outcome", "accepted").containsEntry("warnings", List.of(warning));
        String id = (String) r.json().get("id");
        Event e = server.store().events().find(ws.id(), id).orElseThrow();
        assertThat(e.name()).isEqualTo("purchase");
        assertThat(e.commerce().value()).isEqualByComparingTo("99");
        assertThat(e.person().email()).isEqualTo("ph@x.co");
        assertThat(e.person().phone()).isNull();
        assertThat(e.identifiers()).containsExactly(new Identifier(IdentifierType.EMAIL, "ph@x.co"));
        assertThat(e.rawPayload()).isEqualTo(body); // the raw payload keeps what was sent

        assertThat(onlyLogEntry(ws.token(), r)).containsEntry("outcome", "accepted").containsEntry("http_status", 202)
                .containsEntry("event_id", id).containsEntry("email", "ph@x.co").containsEntry("error", null)
                .containsEntry("warnings", List.of(warning)).containsEntry("payload", body);

        // every stage takes it: the profile, and the conversion's attribution receipt
        awaitProcessed();
        assertThat(profileByIdentifier(ws, "email:ph@x.co")).containsKey("id");
        Response receipt = http.get("/api/v1/conversions/" + id + "/attribution", ws.token());
        assertThat(receipt.status()).as(receipt.body()).isEqualTo(200);
    }

    @Test
    void anUnparseableEmailBesideAValidTokenIsDropped() {
        Ws ws = newWorkspace();
        Response r = http.postJson(EVENTS, ws.token(),
                "{\"event_name\":\"lead_generated\",\"email\":\"jane at example\",\"comet_token\":\"tpv.lenient1\"}");

        assertThat(r.status()).as(r.body()).isEqualTo(202);
        String warning = "invalid field 'email' dropped (kept in the raw payload): email is not a valid email address";
        assertThat(r.json()).containsEntry("warnings", List.of(warning));
        Event e = server.store().events().find(ws.id(), (String) r.json().get("id")).orElseThrow();
        assertThat(e.person().email()).isNull();
        assertThat(e.identifiers()).containsExactly(new Identifier(IdentifierType.VISITOR_TOKEN, "tpv.lenient1"));
        assertThat(onlyLogEntry(ws.token(), r)).containsEntry("email", null).containsEntry("warnings", List.of(warning));
    }

    @Test
    void everyBadOptionalFieldIsNamedBesideTheUnknownOnes() {
        Ws ws = newWorkspace();
        Response r = http.postJson(EVENTS, ws.token(), json(Map.of("event_name", "purchase", "comet_token", "tpv.lenient2",
                "email", "nope", "phone", "555-1234", "ip", "localhost", "first_name", List.of("Jane"), "tier", "gold")));

        assertThat(r.status()).as(r.body()).isEqualTo(202);
        List<String> warnings = strings(r.json().get("warnings"));
        assertThat(warnings).hasSize(5).anyMatch(w -> w.startsWith("unknown field 'tier' ignored"))
                .anyMatch(w -> w.startsWith("invalid field 'email' dropped"))
                .anyMatch(w -> w.startsWith("invalid field 'phone' dropped"))
                .anyMatch(w -> w.startsWith("invalid field 'ip' dropped"))
                .anyMatch(w -> w.startsWith("invalid field 'first_name' dropped"));
        Event e = server.store().events().find(ws.id(), (String) r.json().get("id")).orElseThrow();
        assertThat(e.context().ip()).isNull();
        assertThat(e.person().firstName()).isNull();
        assertThat(onlyLogEntry(ws.token(), r).get("warnings")).isEqualTo(warnings);
    }

    @Test
    void whenNothingValidIdentifiesTheEventItIsRefusedWithEveryBrokenRule() {
        Ws ws = newWorkspace();
        Response r = http.postJson(EVENTS, ws.token(),
                "{\"event_name\":\"purchase\",\"email\":\"nope\",\"phone\":\"0000000000\",\"amount\":99}");

        Map<String, Object> error = assertError(r, 422, "invalid_value");
        assertThat(error).containsEntry("param", "email");
        assertThat(list(error.get("details"))).extracting(d -> d.get("param")).containsExactly("email", "phone");
        assertThat(server.store().events().count(ws.id())).isZero();
        assertThat(onlyLogEntry(ws.token(), r)).containsEntry("outcome", "rejected").containsEntry("http_status", 422);
    }

    @Test
    void aWrongRequiredFieldStillRefusesTheEventAndNamesTheBadOptionalOnesToo() {
        Ws ws = newWorkspace();
        Response r = http.postJson(EVENTS, ws.token(),
                "{\"event_name\":\"purchase\",\"email\":\"ph@x.co\",\"phone\":\"555-1234\",\"amount\":-1}");

        assertError(r, 422, "invalid_value");
        assertThat(list(map(r.json().get("error")).get("details"))).extracting(d -> d.get("param"))
                .containsExactly("phone", "amount");
        assertThat(server.store().events().count(ws.id())).isZero();
    }

    @Test
    void inABatchEachItemIsJudgedOnItsOwnAndEachLogEntryCarriesItsWarnings() {
        Ws ws = newWorkspace();
        String batch = "{\"events\":["
                + "{\"event_name\":\"purchase\",\"email\":\"one@example.com\",\"amount\":10},"
                + "{\"event_name\":\"purchase\",\"email\":\"two@example.com\",\"phone\":\"0000000000\",\"amount\":20},"
                + "{\"event_name\":\"purchase\",\"email\":\"three at example\",\"amount\":30},"
                + "{\"event_name\":\"lead_generated\",\"fingerprint\":\"fp-4\",\"ip\":\"999.1.1.1\",\"comet_token\":\"tpv.four\"}]}";
        Response r = http.postJson(BATCH, ws.token(), batch);

        assertThat(r.status()).as(r.body()).isEqualTo(200);
        assertThat(r.json()).containsEntry("accepted", 3).containsEntry("rejected", 1);
        List<Map<String, Object>> results = list(r.json().get("results"));
        assertThat(results.get(0)).containsEntry("status", 202).doesNotContainKey("warnings");
        assertThat(results.get(1)).containsEntry("status", 202).containsEntry("warnings", List.of(
                "invalid field 'phone' dropped (kept in the raw payload): phone is not a phone number: '0000000000'"));
        assertThat(results.get(2)).containsEntry("status", 422);
        assertThat(map(results.get(2).get("error"))).containsEntry("param", "email");
        assertThat(results.get(3)).containsEntry("status", 202);
        assertThat(strings(results.get(3).get("warnings"))).singleElement().asString().startsWith("invalid field 'ip' dropped");

        Response log = http.get("/api/v1/events-log/" + r.header("Request-Id"), ws.token());
        List<Map<String, Object>> entries = list(log.json().get("data"));
        assertThat(entries).extracting(e -> e.get("outcome")).containsExactly("accepted", "accepted", "rejected", "accepted");
        assertThat(entries.get(0)).containsEntry("warnings", List.of());
        assertThat(entries.get(1)).containsEntry("warnings", results.get(1).get("warnings"));
        assertThat(entries.get(3)).containsEntry("warnings", results.get(3).get("warnings"));
        assertThat(server.store().events().count(ws.id())).isEqualTo(3);

        // the list of the log carries them too
        Response listed = http.get("/api/v1/events-log?request_id=" + r.header("Request-Id"), ws.token());
        assertThat(list(listed.json().get("data"))).filteredOn(e -> Integer.valueOf(1).equals(e.get("item_index")))
                .singleElement().satisfies(e -> assertThat(e).containsEntry("warnings", results.get(1).get("warnings")));
    }

    // ---- the Able webhook ----

    @Test
    void anAbleEventWithABadEmailKeyBesideAValidOneIsStoredWithoutIt() throws Exception {
        Ws ws = newWorkspace();
        Funnel f = funnel(ws);
        String body = able(f, "Purchase", "\"deal_value\":99,\"deal_currency\":\"USD\",\"keys\":{\"email\":\"not-an-email\","
                + "\"phone\":\"0000000000\",\"client_id\":\"c-77\"},\"client\":{\"ip\":\"localhost\",\"ua\":\"Mozilla/5.0\"}");
        Response r = http.postJson(ABLE, null, body);

        assertThat(r.status()).as(r.body()).isEqualTo(202);
        List<String> warnings = strings(r.json().get("warnings"));
        assertThat(warnings).containsExactlyInAnyOrder(
                "invalid field 'resource.keys.phone' dropped (kept in the raw payload): resource.keys.phone is not a"
                        + " phone number: '0000000000'",
                "invalid field 'resource.keys.email' dropped (kept in the raw payload): resource.keys.email is not a"
                        + " valid email address",
                "invalid field 'resource.client.ip' dropped (kept in the raw payload): resource.client.ip is not an"
                        + " IPv4 or IPv6 address");
        Event e = server.store().events().find(ws.id(), (String) r.json().get("id")).orElseThrow();
        assertThat(e.identifiers()).containsExactly(new Identifier(IdentifierType.CLIENT_ID, "c-77"));
        assertThat(e.context().ip()).isNull();
        assertThat(e.context().userAgent()).isEqualTo("Mozilla/5.0");
        assertThat(e.commerce().value()).isEqualByComparingTo("99");
        assertThat(onlyLogEntry(ws.token(), r)).containsEntry("outcome", "accepted").containsEntry("warnings", warnings)
                .containsEntry("payload", body);
        awaitProcessed();
        assertThat(profileByIdentifier(ws, "client_id:c-77")).containsKey("id");
    }

    @Test
    void ableKeysSentAsJsonNumbersAreTheirDecimalText() {
        Ws ws = newWorkspace();
        Response r = http.postJson(ABLE, null, able(funnel(ws), "Lead",
                "\"keys\":{\"client_id\":12354,\"gclid\":[7,\"g-2\"],\"phone\":6505551212}"));

        assertThat(r.status()).as(r.body()).isEqualTo(202);
        assertThat(r.json()).doesNotContainKey("warnings");
        Event e = server.store().events().find(ws.id(), (String) r.json().get("id")).orElseThrow();
        assertThat(e.identifiers()).containsExactly(new Identifier(IdentifierType.PHONE, "16505551212"),
                new Identifier(IdentifierType.CLIENT_ID, "12354"), new Identifier(IdentifierType.GCLID, "7"),
                new Identifier(IdentifierType.GCLID, "g-2"));
    }

    @Test
    void anAbleEventWithNoValidKeyIsRefusedNamingEachBadOne() {
        Ws ws = newWorkspace();
        Response r = http.postJson(ABLE, null, able(funnel(ws), "Purchase",
                "\"keys\":{\"email\":\"nope\",\"phone\":\"555-1234\",\"client_id\":true}"));

        assertError(r, 422, "invalid_value");
        assertThat(list(map(r.json().get("error")).get("details"))).extracting(d -> d.get("param"))
                .containsExactlyInAnyOrder("resource.keys.email", "resource.keys.phone", "resource.keys.client_id");
        assertThat(server.store().events().count(ws.id())).isZero();
        assertThat(onlyLogEntry(ws.token(), r)).containsEntry("outcome", "rejected");
    }

    // ---- helpers ----

    @SuppressWarnings("unchecked")
    private static List<String> strings(Object warnings) {
        return (List<String>) warnings;
    }

    private Funnel funnel(Ws ws) {
        return server.workspaces().createFunnel(ws.id(), "lenient-" + ws.name() + "-"
                + server.workspaces().funnels(ws.id()).size());
    }

    private static String able(Funnel f, String eventType, String resourceFields) {
        return "{\"funnel_mark\":\"" + f.mark() + "\",\"event_type\":\"" + eventType + "\",\"resource\":{"
                + resourceFields + "}}";
    }

    private Map<String, Object> onlyLogEntry(String token, Response r) {
        Response log = http.get("/api/v1/events-log/" + r.header("Request-Id"), token);
        assertThat(log.status()).as(log.body()).isEqualTo(200);
        List<Map<String, Object>> data = list(log.json().get("data"));
        assertThat(data).hasSize(1);
        return data.get(0);
    }
}
