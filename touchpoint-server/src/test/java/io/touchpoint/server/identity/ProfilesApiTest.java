package io.touchpoint.server.identity;

import io.touchpoint.core.identity.Profile;
import io.touchpoint.core.model.Event;
import io.touchpoint.server.support.HttpTestClient.Response;
import io.touchpoint.server.support.ServerTest;
import io.touchpoint.server.support.TestServer;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** docs/IDENTITY.md over HTTP: the processor resolves ingested events, and the profile API reads, splits, exports and erases. */
class ProfilesApiTest extends ServerTest {
    private static final String T = "2026-03-01T10:00:";

    private static List<String> identifiers(Map<String, Object> profile) {
        return list(profile.get("identifiers")).stream().map(i -> i.get("type") + ":" + i.get("value")).toList();
    }

    @Test
    void crossDeviceFormsAndAnEmailOnlyPurchaseMakeOneProfileWithBothDevicesInItsJourney() throws Exception {
        Ws ws = newWorkspace();
        String laptopView = sendEvent(ws, "{\"event_name\":\"view_content\",\"comet_token\":\"tokA\",\"url\":\"https://shop.io/\",\"event_time\":\"" + T + "00Z\"}");
        String laptopForm = sendEvent(ws, "{\"event_name\":\"lead_generated\",\"comet_token\":\"tokA\",\"email\":\"Jane@Shop.io\",\"event_time\":\"" + T + "01Z\"}");
        String phoneView = sendEvent(ws, "{\"event_name\":\"view_content\",\"comet_token\":\"tokB\",\"url\":\"https://shop.io/m\",\"event_time\":\"" + T + "02Z\"}");
        String phoneForm = sendEvent(ws, "{\"event_name\":\"lead_generated\",\"comet_token\":\"tokB\",\"email\":\"jane@shop.io\",\"event_time\":\"" + T + "03Z\"}");
        String purchase = sendEvent(ws, "{\"event_name\":\"purchase\",\"email\":\"jane@shop.io\",\"amount\":49.9,\"event_time\":\"" + T + "04Z\"}");
        awaitProcessed();

        Map<String, Object> profile = profileByIdentifier(ws, "email:JANE@shop.io");
        assertThat(identifiers(profile)).containsExactlyInAnyOrder("visitor_token:tokA", "visitor_token:tokB", "email:jane@shop.io");
        assertThat(list(profile.get("identifiers"))).allSatisfy(i -> assertThat(i).containsKeys("rule", "event_id", "linked_to"));
        assertThat(list(profile.get("merges"))).singleElement().satisfies(m ->
                assertThat(m).containsEntry("event_id", phoneForm).containsEntry("outcome", "merged"));
        String id = (String) profile.get("id");
        assertThat(profileByIdentifier(ws, "visitor_token:tokB")).containsEntry("id", id);

        Response journey = http.get("/api/v1/profiles/" + id + "/journey", ws.token());
        assertThat(journey.status()).isEqualTo(200);
        assertThat(list(journey.json().get("data"))).extracting(e -> e.get("event_id"))
                .containsExactly(laptopView, laptopForm, phoneView, phoneForm, purchase);
        assertThat(list(journey.json().get("data"))).extracting(e -> e.get("page_url"))
                .containsExactly("https://shop.io/", null, "https://shop.io/m", null, null);

        // the events log shows the resolved profile
        Response log = http.get("/api/v1/events-log", ws.token());
        assertThat(list(log.json().get("data"))).hasSize(5).allSatisfy(e -> assertThat(e).containsEntry("profile_id", id));
        assertThat(http.get("/metrics", null).body()).contains("touchpoint_identity_lag_events").contains("touchpoint_identity_cursor");
    }

