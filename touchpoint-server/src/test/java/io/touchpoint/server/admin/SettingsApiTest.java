package io.touchpoint.server.admin;

import io.touchpoint.core.model.WorkspaceSettings;
import io.touchpoint.server.support.HttpTestClient.Response;
import io.touchpoint.server.support.Payloads;
import io.touchpoint.server.support.ServerTest;
import io.touchpoint.server.support.TestServer;
import org.junit.jupiter.api.Test;

import java.net.http.HttpRequest;
import java.util.Map;

import static io.touchpoint.server.support.ErrorAssert.assertError;
import static org.assertj.core.api.Assertions.assertThat;

/** {@code GET/PUT /admin/v1/workspaces/{workspace}/settings}: the setup page's general settings. */
class SettingsApiTest extends ServerTest {
    private static final String ADMIN = TestServer.ADMIN_TOKEN;

    private static String path(Ws ws) {
        return "/admin/v1/workspaces/" + ws.id() + "/settings";
    }

    private Response put(String path, String token, String body) {
        return http.send(http.request(path).header("Authorization", "Bearer " + token)
                .header("Content-Type", "application/json").PUT(HttpRequest.BodyPublishers.ofString(body)).build());
    }

    @Test
    void readsTheDefaultsAndChangesOnlyWhatTheBodyNames() {
        Ws ws = newWorkspace();
        Response read = http.get(path(ws), ADMIN);
        assertThat(read.status()).as(read.body()).isEqualTo(200);
        assertThat(read.json()).containsEntry("workspace_id", ws.id()).containsEntry("time_zone", "UTC")
                .containsEntry("currency", "USD").containsEntry("phone_region", "US")
                .containsEntry("rate_limit_per_minute", WorkspaceSettings.DEFAULT_RATE_LIMIT_PER_MINUTE);

        Response changed = put(path(ws), ADMIN, json(Map.of("time_zone", "Europe/Paris", "currency", "eur")));
        assertThat(changed.status()).as(changed.body()).isEqualTo(200);
        assertThat(changed.json()).containsEntry("time_zone", "Europe/Paris").containsEntry("currency", "EUR")
                .containsEntry("phone_region", "US").doesNotContainKey("warnings");
        assertThat(server.store().workspaces().byId(ws.id()).orElseThrow().settings())
                .isEqualTo(new WorkspaceSettings("Europe/Paris", "EUR", "US", WorkspaceSettings.DEFAULT_RATE_LIMIT_PER_MINUTE));

        Response byName = put("/admin/v1/workspaces/" + ws.name() + "/settings", ADMIN,
                json(Map.of("phone_region", "fr", "rate_limit_per_minute", 600, "timezone", "x")));
        assertThat(byName.status()).as(byName.body()).isEqualTo(200);
        assertThat(byName.json()).containsEntry("time_zone", "Europe/Paris").containsEntry("phone_region", "FR")
                .containsEntry("rate_limit_per_minute", 600);
        assertThat(list(byName.json().get("warnings"))).isNotNull();
        assertThat(byName.json().get("warnings").toString()).contains("timezone");
        assertThat(http.get(path(ws), ADMIN).json()).containsEntry("rate_limit_per_minute", 600);
    }

    @Test
    void everyInvalidSettingIsNamedAndNothingChanges() {
        Ws ws = newWorkspace();
        Response r = put(path(ws), ADMIN, json(Map.of("time_zone", "Mars/Olympus", "currency", "XYZ",
                "phone_region", "ZZ", "rate_limit_per_minute", 0)));
        Map<String, Object> error = assertError(r, 422, "invalid_value");
        assertThat(error).containsEntry("param", "time_zone");
        assertThat(list(error.get("details"))).extracting(d -> d.get("param"))
                .containsExactly("time_zone", "currency", "phone_region", "rate_limit_per_minute");
        assertError(put(path(ws), ADMIN, json(Map.of("rate_limit_per_minute", 2.5))), 422, "invalid_value");
        assertError(put(path(ws), ADMIN, json(Map.of("time_zone", Map.of()))), 422, "invalid_type");
        assertThat(server.store().workspaces().byId(ws.id()).orElseThrow().settings()).isEqualTo(WorkspaceSettings.DEFAULTS);
    }

    @Test
    void aNewRateLimitAppliesToTheNextIngestRequest() {
        Ws ws = newWorkspace();
        assertThat(http.postJson("/public-api/v1/events", ws.token(), Payloads.MINIMUM).header("X-RateLimit-Limit"))
                .isEqualTo(Integer.toString(WorkspaceSettings.DEFAULT_RATE_LIMIT_PER_MINUTE)); // the token is now cached
        assertThat(put(path(ws), ADMIN, json(Map.of("rate_limit_per_minute", 500))).status()).isEqualTo(200);
        assertThat(http.postJson("/public-api/v1/events", ws.token(), Payloads.MINIMUM).header("X-RateLimit-Limit"))
                .isEqualTo("500");
    }

    @Test
    void onlyTheAdministratorReadsOrChangesSettings() {
        Ws ws = newWorkspace();
        assertError(http.get(path(ws), ws.token()), 401, "admin_token_invalid");
        assertError(put(path(ws), ws.token(), json(Map.of("currency", "EUR"))), 401, "admin_token_invalid");
        assertError(http.get("/admin/v1/workspaces/nobody/settings", ADMIN), 404, "not_found");
        assertError(put("/admin/v1/workspaces/nobody/settings", ADMIN, "{}"), 404, "not_found");
        assertError(put(path(ws), ADMIN, "{\"currency\":"), 400, "malformed_json");
    }
}
