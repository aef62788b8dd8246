package io.touchpoint.server.admin;

import io.touchpoint.server.support.HttpTestClient;
import io.touchpoint.server.support.TestCertificates;
import io.touchpoint.server.support.TestServer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** Over TLS terminated by Touchpoint itself, the session cookie is Secure, and it works on the next request. */
class SessionHttpsTest {
    @TempDir
    Path dir;

    @Test
    void theSessionCookieIsSecureOverTls() throws Exception {
        TestCertificates.Pem pem = TestCertificates.pem(Files.createDirectories(dir.resolve("certs")));
        try (TestServer s = TestServer.start(dir.resolve("data"), Map.of("tls.certificate", pem.certificate().toString(),
                "tls.private-key", pem.privateKey().toString(), "https.allow-loopback-http", "false"))) {
            HttpTestClient https = new HttpTestClient(s.baseUrl(), TestCertificates.trusting(pem.certificate()));
            HttpTestClient.Response r = https.postJson("/admin/v1/session", null,
                    "{\"admin_token\":\"" + TestServer.ADMIN_TOKEN + "\"}");
            assertThat(r.status()).as(r.body()).isEqualTo(201);
            String cookie = r.header("Set-Cookie");
            assertThat(cookie).contains("; HttpOnly").contains("; SameSite=Strict").endsWith("; Secure");

            HttpTestClient.Response workspaces = https.send(https.request("/admin/v1/workspaces")
                    .header("Cookie", cookie.split(";")[0]).GET().build());
            assertThat(workspaces.status()).as(workspaces.body()).isEqualTo(200);
        }
    }
}
