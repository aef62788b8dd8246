package io.touchpoint.server.admin;

import io.touchpoint.server.support.HttpTestClient.Response;
import io.touchpoint.server.support.Payloads;
import io.touchpoint.server.support.ServerTest;
import io.touchpoint.server.support.TestServer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.net.http.HttpRequest;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import static io.touchpoint.server.support.ErrorAssert.assertError;
import static org.assertj.core.api.Assertions.assertThat;

/** The admin API: workspaces and tokens behind the administrator token. */
class AdminApiTest extends ServerTest {
    private static final String ADMIN = TestServer.ADMIN_TOKEN;
    private static final String WORKSPACES = "/admin/v1/workspaces";

    @Test
    void createsAndListsWorkspacesWhoseTokenWorks() {
        String name = unique("shop");
        Response created = http.postJson(WORKSPACES, ADMIN,
                "{\"name\":\"" + name + "\",\"currency\":\"eur\",\"time_zone\":\"Europe/Berlin\",\"phone_region\":\"de\"}");

        assertThat(created.status()).as(created.body()).isEqualTo(201);
        assertThat(created.json()).containsEntry("name", name).containsEntry("request_id", created.header("Request-Id"));
        String id = (String) created.json().get("id");
        assertThat(map(created.json().get("settings"))).containsEntry("currency", "EUR")
                .containsEntry("time_zone", "Europe/Berlin").containsEntry("phone_region", "DE");
        Map<String, Object> token = map(created.json().get("token"));
        String secret = (String) token.get("token");
        assertThat(secret).startsWith("tp_");
        assertThat(token).containsEntry("workspace_id", id).containsEntry("scopes", List.of("ingest", "read"));
        assertThat(server.store().workspaces().byId(id)).isPresent();

        Response listed = http.get(WORKSPACES, ADMIN);
        assertThat(listed.status()).isEqualTo(200);
        assertThat(list(listed.json().get("data"))).filteredOn(w -> id.equals(w.get("id"))).singleElement()
                .satisfies(w -> assertThat(w).containsEntry("name", name).doesNotContainKey("token"));
        assertThat(listed.body()).doesNotContain(secret);

        Response sent = http.postJson("/public-api/v1/events", secret, "{\"event_name\":\"purchase\",\"email\":"
                + "\"a@example.com\",\"amount\":5,\"phone\":\"030 1234567\"}");
        assertThat(sent.status()).as(sent.body()).isEqualTo(202);
        var event = server.store().events().find(id, (String) sent.json().get("id")).orElseThrow();
        assertThat(event.commerce().currency()).isEqualTo("EUR");
        assertThat(event.person().phone()).isEqualTo("49301234567");
    }

    @Test
    void createsListsAndRevokesTokensShowingTheSecretOnlyOnce() {
        Ws ws = newWorkspace();
        String tokens = WORKSPACES + "/" + ws.id() + "/tokens";
        Response created = http.postJson(tokens, ADMIN, "{\"name\":\"reporting\",\"scopes\":[\"read\"]}");

        assertThat(created.status()).as(created.body()).isEqualTo(201);
        String tokenId = (String) created.json().get("id");
        String secret = (String) created.json().get("token");
        assertThat(secret).startsWith("tp_").startsWith((String) created.json().get("prefix"));
        assertThat(created.json()).containsEntry("name", "reporting").containsEntry("scopes", List.of("read"))
                .containsEntry("workspace_id", ws.id()).containsEntry("revoked_at", null);
        assertThat(http.get("/api/v1/events-log", secret).status()).isEqualTo(200);
        assertError(http.postJson("/public-api/v1/events", secret, Payloads.MINIMUM), 403, "insufficient_scope");

        Response listed = http.get(tokens, ADMIN);
        assertThat(listed.status()).isEqualTo(200);
        assertThat(list(listed.json().get("data"))).hasSize(2).noneSatisfy(t -> assertThat(t).containsKey("token"));
        assertThat(listed.body()).doesNotContain(secret).doesNotContain(ws.token());
        assertThat(http.get(WORKSPACES + "/" + ws.name() + "/tokens", ADMIN).body()).contains(tokenId); // by name too

        Response revoked = http.delete("/admin/v1/tokens/" + tokenId, ADMIN);
        assertThat(revoked.status()).as(revoked.body()).isEqualTo(200);
        assertThat(revoked.json().get("revoked_at")).isNotNull();
        assertThat(revoked.body()).doesNotContain(secret);
        assertError(http.get("/api/v1/events-log", secret), 401, "token_revoked");
        assertThat(list(http.get(tokens, ADMIN).json().get("data"))).filteredOn(t -> tokenId.equals(t.get("id")))
                .singleElement().satisfies(t -> assertThat(t.get("revoked_at")).isNotNull());
        assertThat(http.postJson("/public-api/v1/events", ws.token(), Payloads.MINIMUM).status()).isEqualTo(202);
    }

    @Test
    void aTokenCreatedWithoutABodyHasEveryScope() {
        Ws ws = newWorkspace();
        Response created = http.send(http.request(WORKSPACES + "/" + ws.id() + "/tokens")
                .header("Authorization", "Bearer " + ADMIN).POST(HttpRequest.BodyPublishers.noBody()).build());
        assertThat(created.status()).as(created.body()).isEqualTo(201);
        assertThat(created.json()).containsEntry("scopes", List.of("ingest", "read"));
        assertThat(http.postJson("/public-api/v1/events", (String) created.json().get("token"), Payloads.MINIMUM)
                .status()).isEqualTo(202);
    }

