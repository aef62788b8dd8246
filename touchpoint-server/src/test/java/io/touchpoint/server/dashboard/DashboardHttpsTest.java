package io.touchpoint.server.dashboard;

import io.touchpoint.server.support.HttpTestClient;
import io.touchpoint.server.support.HttpTestClient.Response;
import io.touchpoint.server.support.TestCertificates;
import io.touchpoint.server.support.TestServer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The sign-in page sends the administrator token, so the dashboard is served only where the API would answer:
 * over plain HTTP where HTTPS is required it is a redirect to HTTPS (behind a trusted proxy) or a page that says
 * why, never the sign-in form. Answers over HTTPS carry Strict-Transport-Security.
 */
class DashboardHttpsTest {
    private static final List<String> PAGES = List.of("/", "/dashboard", "/sign-in", "/dashboard/setup", "/dashboard/events");

    @TempDir
    Path dir;

    @Test
    void overPlainHttpWhereHttpsIsRequiredNoPageAsksForTheToken() {
        try (TestServer s = TestServer.start(dir, Map.of("https.required", "true", "https.allow-loopback-http", "false"))) {
            for (String page : PAGES) {
                Response r = s.http.get(page, null);
                assertThat(r.status()).as(page).isEqualTo(403);
                assertThat(r.header("Content-Type")).startsWith("text/html");
                assertThat(r.body()).as(page).contains("HTTPS required").doesNotContain("sign-in").doesNotContain("<script");
                assertThat(r.header("Cache-Control")).isEqualTo("no-store");
                assertThat(r.header("Strict-Transport-Security")).isNull();
            }
            // the scripts are not served either
            assertThat(s.http.get("/dashboard/assets/any/sign-in.js", null).status()).isEqualTo(403);
        }
    }

    @Test
    void behindATrustedProxyThatSaysHttpPagesRedirectToHttps() {
        try (TestServer s = TestServer.start(dir, Map.of("https.required", "true", "proxies.trusted", "127.0.0.1/32"))) {
            Response r = s.http.send(s.http.request("/sign-in?next=%2Fdashboard%2Fevents")
                    .header("X-Forwarded-Proto", "http").GET().build());
            assertThat(r.status()).isEqualTo(308);
            assertThat(r.header("Location")).isEqualTo("https://127.0.0.1:" + s.port() + "/sign-in?next=%2Fdashboard%2Fevents");
            assertThat(r.body()).doesNotContain("sign-in.js");

            Response https = s.http.send(s.http.request("/sign-in").header("X-Forwarded-Proto", "https").GET().build());
            assertThat(https.status()).isEqualTo(200);
            assertThat(https.body()).contains("sign-in");
            assertThat(https.header("Strict-Transport-Security")).startsWith("max-age=");
            Response api = s.http.send(s.http.request("/healthz").header("X-Forwarded-Proto", "https").GET().build());
            assertThat(api.header("Strict-Transport-Security")).startsWith("max-age=");
            // a proxy this server does not trust changes nothing
            Response untrusted = s.http.send(s.http.request("/healthz").GET().build());
            assertThat(untrusted.header("Strict-Transport-Security")).isNull();
        }
    }

    @Test
    void overTlsEveryAnswerCarriesStrictTransportSecurity() throws Exception {
        TestCertificates.Pem pem = TestCertificates.pem(Files.createDirectories(dir.resolve("certs")));
        try (TestServer s = TestServer.start(dir.resolve("data"), Map.of("tls.certificate", pem.certificate().toString(),
                "tls.private-key", pem.privateKey().toString(), "https.allow-loopback-http", "false"))) {
            HttpTestClient https = new HttpTestClient(s.baseUrl(), TestCertificates.trusting(pem.certificate()));
            for (String path : List.of("/sign-in", "/healthz", "/no/such/endpoint")) {
                Response r = https.get(path, null);
                assertThat(r.header("Strict-Transport-Security")).as(path).isEqualTo("max-age=31536000");
            }
            assertThat(https.get("/sign-in", null).status()).isEqualTo(200);
        }
    }

    @Test
    void onLoopbackWithoutHttpsRequiredTheDashboardIsServedAsBefore() {
        try (TestServer s = TestServer.start(dir, Map.of())) {
            Response r = s.http.get("/sign-in", null);
            assertThat(r.status()).isEqualTo(200);
            assertThat(r.body()).contains("data-page=\"sign-in\"");
            assertThat(r.header("Strict-Transport-Security")).isNull();
        }
    }
}
