package io.touchpoint.server.destinations;

import io.touchpoint.server.support.HttpTestClient.Response;
import io.touchpoint.server.support.TestServer;
import org.junit.jupiter.api.Test;

import java.net.http.HttpRequest;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/** The destinations admin API: add, list, read, change, remove; settings checked per type; secrets never shown. */
class DestinationApiTest extends DeliveryServerTest {
    static final String SECRET = "EAAB-very-secret-token-XYZ9";

    private Response patch(String id, Object body) {
        return http.send(http.request("/admin/v1/destinations/" + id).header("Authorization", "Bearer " + TestServer.ADMIN_TOKEN)
                .header("Content-Type", "application/json").method("PATCH", HttpRequest.BodyPublishers.ofString(json(body))).build());
    }

    @Test
    void addListChangeAndRemoveWithoutEverShowingASecret() throws Exception {
        Ws ws = newWorkspace();
        Map<String, Object> created = addDestination(ws, "meta", Map.of("pixel_id", "1234567890", "access_token", SECRET),
                Map.of("events", List.of("purchase"), "mode", "attributed", "model", "last_non_direct"));
        String id = (String) created.get("id");
        assertThat(id).startsWith("dst_");
        assertThat(created).containsEntry("type", "meta").containsEntry("mode", "attributed").containsEntry("model", "last_non_direct")
                .containsEntry("enabled", true).containsEntry("workspace_id", ws.id());
        assertThat(map(created.get("settings"))).containsEntry("pixel_id", "1234567890").doesNotContainKey("access_token");
        assertThat(map(created.get("secrets"))).containsEntry("access_token", "…XYZ9");
        assertThat(map(created.get("stats"))).containsEntry("sent", 0).containsEntry("dead", 0);

        Response listed = http.get("/admin/v1/workspaces/" + ws.name() + "/destinations", TestServer.ADMIN_TOKEN);
        assertThat(listed.status()).isEqualTo(200);
        assertThat(list(listed.json().get("data"))).extracting(d -> d.get("id")).containsExactly(id);
        Response one = http.get("/admin/v1/destinations/" + id, TestServer.ADMIN_TOKEN);
        for (Response r : List.of(listed, one)) assertThat(r.body()).doesNotContain(SECRET);

        Response changed = patch(id, Map.of("name", "Meta renamed", "enabled", false, "events", List.of("purchase", "lead_generated")));
        assertThat(changed.status()).as(changed.body()).isEqualTo(200);
        assertThat(changed.json()).containsEntry("name", "Meta renamed").containsEntry("enabled", false);
        assertThat(map(changed.json().get("secrets"))).as("a secret not given is kept").containsEntry("access_token", "…XYZ9");
        assertThat(changed.json().get("events")).isEqualTo(List.of("purchase", "lead_generated"));

        Response removed = http.delete("/admin/v1/destinations/" + id, TestServer.ADMIN_TOKEN);
        assertThat(removed.status()).isEqualTo(200);
        assertThat(http.get("/admin/v1/destinations/" + id, TestServer.ADMIN_TOKEN).status()).isEqualTo(404);

        // at rest the token is encrypted: neither the database nor its write-ahead log holds it
        addDestination(ws, "meta", Map.of("pixel_id", "1234567890", "access_token", SECRET), Map.of());
        try (Stream<Path> files = Files.list(dataDir)) {
            for (Path f : files.filter(Files::isRegularFile).toList()) {
                assertThat(new String(Files.readAllBytes(f), StandardCharsets.ISO_8859_1)).as(f.toString()).doesNotContain(SECRET);
            }
        }
        Path key = dataDir.resolve("secrets.key");
        assertThat(key).exists();
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(key))).isEqualTo("rw-------");
    }

    @Test
    void settingsAreCheckedPerTypeAndEveryProblemIsNamed() {
        Ws ws = newWorkspace();
        String path = "/admin/v1/workspaces/" + ws.id() + "/destinations";
        Response noType = http.postJson(path, TestServer.ADMIN_TOKEN, "{\"name\":\"x\",\"settings\":{}}");
        assertThat(noType.status()).isEqualTo(422);
        assertThat(noType.body()).contains("type");
        Response unknownType = http.postJson(path, TestServer.ADMIN_TOKEN, "{\"type\":\"myspace\",\"name\":\"x\",\"settings\":{}}");
        assertThat(unknownType.status()).isEqualTo(422);
        Response missing = http.postJson(path, TestServer.ADMIN_TOKEN, json(Map.of("type", "google_ads", "name", "g",
                "settings", Map.of("customer_id", "123-456-7890"))));
        assertThat(missing.status()).isEqualTo(422);
        assertThat(missing.body()).contains("settings.conversion_action").contains("settings.refresh_token").contains("settings.developer_token");
        Response plainHttp = http.postJson(path, TestServer.ADMIN_TOKEN, json(Map.of("type", "webhook", "name", "w",
                "settings", Map.of("url", "http://hooks.example.com/x"))));
        assertThat(plainHttp.status()).isEqualTo(422);
        assertThat(plainHttp.body()).contains("settings.url").contains("https");
        Response attributedWebhook = http.postJson(path, TestServer.ADMIN_TOKEN, json(Map.of("type", "webhook", "name", "w",
                "settings", Map.of("url", "https://hooks.example.com/x"), "mode", "attributed")));
        assertThat(attributedWebhook.status()).isEqualTo(422);
        assertThat(attributedWebhook.body()).contains("\"mode\"");
        Response badModel = http.postJson(path, TestServer.ADMIN_TOKEN, json(Map.of("type", "meta", "name", "m",
                "settings", Map.of("pixel_id", "1", "access_token", "t"), "model", "markov")));
        assertThat(badModel.status()).isEqualTo(422);
        Response badEvents = http.postJson(path, TestServer.ADMIN_TOKEN, json(Map.of("type", "meta", "name", "m",
                "settings", Map.of("pixel_id", "1", "access_token", "t"), "events", List.of("Buy"))));
        assertThat(badEvents.status()).isEqualTo(422);
        Response notJson = http.postJson(path, TestServer.ADMIN_TOKEN, "{\"type\":");
        assertThat(notJson.status()).isEqualTo(400);
        assertThat(http.postJson("/admin/v1/workspaces/nope/destinations", TestServer.ADMIN_TOKEN, json(Map.of("type", "meta", "name", "m",
                "settings", Map.of("pixel_id", "1", "access_token", "t")))).status()).isEqualTo(404);
        Response typeChange = patch((String) addDestination(ws, "webhook", Map.of("url", "https://hooks.example.com/x"), Map.of()).get("id"),
                Map.of("type", "meta"));
        assertThat(typeChange.status()).isEqualTo(422);
    }

    @Test
    void aWebhookGetsAGeneratedSecretAndTheApiNeedsTheAdministrator() {
        Ws ws = newWorkspace();
        Map<String, Object> hook = addDestination(ws, "webhook", Map.of("url", "https://hooks.example.com/tp"), Map.of());
        assertThat((String) map(hook.get("secrets")).get("secret")).startsWith("…");
        String secret = (String) hook.get("webhook_secret");
        assertThat(secret).as("a generated secret is shown once").startsWith("whsec_");
        assertThat(http.get("/admin/v1/destinations/" + hook.get("id"), TestServer.ADMIN_TOKEN).body()).doesNotContain(secret);
        Map<String, Object> given = addDestination(ws, "webhook", Map.of("url", "https://hooks.example.com/tp", "secret", "whsec_mine_0123456789"), Map.of());
        assertThat(given).doesNotContainKey("webhook_secret");
        assertThat(http.get("/admin/v1/workspaces/" + ws.id() + "/destinations", ws.token()).status()).isEqualTo(401);
        assertThat(http.get("/admin/v1/destinations/" + hook.get("id"), null).status()).isEqualTo(401);
    }
}
