package io.touchpoint.server.pixel;

import io.touchpoint.core.model.PixelSettings;
import io.touchpoint.server.support.HttpTestClient;
import io.touchpoint.server.support.ServerTest;
import io.touchpoint.server.support.TestServer;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** The admin API's pixel settings and install snippets. */
class PixelAdminTest extends ServerTest {

    @Test
    void readsAndReplacesPixelSettings() {
        Ws ws = newWorkspace();
        String path = "/admin/v1/workspaces/" + ws.id() + "/pixel";
        HttpTestClient.Response r = http.get(path, TestServer.ADMIN_TOKEN);
        assertThat(r.status()).isEqualTo(200);
        assertThat(r.json()).containsEntry("allowed_origins", List.of()).containsEntry("domains", List.of());
        String key = (String) r.json().get("pixel_key");
        assertThat((String) r.json().get("snippet_head")).contains("<script async src=\"" + server.baseUrl()
                + "/pixel/" + key + ".js\"></script>");
        assertThat((String) r.json().get("snippet_gtm")).contains("createElement('script')").contains(key + ".js");

        HttpTestClient.Response put = http.send(http.request(path).header("Authorization", "Bearer " + TestServer.ADMIN_TOKEN)
                .header("Content-Type", "application/json").PUT(java.net.http.HttpRequest.BodyPublishers.ofString(
                        json(Map.of("allowed_origins", List.of("https://Shop.Example.com/"), "domains", List.of("example.com")))))
                .build());
        assertThat(put.status()).as(put.body()).isEqualTo(200);
        assertThat(server.store().pixelSettings().get(ws.id()))
                .isEqualTo(new PixelSettings(List.of("https://shop.example.com"), List.of("example.com")));

        HttpTestClient.Response bad = http.send(http.request(path).header("Authorization", "Bearer " + TestServer.ADMIN_TOKEN)
                .header("Content-Type", "application/json").PUT(java.net.http.HttpRequest.BodyPublishers.ofString(
                        json(Map.of("allowed_origins", List.of("shop.example.com"))))).build());
        assertThat(bad.status()).isEqualTo(422);
        assertThat(http.get(path, null).status()).isEqualTo(401);
        assertThat(http.get("/admin/v1/workspaces/nobody/pixel", TestServer.ADMIN_TOKEN).status()).isEqualTo(404);
    }
}
