package io.touchpoint.server.pixel;

import io.touchpoint.server.support.HttpTestClient;
import io.touchpoint.server.support.ServerTest;
import io.touchpoint.server.support.TestServer;
import org.junit.jupiter.api.Test;

import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The pixel's public paths under a configured first-party prefix and names: the script served there sends its beacons
 * there, the classic paths stay as they were, and the admin API's snippet follows the configuration.
 */
class FirstPartyPathsTest extends ServerTest {
    @Override
    protected Map<String, String> settings() {
        return Map.of("pixel.path-prefix", "/edge/tp/", "pixel.script-name", "lib.js", "pixel.collect-name", "ping");
    }

    @Test
    void scriptAndBeaconsUnderTheConfiguredPrefix() {
        Ws ws = newWorkspace();
        String key = server.store().workspaces().byId(ws.id()).orElseThrow().pixelKey();
        HttpTestClient.Response script = http.get("/edge/tp/lib.js?key=" + key, null);
        assertThat(script.status()).isEqualTo(200);
        assertThat(script.header("Content-Type")).startsWith("text/javascript");
        assertThat(script.body()).contains("\"/edge/tp/ping\"").contains("\"" + key + "\"").doesNotContain("__TP_");
        HttpTestClient.Response classic = http.get("/pixel/" + key + ".js", null);
        assertThat(classic.body()).contains("\"/collect\"").doesNotContain("/edge/tp/");
        assertThat(classic.header("ETag")).isNotEqualTo(script.header("ETag"));
        assertThat(http.get("/edge/tp/lib.js", null).error()).containsEntry("code", "pixel_key_missing");
        assertThat(http.get("/edge/tp/lib.js?key=px_nobody", null).status()).isEqualTo(404);
        assertThat(http.get("/t/a.js?key=" + key, null).status()).as("the default names are not served").isEqualTo(404);

        HttpTestClient.Response beacon = VisitorCookieTest.collect(http, "/edge/tp/ping?key=" + key,
                VisitorCookieTest.beacon(VisitorCookieTest.TOKEN), Map.of("Origin", "http://127.0.0.1:3000"));
        assertThat(beacon.status()).as(beacon.body()).isEqualTo(202);
        assertThat(beacon.header("Set-Cookie")).startsWith("_tp_id=" + VisitorCookieTest.TOKEN + ";");
        HttpTestClient.Response log = http.get("/api/v1/events-log?workspace=" + ws.id(), TestServer.ADMIN_TOKEN);
        assertThat(log.body()).contains("\"endpoint\":\"/edge/tp/ping\"");

        Map<String, Object> firstParty = map(http.get("/admin/v1/workspaces/" + ws.id() + "/pixel", TestServer.ADMIN_TOKEN)
                .json().get("first_party"));
        assertThat(firstParty).containsEntry("path_prefix", "/edge/tp/").containsEntry("script_path", "/edge/tp/lib.js?key=" + key)
                .containsEntry("collect_path", "/edge/tp/ping").containsEntry("upstream", server.baseUrl())
                .containsEntry("snippet_head", "<script async src=\"/edge/tp/lib.js?key=" + key + "\"></script>");
        assertThat((String) map(firstParty.get("recipes")).get("nginx")).contains("location /edge/tp/ {");
    }
}