    @Test
    void thePeopleListShowsEveryoneMostRecentlySeenFirstSearchableAndPaged() throws Exception {
        Ws ws = newWorkspace();
        sendEvent(ws, "{\"event_name\":\"lead_generated\",\"comet_token\":\"tokA\",\"email\":\"jane@shop.io\",\"event_time\":\"" + T + "00Z\"}");
        sendEvent(ws, "{\"event_name\":\"purchase\",\"email\":\"jane@shop.io\",\"amount\":49.9,\"currency\":\"USD\",\"event_time\":\"" + T + "04Z\"}");
        sendEvent(ws, "{\"event_name\":\"purchase\",\"email\":\"jane@shop.io\",\"amount\":10,\"currency\":\"EUR\",\"event_time\":\"" + T + "05Z\"}");
        sendEvent(ws, "{\"event_name\":\"view_content\",\"comet_token\":\"tokP\",\"phone\":\"+14155552671\",\"event_time\":\"" + T + "09Z\"}");
        awaitProcessed();

        Response all = http.get("/api/v1/profiles", ws.token());
        assertThat(all.status()).as(all.body()).isEqualTo(200);
        List<Map<String, Object>> people = list(all.json().get("data"));
        assertThat(all.json().get("next_cursor")).isNull();
        assertThat(people).hasSize(2);
        assertThat(identifiers(people.get(0))).containsExactlyInAnyOrder("phone:14155552671", "visitor_token:tokP");
        assertThat(people.get(0)).containsEntry("conversions", 1).containsEntry("last_seen", T + "09Z");
        Map<String, Object> jane = people.get(1);
        assertThat(identifiers(jane)).containsExactlyInAnyOrder("email:jane@shop.io", "visitor_token:tokA");
        assertThat(jane).containsEntry("id", profileByIdentifier(ws, "email:jane@shop.io").get("id"))
                .containsEntry("first_seen", T + "00Z").containsEntry("last_seen", T + "05Z")
                .containsEntry("conversions", 3).containsEntry("revenue", 49.9)
                .containsEntry("revenue_other_currencies", Map.of("EUR", 10.0));

        assertThat(list(http.get("/api/v1/profiles?q=JANE@", ws.token()).json().get("data"))).extracting(p -> p.get("id"))
                .containsExactly(jane.get("id"));
        assertThat(list(http.get("/api/v1/profiles?q=%2B1%20(415)%20555-2671", ws.token()).json().get("data")))
                .extracting(p -> p.get("id")).containsExactly(people.get(0).get("id"));
        Response first = http.get("/api/v1/profiles?limit=1", ws.token());
        assertThat(list(first.json().get("data"))).extracting(p -> p.get("id")).containsExactly(people.get(0).get("id"));
        Response second = http.get("/api/v1/profiles?limit=1&cursor=" + java.net.URLEncoder.encode(
                (String) first.json().get("next_cursor"), java.nio.charset.StandardCharsets.UTF_8), ws.token());
        assertThat(list(second.json().get("data"))).extracting(p -> p.get("id")).containsExactly(jane.get("id"));
        assertThat(second.json().get("next_cursor")).isNull();

        io.touchpoint.server.support.ErrorAssert.assertError(http.get("/api/v1/profiles?limit=0", ws.token()), 400, "invalid_parameter");
        io.touchpoint.server.support.ErrorAssert.assertError(http.get("/api/v1/profiles?cursor=x", ws.token()), 400, "invalid_parameter");
        io.touchpoint.server.support.ErrorAssert.assertError(http.get("/api/v1/profiles?search=jane", ws.token()), 400, "invalid_parameter");
    }

    @Test
    void fingerprintAndIpJoinAServerEventButNeverTwoDifferentEmails() throws Exception {
        Ws ws = newWorkspace();
        sendEvent(ws, "{\"event_name\":\"view_content\",\"comet_token\":\"v1\",\"fingerprint\":\"fp-1\",\"ip\":\"198.51.100.4\",\"email\":\"a@shop.io\"}");
        String server = sendEvent(ws, "{\"event_name\":\"purchase\",\"fingerprint\":\"fp-1\",\"ip\":\"198.51.100.4\",\"amount\":10}");
        String other = sendEvent(ws, "{\"event_name\":\"lead_generated\",\"fingerprint\":\"fp-1\",\"ip\":\"198.51.100.4\",\"email\":\"b@shop.io\"}");
        awaitProcessed();

        String a = (String) profileByIdentifier(ws, "email:a@shop.io").get("id");
        String b = (String) profileByIdentifier(ws, "email:b@shop.io").get("id");
        assertThat(a).isNotEqualTo(b);
        assertThat(server().identity().profileOfEvent(ws.id(), server)).contains(a);
        assertThat(server().identity().profileOfEvent(ws.id(), other)).contains(b);
        assertThat(profileByIdentifier(ws, "fingerprint:fp-1")).containsEntry("id", a);
    }

    private io.touchpoint.core.store.Store server() {
        return super.server.store();
    }

