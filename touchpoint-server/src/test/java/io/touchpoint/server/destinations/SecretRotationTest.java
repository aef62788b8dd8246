package io.touchpoint.server.destinations;

import io.touchpoint.core.auth.SecretBox;
import io.touchpoint.core.destinations.Destination;
import io.touchpoint.server.support.HttpTestClient.Response;
import io.touchpoint.server.support.TestServer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.Base64;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * Rotating the secrets key: the new key with the old one among the previous keys seals every destination, ad
 * account connection and scheduled export's webhook secret again.
 */
class SecretRotationTest {
    @TempDir
    Path dir;

    @Test
    void aRotatedKeyResealsEveryDestinationAdAccountAndExportWebhookAtStartAndTheOldKeyCanThenGo() {
        String oldKey = Base64.getEncoder().encodeToString(SecretBox.newKey());
        String newKey = Base64.getEncoder().encodeToString(SecretBox.newKey());
        String id;
        String adsId;
        String exportId;
        String oldKeyId;
        try (TestServer server = TestServer.start(dir, Map.of("secrets.key", oldKey))) {
            String ws = server.createWorkspace("acme").workspace().id();
            Response r = server.http.postJson("/admin/v1/workspaces/" + ws + "/destinations", TestServer.ADMIN_TOKEN,
                    "{\"type\":\"meta\",\"name\":\"m\",\"settings\":{\"pixel_id\":\"1\",\"access_token\":\"EAAB-rotate-me-0042\"}}");
            assertThat(r.status()).as(r.body()).isEqualTo(201);
            id = (String) r.json().get("id");
            oldKeyId = SecretBox.keyIdOf(server.store().destinations().find(id).orElseThrow().sealedSecrets());
            Response ads = server.http.postJson("/admin/v1/workspaces/" + ws + "/ad-accounts", TestServer.ADMIN_TOKEN,
                    "{\"platform\":\"tiktok\",\"name\":\"t\",\"account_id\":\"7\",\"settings\":{\"access_token\":\"tt-rotate-me-0043\"}}");
            assertThat(ads.status()).as(ads.body()).isEqualTo(201);
            adsId = (String) ads.json().get("id");
            Response export = server.http.postJson("/admin/v1/workspaces/" + ws + "/exports", TestServer.ADMIN_TOKEN,
                    "{\"name\":\"bi\",\"what\":\"events_log\",\"webhook_url\":\"https://bi.example.com/hook\","
                            + "\"webhook_secret\":\"whsec_rotate-me-0044\",\"hour\":3}");
            assertThat(export.status()).as(export.body()).isEqualTo(201);
            exportId = (String) export.json().get("id");
        }
        try (TestServer server = TestServer.start(dir, Map.of("secrets.key", newKey, "secrets.previous-keys", oldKey))) {
            Destination d = server.store().destinations().find(id).orElseThrow();
            assertThat(SecretBox.keyIdOf(d.sealedSecrets())).isNotEqualTo(oldKeyId);
            assertThat(SecretBox.keyIdOf(server.store().adAccounts().find(adsId).orElseThrow().sealedSecrets())).isNotEqualTo(oldKeyId);
            String exportSealed = server.store().exports().byId(exportId).orElseThrow().sealedSecret();
            SecretBox onlyOld = new SecretBox(Base64.getDecoder().decode(oldKey), List.of());
            assertThatThrownBy(() -> onlyOld.open(exportSealed)).as("the old key no longer opens the export's secret")
                    .isInstanceOf(IllegalArgumentException.class);
            assertThat(new SecretBox(Base64.getDecoder().decode(newKey), List.of()).open(exportSealed))
                    .containsEntry("secret", "whsec_rotate-me-0044");
        }
        try (TestServer server = TestServer.start(dir, Map.of("secrets.key", newKey))) {
            Response r = server.http.get("/admin/v1/destinations/" + id, TestServer.ADMIN_TOKEN);
            @SuppressWarnings("unchecked") Map<String, Object> secrets = (Map<String, Object>) r.json().get("secrets");
            assertThat(secrets).containsEntry("access_token", "…0042");
            Response ads = server.http.get("/admin/v1/workspaces/" + server.store().adAccounts().find(adsId).orElseThrow()
                    .workspaceId() + "/ad-accounts/" + adsId, TestServer.ADMIN_TOKEN);
            @SuppressWarnings("unchecked") Map<String, Object> settings = (Map<String, Object>) ads.json().get("settings");
            assertThat(settings).containsEntry("access_token", "…0043");
        }
    }
}
