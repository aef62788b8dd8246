package io.touchpoint.server.ops;

import io.touchpoint.server.support.HttpTestClient;
import io.touchpoint.server.support.HttpTestClient.Response;
import io.touchpoint.server.support.ServerTest;
import io.touchpoint.server.support.TestServer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Map;

import static io.touchpoint.server.support.ErrorAssert.assertError;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * What the server answers outside the API proper: /metrics only to loopback clients unless a metrics token is set,
 * {@code X-Content-Type-Options: nosniff} on JSON answers, and Jetty's own refusals in the documented error shape.
 */
class EdgeAnswersTest extends ServerTest {
    @Override
    protected Map<String, String> settings() {
        return Map.of("proxies.trusted", "127.0.0.1/32");
    }

    @Test
    void metricsAreNotServedToOtherMachinesWithoutAToken() {
        Response remote = http.send(http.request("/metrics").header("X-Forwarded-For", "203.0.113.9").GET().build());
        assertError(remote, 403, "metrics_token_required");
        assertThat(remote.body()).doesNotContain("touchpoint_");
        assertThat(http.get("/metrics", null).status()).isEqualTo(200); // this machine, as before
    }

    @Test
    void metricsWithATokenNeedItFromEveryone(@TempDir Path dir) {
        String token = "metrics-token-0123456789abcdef";
        try (TestServer s = TestServer.start(dir, Map.of("metrics.token", token, "proxies.trusted", "127.0.0.1/32"))) {
            assertError(s.http.get("/metrics", null), 401, "metrics_token_invalid");
            assertError(s.http.get("/metrics", "not-the-metrics-token"), 401, "metrics_token_invalid");
            assertError(s.http.get("/metrics", TestServer.ADMIN_TOKEN), 401, "metrics_token_invalid");
            Response ok = s.http.send(s.http.request("/metrics").header("Authorization", "Bearer " + token)
                    .header("X-Forwarded-For", "203.0.113.9").GET().build());
            assertThat(ok.status()).isEqualTo(200);
            assertThat(ok.body()).contains("touchpoint_ingest_queue_depth");
        }
    }

    @Test
    void jsonAnswersAreNeverSniffedAsSomethingElse() {
        Ws ws = newWorkspace();
        for (Response r : new Response[]{http.get("/healthz", null), http.get("/openapi.json", null),
                http.get("/api/v1/events-log", ws.token()), http.get("/api/v1/events-log", null),
                http.get("/no/such/endpoint", null), http.postJson("/public-api/v1/events", ws.token(), "{")}) {
            assertThat(r.header("Content-Type")).startsWith("application/json");
            assertThat(r.header("X-Content-Type-Options")).as(r.body()).isEqualTo("nosniff");
        }
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
            "NOT A REQUEST LINE|400|bad_request",
            "GET / HTTP/7.1|505|http_version_not_supported",
            "BIG_HEADER|431|headers_too_large",
            "GET /%zz HTTP/1.1|400|bad_request"})
    void jettysOwnRefusalsUseTheErrorShape(String requestLine, int status, String code) throws IOException {
        String request = requestLine.equals("BIG_HEADER")
                ? "GET /healthz HTTP/1.1\r\nHost: 127.0.0.1\r\nX-Big: " + "a".repeat(64 * 1024) + "\r\n\r\n"
                : requestLine + "\r\nHost: 127.0.0.1\r\n\r\n";
        String raw = exchange(request);
        String head = raw.substring(0, raw.indexOf("\r\n\r\n"));
        String body = raw.substring(raw.indexOf("\r\n\r\n") + 4);
        assertThat(head).as(raw).startsWith("HTTP/1.1 " + status);
        assertThat(head.toLowerCase()).contains("content-type: application/json").contains("x-content-type-options: nosniff");
        Map<String, Object> json = HttpTestClient.parse(body.strip());
        assertThat(json).as(raw).containsEntry("status", status).containsKeys("message", "error", "request_id");
        Map<String, Object> error = map(json.get("error"));
        assertThat(error).containsEntry("code", code).containsKeys("type", "param", "message", "doc_url");
        assertThat((String) error.get("doc_url")).endsWith("/docs/errors#" + code);
    }

    /** One raw HTTP/1.1 exchange: what the server sends back before it closes (or a second has passed). */
    private String exchange(String request) throws IOException {
        try (Socket s = new Socket("127.0.0.1", server.port())) {
            s.setSoTimeout(5000);
            OutputStream out = s.getOutputStream();
            try {
                out.write(request.getBytes(StandardCharsets.ISO_8859_1));
                out.flush();
            } catch (IOException e) {
                // the server may answer and close before it has read everything sent
            }
            InputStream in = s.getInputStream();
            StringBuilder sb = new StringBuilder();
            byte[] buf = new byte[8192];
            try {
                for (int n; (n = in.read(buf)) > 0; ) {
                    sb.append(new String(buf, 0, n, StandardCharsets.ISO_8859_1));
                    if (complete(sb)) break;
                }
            } catch (java.net.SocketTimeoutException | java.net.SocketException e) {
                // what arrived is the answer
            }
            return sb.toString();
        }
    }

    private static boolean complete(StringBuilder sb) {
        int end = sb.indexOf("\r\n\r\n");
        if (end < 0) return false;
        String head = sb.substring(0, end).toLowerCase();
        int at = head.indexOf("content-length:");
        if (at < 0) return false;
        int len = Integer.parseInt(head.substring(at + 15, head.indexOf("\r\n", at) < 0 ? head.length() : head.indexOf("\r\n", at)).strip());
        return sb.length() - end - 4 >= len;
    }
}