    @Test
    void thePeopleListOrdersTiesByIdPagesThroughThemAndFollowsMergesAndErasure() throws Exception {
        Ws ws = newWorkspace();
        for (String token : List.of("tie1", "tie2", "tie3")) {
            sendEvent(ws, "{\"event_name\":\"view_content\",\"comet_token\":\"" + token + "\",\"event_time\":\"" + T + "20Z\"}");
        }
        awaitProcessed();
        List<Object> tied = list(http.get("/api/v1/profiles", ws.token()).json().get("data")).stream().map(p -> p.get("id")).toList();
        assertThat(tied).hasSize(3).isSortedAccordingTo(java.util.Comparator.comparing(Object::toString));
        assertThat(pagedIds(ws, "")).isEqualTo(tied);
        // a search keeps the list's order and paging, along the trigram index (3 characters or more) or without it
        assertThat(pagedIds(ws, "&q=TIE")).isEqualTo(tied);
        assertThat(pagedIds(ws, "&q=ti")).isEqualTo(tied);
        assertThat(pagedIds(ws, "&q=ie3")).containsExactly(tied.get(2));

        // one email on two of the visitors merges them: one person, first seen with the earliest, last with the latest
        sendEvent(ws, "{\"event_name\":\"lead_generated\",\"comet_token\":\"tie1\",\"email\":\"tied@shop.io\",\"event_time\":\"" + T + "30Z\"}");
        sendEvent(ws, "{\"event_name\":\"lead_generated\",\"comet_token\":\"tie2\",\"email\":\"tied@shop.io\",\"event_time\":\"" + T + "31Z\"}");
        awaitProcessed();
        List<Map<String, Object>> people = list(http.get("/api/v1/profiles", ws.token()).json().get("data"));
        assertThat(people).hasSize(2);
        assertThat(identifiers(people.get(0))).containsExactlyInAnyOrder("visitor_token:tie1", "visitor_token:tie2", "email:tied@shop.io");
        assertThat(people.get(0)).containsEntry("first_seen", T + "20Z").containsEntry("last_seen", T + "31Z");
        assertThat(identifiers(people.get(1))).containsExactly("visitor_token:tie3");
        assertThat(pagedIds(ws, "&q=tie2")).containsExactly(people.get(0).get("id")); // the merged visitor's token

        assertThat(http.delete("/api/v1/profiles/" + people.get(0).get("id"), ws.token()).status()).isEqualTo(200);
        assertThat(list(http.get("/api/v1/profiles", ws.token()).json().get("data"))).extracting(p -> p.get("id"))
                .containsExactly(people.get(1).get("id"));
        assertThat(list(http.get("/api/v1/profiles?q=tied", ws.token()).json().get("data"))).isEmpty();
    }

    /** The ids of every page of the people list, a person at a time, with these query parameters. */
    private List<Object> pagedIds(Ws ws, String query) throws Exception {
        List<Object> paged = new ArrayList<>();
        String cursor = null;
        do {
            Response page = http.get("/api/v1/profiles?limit=1" + query + (cursor == null ? "" : "&cursor="
                    + java.net.URLEncoder.encode(cursor, java.nio.charset.StandardCharsets.UTF_8)), ws.token());
            assertThat(page.status()).as(page.body()).isEqualTo(200);
            paged.addAll(list(page.json().get("data")).stream().map(p -> p.get("id")).toList());
            cursor = (String) page.json().get("next_cursor");
        } while (cursor != null);
        return paged;
    }

    @Test
    void unmergeOverHttpRestoresTheTwoProfiles() throws Exception {
        Ws ws = newWorkspace();
        sendEvent(ws, "{\"event_name\":\"view_content\",\"comet_token\":\"A\",\"email\":\"ann@shop.io\"}");
        sendEvent(ws, "{\"event_name\":\"view_content\",\"comet_token\":\"B\",\"phone\":\"+14155550123\"}");
        awaitProcessed();
        Map<String, Object> a = profileByIdentifier(ws, "email:ann@shop.io");
        Map<String, Object> b = profileByIdentifier(ws, "visitor_token:B");
        sendEvent(ws, "{\"event_name\":\"lead_generated\",\"comet_token\":\"B\",\"email\":\"ann@shop.io\"}");
        awaitProcessed();
        Map<String, Object> merged = profileByIdentifier(ws, "visitor_token:B");
        assertThat(merged.get("id")).isEqualTo(a.get("id"));
        Object mergeId = list(merged.get("merges")).get(0).get("id");

        Response r = http.postJson("/api/v1/profiles/" + a.get("id") + "/unmerge", ws.token(), "{\"merge_id\":" + mergeId + "}");
        assertThat(r.status()).as(r.body()).isEqualTo(200);
        assertThat(http.postJson("/api/v1/profiles/" + a.get("id") + "/unmerge", ws.token(), "{\"merge_id\":" + mergeId + "}").status())
                .isEqualTo(404);

        Map<String, Object> bAgain = profileByIdentifier(ws, "visitor_token:B");
        assertThat(bAgain.get("id")).isEqualTo(b.get("id"));
        assertThat(identifiers(bAgain)).containsExactlyInAnyOrderElementsOf(identifiers(b));
        assertThat(identifiers(profileByIdentifier(ws, "email:ann@shop.io"))).containsExactlyInAnyOrderElementsOf(identifiers(a));
    }

