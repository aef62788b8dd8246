package io.touchpoint.server.admin;

import io.touchpoint.core.model.Funnel;
import io.touchpoint.server.support.HttpTestClient.Response;
import io.touchpoint.server.support.Payloads;
import io.touchpoint.server.support.ServerTest;
import io.touchpoint.server.support.TestServer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.net.http.HttpRequest;
import java.time.Instant;
import java.util.List;
import java.util.Map;

import static io.touchpoint.server.support.ErrorAssert.assertError;
import static org.assertj.core.api.Assertions.assertThat;

/** The admin API's funnels: create, list and revoke funnel marks behind the administrator token. */
class FunnelAdminTest extends ServerTest {
    private static final String ADMIN = TestServer.ADMIN_TOKEN;

    @Test
    void createsAFunnelShowingItsMarkWhichThenWorks() {
        Ws ws = newWorkspace();
        Instant before = Instant.now().minusMillis(1);
        Response created = http.postJson(funnels(ws.id()), ADMIN, "{\"name\":\"  Checkout  \"}");

        assertThat(created.status()).as(created.body()).isEqualTo(201);
        assertThat(created.json()).containsEntry("workspace_id", ws.id()).containsEntry("name", "Checkout")
                .containsEntry("revoked_at", null).containsEntry("request_id", created.header("Request-Id"));
        String id = (String) created.json().get("id");
        String mark = (String) created.json().get("funnel_mark");
        assertThat(id).matches("fn_[0-9A-Z]{26}");
        assertThat(mark).startsWith("fm_").hasSizeGreaterThanOrEqualTo(40);
        assertThat(Instant.parse((String) created.json().get("created_at"))).isAfter(before);
        Funnel stored = server.store().funnels().byId(id).orElseThrow();
        assertThat(stored.mark()).isEqualTo(mark);
        assertThat(stored.workspaceId()).isEqualTo(ws.id());

        Response sent = http.postJson("/uip-events/event", null, Payloads.ableSeed(mark));
        assertThat(sent.status()).as(sent.body()).isEqualTo(202);
        assertThat(server.store().events().find(ws.id(), (String) sent.json().get("id"))).isPresent();
    }

    @Test
    void aWorkspaceIsFoundByNameToo() {
        Ws ws = newWorkspace();
        Response created = http.postJson(funnels(ws.name()), ADMIN, "{\"name\":\"by name\"}");
        assertThat(created.status()).as(created.body()).isEqualTo(201);
        assertThat(created.json()).containsEntry("workspace_id", ws.id());
        assertThat(list(http.get(funnels(ws.name()), ADMIN).json().get("data"))).extracting(f -> f.get("id"))
                .containsExactly(created.json().get("id"));
    }

    @Test
    void listsAWorkspacesFunnelsWithTheirMarksOldestFirst() {
        Ws ws = newWorkspace();
        Ws other = newWorkspace();
        Response one = http.postJson(funnels(ws.id()), ADMIN, "{\"name\":\"one\"}");
        Response two = http.postJson(funnels(ws.id()), ADMIN, "{\"name\":\"two\"}");
        http.postJson(funnels(other.id()), ADMIN, "{\"name\":\"elsewhere\"}");

        Response listed = http.get(funnels(ws.id()), ADMIN);
        assertThat(listed.status()).as(listed.body()).isEqualTo(200);
        assertThat(listed.json()).containsEntry("request_id", listed.header("Request-Id"));
        List<Map<String, Object>> data = list(listed.json().get("data"));
        assertThat(data).extracting(f -> f.get("name")).containsExactly("one", "two");
        assertThat(data).extracting(f -> f.get("funnel_mark"))
                .containsExactly(one.json().get("funnel_mark"), two.json().get("funnel_mark"));
        assertThat(data.get(0)).containsOnlyKeys("id", "workspace_id", "name", "funnel_mark", "created_at", "revoked_at");
        assertThat(list(http.get(funnels(newWorkspace().id()), ADMIN).json().get("data"))).isEmpty();
    }