    @Test
    void tokenUseIsRecorded() throws InterruptedException {
        Ws ws = newWorkspace();
        assertThat(http.postJson("/public-api/v1/events", ws.token(), Payloads.MINIMUM).status()).isEqualTo(202);
        Instant deadline = Instant.now().plus(Duration.ofSeconds(10));
        Object lastUsed = null;
        while (lastUsed == null && Instant.now().isBefore(deadline)) { // written in the background, about once a second
            lastUsed = list(http.get(WORKSPACES + "/" + ws.id() + "/tokens", ADMIN).json().get("data")).get(0)
                    .get("last_used_at");
            if (lastUsed == null) Thread.sleep(100);
        }
        assertThat(lastUsed).isNotNull();
    }

    @Test
    void everyEndpointNeedsTheAdministratorToken() {
        Ws ws = newWorkspace();
        String tokenId = server.workspaces().tokens(ws.id()).get(0).id();
        String tokens = WORKSPACES + "/" + ws.id() + "/tokens";
        for (String credential : new String[] {null, ws.token(), "tpa_wrong"}) {
            String code = credential == null ? "token_missing" : "admin_token_invalid";
            assertError(http.get(WORKSPACES, credential), 401, code);
            assertError(http.postJson(WORKSPACES, credential, "{\"name\":\"" + unique("intruder") + "\"}"), 401, code);
            assertError(http.get(tokens, credential), 401, code);
            assertError(http.postJson(tokens, credential, "{}"), 401, code);
            assertError(http.delete("/admin/v1/tokens/" + tokenId, credential), 401, code);
        }
        assertThat(server.workspaces().tokens(ws.id())).hasSize(1).allSatisfy(t -> assertThat(t.revoked()).isFalse());
        assertThat(server.workspaces().list()).noneSatisfy(w -> assertThat(w.name()).startsWith("intruder"));
    }

    @Test
    void aTakenNameIs409() {
        Ws ws = newWorkspace();
        Response r = http.postJson(WORKSPACES, ADMIN, "{\"name\":\"" + ws.name() + "\"}");
        assertThat(assertError(r, 409, "name_taken")).containsEntry("param", "name");
        assertThat(server.workspaces().list()).filteredOn(w -> w.name().equals(ws.name())).hasSize(1);
    }

    @Test
    void unknownWorkspacesAndTokensAre404() {
        assertError(http.get(WORKSPACES + "/ws_nope/tokens", ADMIN), 404, "not_found");
        assertError(http.postJson(WORKSPACES + "/ws_nope/tokens", ADMIN, "{\"name\":\"x\"}"), 404, "not_found");
        assertError(http.delete("/admin/v1/tokens/tok_nope", ADMIN), 404, "not_found");
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
            "                                                       | name                  | missing_field",
            "\"currency\":\"ZZZ\"                                      | currency              | invalid_value",
            "\"time_zone\":\"Mars/Base\"                                | time_zone             | invalid_value",
            "\"rate_limit_per_minute\":0                               | rate_limit_per_minute | invalid_value",
            "\"rate_limit_per_minute\":-4                              | rate_limit_per_minute | invalid_value",
            "\"time_zone\":\"UTC\",\"rate_limit_per_minute\":2.5            | rate_limit_per_minute | invalid_value",
            "\"time_zone\":\"UTC\",\"rate_limit_per_minute\":0              | rate_limit_per_minute | invalid_value",
            "\"phone_region\":\"Germany\"                               | phone_region          | invalid_value"})
    void invalidWorkspaceSettingsAre422NamingTheField(String fields, String param, String code) {
        String name = "missing_field".equals(code) ? "" : "\"name\":\"" + unique("bad") + "\"" + (fields == null ? "" : ",");
        Response r = http.postJson(WORKSPACES, ADMIN, "{" + name + (fields == null ? "" : fields) + "}");
        assertThat(assertError(r, 422, code)).containsEntry("param", param);
        assertThat(server.workspaces().list()).noneSatisfy(w -> assertThat(w.name()).startsWith("bad-"));
    }

    @Test
    void invalidRequestsAre422NamingTheField() {
        assertThat(assertError(http.postJson(WORKSPACES, ADMIN, "{\"name\":\"" + "n".repeat(101) + "\"}"),
                422, "invalid_value")).containsEntry("param", "name");
        Ws ws = newWorkspace();
        assertThat(assertError(http.postJson(WORKSPACES + "/" + ws.id() + "/tokens", ADMIN, "{\"scopes\":[\"write\"]}"),
                422, "invalid_value")).containsEntry("param", "scopes");
        assertThat(assertError(http.postJson(WORKSPACES + "/" + ws.id() + "/tokens", ADMIN, "{\"scopes\":[]}"),
                422, "invalid_value")).containsEntry("param", "scopes");
        assertError(http.post(WORKSPACES, ADMIN, "text/plain", "{\"name\":\"x\"}"), 415, "unsupported_media_type");
        assertError(http.postJson(WORKSPACES, ADMIN, "{\"name\":"), 400, "malformed_json");
        assertThat(server.workspaces().tokens(ws.id())).hasSize(1);
    }

    private static String unique(String prefix) {
        return prefix + "-" + UUID.randomUUID();
    }
}