    @Test
    void exportReturnsExactlyWhatIsStoredAndErasureRemovesThePersonEverywhere() throws Exception {
        Ws ws = newWorkspace();
        List<String> ids = new ArrayList<>();
        ids.add(sendEvent(ws, "{\"event_name\":\"view_content\",\"comet_token\":\"erase-me\",\"email\":\"gone@shop.io\",\"first_name\":\"Gone\"}"));
        ids.add(sendEvent(ws, "{\"event_name\":\"purchase\",\"email\":\"gone@shop.io\",\"phone\":\"+14155550188\",\"amount\":5}"));
        String kept = sendEvent(ws, "{\"event_name\":\"purchase\",\"email\":\"kept@shop.io\",\"amount\":5}");
        awaitProcessed();
        String id = (String) profileByIdentifier(ws, "email:gone@shop.io").get("id");

        Response export = http.get("/api/v1/profiles/" + id + "/export", ws.token());
        assertThat(export.status()).isEqualTo(200);
        Profile stored = server().identity().profile(ws.id(), id).orElseThrow();
        Map<String, Object> exported = map(export.json().get("profile"));
        assertThat(identifiers(exported)).containsExactlyInAnyOrderElementsOf(
                stored.identifiers().stream().map(l -> l.identifier().type().wireName() + ":" + l.identifier().value()).toList());
        List<Map<String, Object>> events = list(export.json().get("events"));
        assertThat(events).extracting(e -> e.get("id")).containsExactlyElementsOf(ids);
        for (Map<String, Object> e : events) {
            Event s = server().events().find(ws.id(), (String) e.get("id")).orElseThrow();
            assertThat(e).containsEntry("rawPayload", s.rawPayload()).containsEntry("name", s.name());
        }
        assertThat(list(export.json().get("events_log"))).hasSize(2).allSatisfy(l -> assertThat((String) l.get("payload")).contains("gone@shop.io"));

        Response erased = http.delete("/api/v1/profiles/" + id, ws.token());
        assertThat(erased.status()).as(erased.body()).isEqualTo(200);

        assertThat(http.get("/api/v1/profiles/" + id, ws.token()).status()).isEqualTo(404);
        assertThat(http.get("/api/v1/profiles/" + id + "/export", ws.token()).status()).isEqualTo(404);
        assertThat(http.get("/api/v1/profiles?identifier=email:gone@shop.io", ws.token()).status()).isEqualTo(404);
        String everything = dump();
        assertThat(everything).doesNotContain("gone@shop.io").doesNotContain("erase-me").doesNotContain("+14155550188");
        // the events log keeps a row per request (outcome, event name, event id) with its payload and email cleared
        String outsideTheLog = dump("event_log");
        for (String e : ids) assertThat(outsideTheLog).doesNotContain(e);
        assertThat(everything).contains("kept@shop.io").contains(kept);
    }

    /** Every row of every table of the server's SQLite file, as text. */
    protected String dump(String... except) throws Exception {
        StringBuilder out = new StringBuilder();
        try (var c = java.sql.DriverManager.getConnection("jdbc:sqlite:" + dataDir.resolve("touchpoint.db"));
             var s = c.createStatement()) {
            List<String> tables = new ArrayList<>();
            try (var rs = s.executeQuery("SELECT name FROM sqlite_master WHERE type = 'table'")) {
                while (rs.next()) tables.add(rs.getString(1));
            }
            tables.removeAll(List.of(except));
            for (String t : tables) {
                try (var rs = s.executeQuery("SELECT * FROM \"" + t + "\"")) {
                    int n = rs.getMetaData().getColumnCount();
                    while (rs.next()) for (int i = 1; i <= n; i++) out.append(rs.getString(i)).append('\t');
                }
            }
        }
        return out.toString();
    }