    @Test
    void revokesAFunnelWhoseMarkIsThenRefused() {
        Ws ws = newWorkspace();
        Response created = http.postJson(funnels(ws.id()), ADMIN, "{\"name\":\"old site\"}");
        String id = (String) created.json().get("id");
        String mark = (String) created.json().get("funnel_mark");
        assertThat(http.postJson("/webhooks/able", null, Payloads.ableSeed(mark)).status()).isEqualTo(202);

        Response revoked = http.delete("/admin/v1/funnels/" + id, ADMIN);
        assertThat(revoked.status()).as(revoked.body()).isEqualTo(200);
        assertThat(revoked.json()).containsEntry("id", id).containsEntry("funnel_mark", mark)
                .containsEntry("request_id", revoked.header("Request-Id"));
        String revokedAt = (String) revoked.json().get("revoked_at");
        assertThat(revokedAt).isNotNull();

        assertThat(list(http.get(funnels(ws.id()), ADMIN).json().get("data"))).singleElement()
                .satisfies(f -> assertThat(f).containsEntry("revoked_at", revokedAt));
        assertError(http.postJson("/webhooks/able", null, Payloads.ableSeed(mark)), 401, "funnel_mark_revoked");

        Response again = http.delete("/admin/v1/funnels/" + id, ADMIN); // changes nothing
        assertThat(again.status()).isEqualTo(200);
        assertThat(again.json()).containsEntry("revoked_at", revokedAt);
    }

    @Test
    void everyFunnelEndpointNeedsTheAdministratorToken() {
        Ws ws = newWorkspace();
        Funnel f = server.workspaces().createFunnel(ws.id(), "guarded");
        for (String credential : new String[] {null, ws.token(), "tpa_wrong"}) {
            String code = credential == null ? "token_missing" : "admin_token_invalid";
            assertError(http.get(funnels(ws.id()), credential), 401, code);
            assertError(http.postJson(funnels(ws.id()), credential, "{\"name\":\"intruder\"}"), 401, code);
            assertError(http.delete("/admin/v1/funnels/" + f.id(), credential), 401, code);
        }
        assertThat(server.workspaces().funnels(ws.id())).singleElement()
                .satisfies(x -> assertThat(x.revoked()).isFalse());
    }

    @Test
    void unknownWorkspacesAndFunnelsAre404() {
        assertError(http.get(funnels("ws_nope"), ADMIN), 404, "not_found");
        assertError(http.postJson(funnels("ws_nope"), ADMIN, "{\"name\":\"x\"}"), 404, "not_found");
        assertError(http.delete("/admin/v1/funnels/fun_nope", ADMIN), 404, "not_found");
    }

    @ParameterizedTest
    @ValueSource(strings = {"{}", "{\"name\":\"\"}", "{\"name\":\"   \"}", "{\"name\":null}"})
    void aMissingNameIs422(String body) {
        Ws ws = newWorkspace();
        assertThat(assertError(http.postJson(funnels(ws.id()), ADMIN, body), 422, "missing_field"))
                .containsEntry("param", "name");
        assertThat(server.workspaces().funnels(ws.id())).isEmpty();
    }

    @Test
    void noBodyAtAllIsAMissingName() {
        Ws ws = newWorkspace();
        Response r = http.send(http.request(funnels(ws.id())).header("Authorization", "Bearer " + ADMIN)
                .POST(HttpRequest.BodyPublishers.noBody()).build());
        assertThat(assertError(r, 422, "missing_field")).containsEntry("param", "name");
    }

    @Test
    void invalidNamesAndBodiesAreRefused() {
        Ws ws = newWorkspace();
        assertThat(assertError(http.postJson(funnels(ws.id()), ADMIN, "{\"name\":\"" + "n".repeat(101) + "\"}"),
                422, "invalid_value")).containsEntry("param", "name");
        assertThat(assertError(http.postJson(funnels(ws.id()), ADMIN, "{\"name\":[\"x\"]}"), 422, "invalid_type"))
                .containsEntry("param", "name");
        assertError(http.post(funnels(ws.id()), ADMIN, "text/plain", "{\"name\":\"x\"}"), 415, "unsupported_media_type");
        assertError(http.postJson(funnels(ws.id()), ADMIN, "{\"name\":"), 400, "malformed_json");
        assertThat(server.workspaces().funnels(ws.id())).isEmpty();
    }

    private static String funnels(String workspace) {
        return "/admin/v1/workspaces/" + workspace + "/funnels";
    }
}
