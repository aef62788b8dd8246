package io.touchpoint.server.adaccounts;

import io.touchpoint.core.adaccounts.AdAccount;
import io.touchpoint.core.adaccounts.SyncState;
import io.touchpoint.core.adaccounts.SyncStatus;
import io.touchpoint.server.destinations.platforms.PlatformHttp;
import io.touchpoint.server.adaccounts.fakes.AdRow;
import io.touchpoint.server.adaccounts.fakes.FakeMetaInsights;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.touchpoint.server.support.HttpTestClient.Response;
import io.touchpoint.server.support.OpenApiSchemas;
import io.touchpoint.server.support.ServerTest;
import io.touchpoint.server.support.SignedIn;
import io.touchpoint.server.support.TestServer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;

import java.net.http.HttpRequest;
import java.time.Instant;
import java.time.LocalDate;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The admin API of ad account connections: what each field must be, secrets sealed and never shown (hints to
 * admins, nothing to analysts), removal taking the synced rows, and an account in another currency refused when no
 * rate source is configured (this server has none).
 */
class AdAccountApiTest extends ServerTest {
    private static final String ADMIN = TestServer.ADMIN_TOKEN;
    private static final String TOKEN = "EAAB-meta-token-never-shown-7731";
    private final FakeMetaInsights meta = new FakeMetaInsights("v24.0", "555", TOKEN, "USD");
    private final PlatformHttp outbound = new PlatformHttp(java.time.Duration.ofSeconds(1), java.time.Duration.ofSeconds(1), "test");

    @Override
    protected Map<String, String> settings() {
        return Map.of("ad-sync.meta-url", meta.baseUrl());
    }

    @AfterAll
    void stopFake() {
        meta.close();
        outbound.close();
    }

    private String base(Ws ws) {
        return "/admin/v1/workspaces/" + ws.id() + "/ad-accounts";
    }