    @Test
    void profilesAreWorkspaceScopedAndNeedReadOrTheAdministrator() throws Exception {
        Ws ws = newWorkspace();
        Ws other = newWorkspace();
        sendEvent(ws, "{\"event_name\":\"lead_generated\",\"email\":\"scoped@shop.io\"}");
        awaitProcessed();
        String id = (String) profileByIdentifier(ws, "email:scoped@shop.io").get("id");

        assertThat(http.get("/api/v1/profiles/" + id, null).status()).isEqualTo(401);
        assertThat(http.get("/api/v1/profiles/" + id, other.token()).status()).isEqualTo(404);
        assertThat(http.delete("/api/v1/profiles/" + id, other.token()).status()).isEqualTo(404);
        assertThat(http.get("/api/v1/profiles/" + id + "?workspace=" + ws.id(), other.token()).status()).isEqualTo(403);
        assertThat(http.get("/api/v1/profiles/" + id, TestServer.ADMIN_TOKEN).status()).isEqualTo(400);
        Response admin = http.get("/api/v1/profiles/" + id + "?workspace=" + ws.name(), TestServer.ADMIN_TOKEN);
        assertThat(admin.status()).isEqualTo(200);
        assertThat(admin.json()).containsEntry("id", id);
        assertThat(http.get("/api/v1/profiles?identifier=nonsense", ws.token()).status()).isEqualTo(400);
    }

    private Response putGuardrails(Ws ws, String token, String body) {
        return http.send(http.request("/admin/v1/workspaces/" + ws.id() + "/identity-guardrails")
                .header("Authorization", "Bearer " + token).header("Content-Type", "application/json")
                .PUT(java.net.http.HttpRequest.BodyPublishers.ofString(body)).build());
    }

    @Test
    void guardrailsSetByTheAdministratorApplyToProcessing() throws Exception {
        Ws ws = newWorkspace();
        Response defaults = http.get("/admin/v1/workspaces/" + ws.id() + "/identity-guardrails", TestServer.ADMIN_TOKEN);
        assertThat(defaults.status()).isEqualTo(200);
        assertThat(defaults.json()).containsEntry("max_profiles_per_value", 10).containsEntry("fingerprint_window_hours", 168)
                .containsEntry("default_blocklist", true);
        assertThat(putGuardrails(ws, ws.token(), "{}").status()).isEqualTo(401);
        Response bad = putGuardrails(ws, TestServer.ADMIN_TOKEN, "{\"limits\":{\"email\":0,\"nope\":2},\"max_profiles_per_value\":\"x\"}");
        assertThat(bad.status()).isEqualTo(422);
        assertThat(list(map(bad.json().get("error")).get("details"))).hasSize(3);

        Response set = putGuardrails(ws, TestServer.ADMIN_TOKEN, "{\"blocked_values\":[\"visitor_token:kiosk\"],\"limits\":{\"email\":1}}");
        assertThat(set.status()).as(set.body()).isEqualTo(200);
        assertThat(map(set.json().get("limits"))).containsEntry("email", 1).containsEntry("phone", 5);
        sendEvent(ws, "{\"event_name\":\"lead_generated\",\"comet_token\":\"kiosk\",\"email\":\"one@shop.io\"}");
        sendEvent(ws, "{\"event_name\":\"lead_generated\",\"comet_token\":\"kiosk\",\"email\":\"two@shop.io\"}");
        sendEvent(ws, "{\"event_name\":\"lead_generated\",\"email\":\"one@shop.io\",\"phone\":\"+14155550100\"}");
        sendEvent(ws, "{\"event_name\":\"lead_generated\",\"email\":\"three@shop.io\",\"phone\":\"+14155550100\"}");
        awaitProcessed();

        assertThat(http.get("/api/v1/profiles?identifier=visitor_token:kiosk", ws.token()).status()).isEqualTo(404);
        Map<String, Object> one = profileByIdentifier(ws, "email:one@shop.io");
        assertThat(profileByIdentifier(ws, "email:two@shop.io").get("id")).isNotEqualTo(one.get("id"));
        // three@ came with one@'s phone: at most one email per profile, so it is not linked to one@'s profile
        assertThat(identifiers(one)).hasSize(2).contains("email:one@shop.io").anyMatch(i -> i.startsWith("phone:"));
        assertThat(http.get("/api/v1/profiles?identifier=email:three@shop.io", ws.token()).status()).isEqualTo(404);
    }
}
