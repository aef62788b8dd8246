package io.touchpoint.server.http;

import io.touchpoint.core.admin.CreatedToken;
import io.touchpoint.core.model.Scope;
import io.touchpoint.server.support.HttpTestClient.Response;
import io.touchpoint.server.support.Payloads;
import io.touchpoint.server.support.ServerTest;
import io.touchpoint.server.support.TestServer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.net.http.HttpRequest;
import java.util.Map;
import java.util.Set;

import static io.touchpoint.server.support.ErrorAssert.assertError;
import static org.assertj.core.api.Assertions.assertThat;

/** Bearer tokens, their scopes, revocation. */
class AuthenticationTest extends ServerTest {
    private static final String EVENTS = "/public-api/v1/events";

    @Test
    void aMissingTokenIs401() {
        Response r = http.postJson(EVENTS, null, Payloads.MINIMUM);
        assertError(r, 401, "token_missing");
        assertThat(r.error()).containsEntry("type", "authentication_error");
        assertThat(r.header("WWW-Authenticate")).isEqualTo("Bearer");
    }

    @ParameterizedTest
    @ValueSource(strings = {"Basic x", "Bearer", "Bearer a b", "Token abc"})
    void aMalformedAuthorizationHeaderIs401(String header) {
        Response r = http.send(http.request(EVENTS).header("Authorization", header)
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(Payloads.MINIMUM)).build());
        assertError(r, 401, "token_malformed");
    }

    @Test
    void anUnknownTokenIs401AndTheRefusalIsLogged() {
        Response r = http.postJson(EVENTS, "tp_no_such_token_0123456789", Payloads.MINIMUM);
        assertError(r, 401, "token_invalid");

        Response log = http.get("/api/v1/events-log/" + r.header("Request-Id"), TestServer.ADMIN_TOKEN);
        assertThat(log.status()).as(log.body()).isEqualTo(200);
        Map<String, Object> entry = list(log.json().get("data")).get(0);
        assertThat(entry).containsEntry("outcome", "rejected").containsEntry("http_status", 401)
                .containsEntry("workspace_id", null);
        assertThat(map(entry.get("error"))).containsEntry("code", "token_invalid");
    }

    @Test
    void aTokenRevokedThroughTheAdminApiIsRefusedAtOnce() {
        Ws ws = newWorkspace();
        CreatedToken t = server.workspaces().createToken(ws.id(), "soon revoked", Scope.ALL);
        assertThat(http.postJson(EVENTS, t.secret(), Payloads.MINIMUM).status()).isEqualTo(202); // now cached

        Response revoke = http.delete("/admin/v1/tokens/" + t.token().id(), TestServer.ADMIN_TOKEN);
        assertThat(revoke.status()).as(revoke.body()).isEqualTo(200);

        assertError(http.postJson(EVENTS, t.secret(), Payloads.MINIMUM), 401, "token_revoked");
        assertError(http.get("/api/v1/events-log", t.secret()), 401, "token_revoked");
        assertThat(http.postJson(EVENTS, ws.token(), Payloads.MINIMUM).status()).isEqualTo(202); // others still work
    }

    @Test
    void aTokenRevokedBehindTheServersBackIsRefusedOnceTheCacheExpires() throws InterruptedException {
        Ws ws = newWorkspace();
        CreatedToken t = server.workspaces().createToken(ws.id(), "revoked elsewhere", Scope.ALL);
        assertThat(http.postJson(EVENTS, t.secret(), Payloads.MINIMUM).status()).isEqualTo(202); // now cached

        server.workspaces().revoke(t.token().id(), ws.id()); // as the command line would, in another process
        Thread.sleep(Authenticator.CACHE_TTL.plusMillis(300)); // the documented delay for such revocations

        assertError(http.postJson(EVENTS, t.secret(), Payloads.MINIMUM), 401, "token_revoked");
    }

    @Test
    void aReadOnlyTokenCannotIngest() {
        Ws ws = newWorkspace();
        CreatedToken read = server.workspaces().createToken(ws.id(), "reader", Set.of(Scope.READ));

        Response r = http.postJson(EVENTS, read.secret(), Payloads.MINIMUM);
        assertThat(assertError(r, 403, "insufficient_scope")).containsEntry("type", "permission_error");
        assertError(http.postJson("/public-api/v1/events/batch", read.secret(),
                "{\"events\":[" + Payloads.MINIMUM + "]}"), 403, "insufficient_scope");
        assertThat(server.store().events().count(ws.id())).isZero();
        assertThat(http.get("/api/v1/events-log", read.secret()).status()).isEqualTo(200);
    }

    @Test
    void anIngestOnlyTokenCannotReadTheEventsLog() {
        Ws ws = newWorkspace();
        CreatedToken ingest = server.workspaces().createToken(ws.id(), "sender", Set.of(Scope.INGEST));
        Response sent = http.postJson(EVENTS, ingest.secret(), Payloads.MINIMUM);
        assertThat(sent.status()).isEqualTo(202);

        assertError(http.get("/api/v1/events-log", ingest.secret()), 403, "insufficient_scope");
        assertError(http.get("/api/v1/events-log/" + sent.header("Request-Id"), ingest.secret()), 403,
                "insufficient_scope");
    }

    @Test
    void aWorkspaceTokenCannotUseTheAdminApi() {
        Ws ws = newWorkspace();
        assertError(http.get("/admin/v1/workspaces", ws.token()), 401, "admin_token_invalid");
    }

    @Test
    void aTokenWritesIntoItsOwnWorkspaceOnly() {
        Ws a = newWorkspace();
        Ws b = newWorkspace();
        String body = "{\"event_name\":\"purchase\",\"email\":\"a@example.com\",\"workspace_id\":\"" + b.id()
                + "\",\"workspace\":\"" + b.name() + "\"}";
        Response r = http.postJson(EVENTS, a.token(), body);

        assertThat(r.status()).isEqualTo(202);
        String id = (String) r.json().get("id");
        assertThat(server.store().events().find(a.id(), id)).isPresent();
        assertThat(server.store().events().find(b.id(), id)).isEmpty();
        assertThat(server.store().events().count(b.id())).isZero();
        assertThat(http.get("/api/v1/events-log/" + r.header("Request-Id"), b.token()).status()).isEqualTo(404);
    }

    @Test
    void aTokenReadsItsOwnWorkspacesLogOnly() {
        Ws a = newWorkspace();
        Ws b = newWorkspace();
        Response inA = http.postJson(EVENTS, a.token(), Payloads.MINIMUM);
        Response inB = http.postJson(EVENTS, b.token(), Payloads.MINIMUM);

        assertError(http.get("/api/v1/events-log?workspace=" + b.id(), a.token()), 403, "wrong_workspace");
        assertError(http.get("/api/v1/events-log?workspace=" + b.name(), a.token()), 403, "wrong_workspace");
        assertError(http.get("/api/v1/events-log/" + inB.header("Request-Id") + "?workspace=" + b.id(), a.token()),
                403, "wrong_workspace");
        assertError(http.get("/api/v1/events-log/" + inB.header("Request-Id"), a.token()), 404, "not_found");

        Response own = http.get("/api/v1/events-log", a.token());
        assertThat(own.status()).isEqualTo(200);
        assertThat(list(own.json().get("data"))).isNotEmpty()
                .allSatisfy(e -> assertThat(e).containsEntry("workspace_id", a.id()))
                .extracting(e -> e.get("request_id")).contains(inA.header("Request-Id"))
                .doesNotContain(inB.header("Request-Id"));
        assertThat(http.get("/api/v1/events-log?workspace=" + a.name(), a.token()).status()).isEqualTo(200);
        assertThat(http.get("/api/v1/events-log?workspace=" + a.id(), a.token()).status()).isEqualTo(200);
        // every read endpoint takes a blank ?workspace= as none named: the token's own workspace
        assertThat(http.get("/api/v1/events-log?workspace=", a.token()).status()).isEqualTo(200);
        assertThat(http.get("/api/v1/reports/attribution?workspace=", a.token()).status()).isEqualTo(200);
        assertError(http.get("/api/v1/reports/attribution?workspace=", TestServer.ADMIN_TOKEN), 400, "invalid_parameter");
    }
}
