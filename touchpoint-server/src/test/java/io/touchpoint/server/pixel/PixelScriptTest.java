package io.touchpoint.server.pixel;

import io.touchpoint.core.model.PixelSettings;
import io.touchpoint.server.support.ServerTest;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayInputStream;
import java.net.http.HttpClient;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.zip.GZIPInputStream;

import static org.assertj.core.api.Assertions.assertThat;

/** GET /pixel/{pixelKey}.js: gzip, the 4 KB budget, ETag and caching, the workspace's key and domains. */
class PixelScriptTest extends ServerTest {
    static final int BUDGET_GZIPPED_BYTES = 4096;

    private HttpResponse<byte[]> get(String path, String... headers) throws Exception {
        var b = http.request(path).GET();
        for (int i = 0; i < headers.length; i += 2) b.header(headers[i], headers[i + 1]);
        return HttpClient.newHttpClient().send(b.build(), HttpResponse.BodyHandlers.ofByteArray());
    }

    @Test
    void servesTheWorkspacesScriptGzippedUnderTheBudget() throws Exception {
        Ws ws = newWorkspace();
        String key = server.store().workspaces().byId(ws.id()).orElseThrow().pixelKey();
        server.store().pixelSettings().put(ws.id(), new PixelSettings(List.of(), List.of("example.com", "example.net")));
        HttpResponse<byte[]> r = get("/pixel/" + key + ".js", "Accept-Encoding", "gzip");
        assertThat(r.statusCode()).isEqualTo(200);
        assertThat(r.headers().firstValue("Content-Encoding")).contains("gzip");
        assertThat(r.headers().firstValue("Content-Type").orElseThrow()).startsWith("text/javascript");
        assertThat(r.headers().firstValue("Cache-Control").orElseThrow()).contains("max-age=");
        assertThat(r.body().length).as("gzipped size").isLessThan(BUDGET_GZIPPED_BYTES);
        String js = new String(new GZIPInputStream(new ByteArrayInputStream(r.body())).readAllBytes(), StandardCharsets.UTF_8);
        assertThat(js).contains("\"" + key + "\"").contains("\"example.com,example.net\"").contains("cometToken")
                .doesNotContain("__TP_KEY__").doesNotContain("__TP_DOMAINS__");
        assertThat(js.length() / js.lines().count()).as("minified: long lines").isGreaterThan(300);
        assertThat(js).as("minified: no comments").doesNotContain("/*");

        String etag = r.headers().firstValue("ETag").orElseThrow();
        assertThat(get("/pixel/" + key + ".js", "If-None-Match", etag).statusCode()).isEqualTo(304);
        HttpResponse<byte[]> plain = get("/pixel/" + key + ".js");
        assertThat(plain.headers().firstValue("Content-Encoding")).isEmpty();
        assertThat(new String(plain.body(), StandardCharsets.UTF_8)).isEqualTo(js);
    }

    @Test
    void unknownKeyIs404() throws Exception {
        assertThat(get("/pixel/px_nobody.js").statusCode()).isEqualTo(404);
    }
}