    private Response send(String method, String path, String body) {
        HttpRequest.Builder b = http.request(path).header("Authorization", "Bearer " + ADMIN)
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body));
        if (body != null) b.header("Content-Type", "application/json");
        return http.send(b.build());
    }

    @Test
    void aConnectionIsCheckedStoredWithItsTokenSealedAndShownOnlyAsAHint() {
        Ws ws = newWorkspace();
        Response bad = http.postJson(base(ws), ADMIN, json(Map.of("platform", "bing", "name", "", "account_id", "x",
                "settings", Map.of())));
        assertThat(bad.status()).isEqualTo(422);
        Response missing = http.postJson(base(ws), ADMIN, json(Map.of("platform", "google", "name", "G",
                "account_id", "12345", "settings", Map.of("refresh_token", "r", "color", "blue"))));
        assertThat(missing.status()).isEqualTo(422);
        assertThat(missing.body()).contains("account_id").contains("settings.client_id").contains("settings.developer_token")
                .contains("unknown setting 'color'");

        Response created = http.postJson(base(ws), ADMIN, json(Map.of("platform", "meta", "name", "Meta shop",
                "account_id", "act_555", "settings", Map.of("access_token", TOKEN, "conversion_action", "purchase,lead"))));
        assertThat(created.status()).as(created.body()).isEqualTo(201);
        String id = (String) created.json().get("id");
        assertThat(created.json()).containsEntry("account_id", "555").containsEntry("platform", "meta").containsEntry("enabled", true);
        assertThat(map(created.json().get("settings"))).containsEntry("access_token", "…7731")
                .containsEntry("conversion_action", "purchase,lead");
        assertThat(map(created.json().get("last_sync"))).containsEntry("status", "never");
        assertThat(created.body()).doesNotContain(TOKEN);
        AdAccount stored = server.store().adAccounts().find(id).orElseThrow();
        assertThat(stored.sealedSecrets()).startsWith("tps1:").doesNotContain(TOKEN);
        assertThat(stored.settings()).doesNotContainKey("access_token");

        SignedIn analyst = SignedIn.user(http, "analyst-" + ws.id() + "@example.com", "analyst", List.of(ws.id()));
        Response read = analyst.send("GET", base(ws), null);
        assertThat(read.status()).as(read.body()).isEqualTo(200);
        assertThat(read.body()).contains("Meta shop").doesNotContain("access_token").doesNotContain("7731");
        assertThat(analyst.send("PATCH", base(ws) + "/" + id, "{\"name\":\"x\"}").status()).isEqualTo(403);
        assertThat(analyst.send("POST", base(ws) + "/" + id + "/sync", "{}").status()).isEqualTo(403);

        Response renamed = send("PATCH", base(ws) + "/" + id, json(Map.of("name", "Meta EU", "enabled", false)));
        assertThat(renamed.status()).as(renamed.body()).isEqualTo(200);
        assertThat(map(renamed.json().get("settings"))).as("a secret not given stays").containsEntry("access_token", "…7731");
        assertThat(renamed.json()).containsEntry("name", "Meta EU").containsEntry("enabled", false);
        assertThat(send("PATCH", base(ws) + "/" + id, json(Map.of("platform", "tiktok"))).status()).isEqualTo(422);
        Ws other = newWorkspace();
        assertThat(http.get(base(other) + "/" + id, ADMIN).status()).as("another workspace's connection").isEqualTo(404);
        assertThat(http.postJson(base(ws) + "/" + id + "/sync", ADMIN, "{\"from\":\"2026-01-01\",\"to\":\"2026-06-01\"}").status())
                .as("more than 90 days").isEqualTo(422);
        assertThat(http.postJson(base(ws) + "/" + id + "/sync", ADMIN, "{\"from\":\"yesterday\"}").status()).isEqualTo(422);

        assertThat(send("DELETE", base(ws) + "/" + id, null).status()).isEqualTo(200);
        assertThat(http.get(base(ws) + "/" + id, ADMIN).status()).isEqualTo(404);
    }

    @Test
    void anAccountInAnotherCurrencyIsRefusedWithoutARateSourceAndRemovalTakesTheSyncedRows() {
        Ws ws = newWorkspace(); // dollars
        Response r = send("PUT", "/admin/v1/workspaces/" + ws.id() + "/settings", "{\"currency\":\"GBP\"}");
        assertThat(r.status()).as(r.body()).isEqualTo(200);
        LocalDate day = LocalDate.of(2026, 2, 2);
        meta.add(new AdRow(day, "c", "Brand", "s", "All", "a", "Ad", "9.99", 10, 1, "0", "0"));
        String id = (String) http.postJson(base(ws), ADMIN, json(Map.of("platform", "meta", "name", "Meta", "account_id", "555",
                "settings", Map.of("access_token", TOKEN)))).json().get("id");
        Map<String, Object> done = http.postJson(base(ws) + "/" + id + "/sync", ADMIN,
                json(Map.of("from", day.toString(), "to", day.toString()))).json();
        assertThat(done).containsEntry("status", "partial").containsEntry("rows", 0);
        assertThat((String) done.get("message")).contains("USD").contains("GBP").contains("currency.rates-url");
        assertThat(server.store().attribution().adSpend(ws.id(), day, day)).isEmpty();

        Response usd = send("PUT", "/admin/v1/workspaces/" + ws.id() + "/settings", "{\"currency\":\"USD\"}");
        assertThat(usd.status()).isEqualTo(200);
        assertThat(http.postJson(base(ws) + "/" + id + "/sync", ADMIN, json(Map.of("from", day.toString(), "to", day.toString())))
                .json()).containsEntry("status", "ok").containsEntry("rows", 1);
        assertThat(server.store().attribution().adSpend(ws.id(), day, day)).hasSize(1);
        send("DELETE", base(ws) + "/" + id, null);
        assertThat(server.store().attribution().adSpend(ws.id(), day, day)).isEmpty();
        assertThat(meta.violations()).isEmpty();
    }

    @Test
    void everyAnswerIsAsOpenApiJsonSaysIt() throws Exception {
        OpenApiSchemas schemas = new OpenApiSchemas(new ObjectMapper().readTree(http.get("/openapi.json", null).body()));
        String path = "/paths/" + OpenApiSchemas.segment("/admin/v1/workspaces/{workspace}/ad-accounts");
        String syncPath = "/paths/" + OpenApiSchemas.segment("/admin/v1/workspaces/{workspace}/ad-accounts/{id}/sync");
        String ok = "/responses/200/content/application~1json/schema";
        Ws ws = newWorkspace();
        Response created = http.postJson(base(ws), ADMIN, json(Map.of("platform", "google", "name", "G", "account_id",
                "1234567890", "settings", Map.of("client_id", "c", "client_secret", "s", "refresh_token", "r",
                        "developer_token", "d", "login_customer_id", "9876543210"))));
        assertThat(created.status()).as(created.body()).isEqualTo(201);
        assertThat(schemas.answerErrors("/components/schemas/AdAccountResponse", created.body())).isEmpty();
        String id = (String) created.json().get("id");
        assertThat(schemas.answerErrors(path + "/get" + ok, http.get(base(ws), ADMIN).body())).isEmpty();
        Response synced = http.postJson(base(ws) + "/" + id + "/sync", ADMIN, "{}");
        assertThat(synced.json()).as("the token endpoint is a closed port here").containsEntry("status", "failed");
        assertThat(schemas.answerErrors(syncPath + "/post" + ok, synced.body())).isEmpty();
        assertThat(schemas.answerErrors("/components/schemas/AdAccountResponse", http.get(base(ws) + "/" + id, ADMIN).body()))
                .isEmpty();
    }

    @Test
    void theScheduleSyncsWhatIsDueAndLeavesARefusedTokenUntilItChanges() {
        Instant now = Instant.parse("2026-03-05T10:00:00Z");
        java.net.URI closed = java.net.URI.create("http://127.0.0.1:9");
        AdSyncSettings settings = new AdSyncSettings(7, 24, 0, java.time.Duration.ofMillis(1), closed, "v24.0", closed, "v22",
                closed, closed, null);
        AdSyncSchedule schedule = new AdSyncSchedule(server.store().adAccounts(), new AdSync(server.store(), null, settings,
                outbound, java.time.Clock.fixed(now, java.time.ZoneOffset.UTC)), java.time.Clock.fixed(now, java.time.ZoneOffset.UTC));
        AdAccount fresh = account(SyncState.NEVER, now.minusSeconds(60));
        assertThat(schedule.due(fresh, now)).as("never synced").isTrue();
        assertThat(schedule.due(account(done(SyncStatus.OK, now.minusSeconds(3600)), now.minusSeconds(7200)), now)).isFalse();
        assertThat(schedule.due(account(done(SyncStatus.OK, now.minusSeconds(25 * 3600)), now.minusSeconds(90_000)), now)).isTrue();
        assertThat(schedule.due(account(done(SyncStatus.AUTH_FAILED, now.minusSeconds(25 * 3600)), now.minusSeconds(90_000)), now))
                .as("a refused token waits for new credentials").isFalse();
        assertThat(schedule.due(account(done(SyncStatus.AUTH_FAILED, now.minusSeconds(25 * 3600)), now.minusSeconds(60)), now))
                .as("changed since").isTrue();
    }

    private static SyncState done(SyncStatus status, Instant at) {
        return SyncState.running(LocalDate.of(2026, 2, 27), LocalDate.of(2026, 3, 5), at).finished(status, null, 0, at.plusSeconds(1));
    }

    private static AdAccount account(SyncState sync, Instant updated) {
        return new AdAccount("ada_x", "ws_x", io.touchpoint.core.adaccounts.AdPlatform.META, "x", "1", Map.of(), "tps1:k:x", true,
                updated, updated, sync);
    }
}
