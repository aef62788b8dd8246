package io.touchpoint.server.http;

import io.touchpoint.server.support.HttpTestClient;
import io.touchpoint.server.support.TestCertificates;
import io.touchpoint.server.support.TestServer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLHandshakeException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowable;

/**
 * HTTPS: Touchpoint terminates TLS itself from a PKCS#12 keystore or a PEM certificate and key;
 * when HTTPS is required, plain HTTP fails with {@code https_required}, except from a loopback client when
 * allowed; {@code X-Forwarded-Proto} counts only from trusted proxy addresses, and a trusted proxy saying
 * {@code http} is refused even from loopback. Certificates are made at test time.
 */
class HttpsTest {
    static final String EVENTS = "/public-api/v1/events";
    static final String MINIMUM = "{\"event_name\":\"lead_generated\",\"email\":\"developers@cometly.com\"}";
    static final String PASSWORD = "test-keystore-password";

    @TempDir
    Path dir;

    @Test
    void servesHttpsFromPkcs12Keystore() throws Exception {
        Path keystore = TestCertificates.pkcs12(Files.createDirectories(dir.resolve("certs")), PASSWORD);
        Map<String, String> settings = httpsOnly();
        settings.put("tls.keystore", keystore.toString());
        settings.put("tls.keystore-password", PASSWORD);
        try (TestServer s = TestServer.start(dir.resolve("data"), settings)) {
            assertServesOnlyHttps(s, TestCertificates.trusting(keystore, PASSWORD));
        }
    }

    @Test
    void servesHttpsFromPemCertificateAndKey() throws Exception {
        TestCertificates.Pem pem = TestCertificates.pem(Files.createDirectories(dir.resolve("certs")));
        Map<String, String> settings = httpsOnly();
        settings.put("tls.certificate", pem.certificate().toString());
        settings.put("tls.private-key", pem.privateKey().toString());
        try (TestServer s = TestServer.start(dir.resolve("data"), settings)) {
            assertServesOnlyHttps(s, TestCertificates.trusting(pem.certificate()));
        }
    }

    /** HTTPS required and no plain HTTP even from loopback: only the TLS connection can be what passes. */
    private static Map<String, String> httpsOnly() {
        Map<String, String> settings = new HashMap<>();
        settings.put("https.required", "true");
        settings.put("https.allow-loopback-http", "false");
        return settings;
    }

    private static void assertServesOnlyHttps(TestServer s, SSLContext trust) {
        assertThat(s.baseUrl()).startsWith("https://127.0.0.1:");
        String token = s.createWorkspace("acme").token().secret();

        HttpTestClient.Response r = new HttpTestClient(s.baseUrl(), trust).postJson(EVENTS, token, MINIMUM);
        assertThat(r.status()).as(r.body()).isEqualTo(202);
        assertThat(r.json()).containsEntry("outcome", "accepted");
        assertThat(r.json().get("id")).isInstanceOf(String.class);

        // the certificate really is the one configured: a client that does not trust it cannot connect
        assertThatThrownBy(() -> new HttpTestClient(s.baseUrl()).postJson(EVENTS, token, MINIMUM))
                .isInstanceOf(UncheckedIOException.class).hasCauseInstanceOf(SSLHandshakeException.class);

        // the TLS connector replaces the plain one: plain HTTP on the port is not served
        String plain = s.baseUrl().replace("https://", "http://");
        Throwable failure = catchThrowable(() -> {
            HttpTestClient.Response p = new HttpTestClient(plain).postJson(EVENTS, token, MINIMUM);
            throw new AssertionError("plain HTTP on the TLS port was answered " + p.status() + " " + p.body());
        });
        assertThat(failure).isInstanceOf(UncheckedIOException.class);
    }

    @Test
    void plainHttpIsRefusedWhenHttpsIsRequiredAndLoopbackHttpIsNotAllowed() {
        try (TestServer s = TestServer.start(dir, Map.of("https.required", "true", "https.allow-loopback-http", "false"))) {
            String token = s.createWorkspace("acme").token().secret();
            assertHttpsRequired(s.http.postJson(EVENTS, token, MINIMUM));
        }
    }

    @Test
    void loopbackClientMayUsePlainHttpByDefaultEvenWhenHttpsIsRequired() {
        try (TestServer s = TestServer.start(dir, Map.of("https.required", "true"))) {
            String token = s.createWorkspace("acme").token().secret();
            assertThat(s.http.postJson(EVENTS, token, MINIMUM).status()).isEqualTo(202);
        }
    }

    @Test
    void trustedProxySayingHttpsIsAccepted() {
        try (TestServer s = TestServer.start(dir, Map.of("https.required", "true", "https.allow-loopback-http", "false",
                "proxies.trusted", "10.0.0.0/8, 127.0.0.1"))) {
            String token = s.createWorkspace("acme").token().secret();
            HttpTestClient.Response r = s.http.postJson(EVENTS, token, MINIMUM, Map.of("X-Forwarded-Proto", "https"));
            assertThat(r.status()).as(r.body()).isEqualTo(202);
            assertThat(r.json()).containsEntry("outcome", "accepted");
        }
    }

    @Test
    void trustedProxySayingHttpIsRefusedEvenThoughLoopbackHttpIsAllowed() {
        try (TestServer s = TestServer.start(dir, Map.of("https.required", "true", "https.allow-loopback-http", "true",
                "proxies.trusted", "127.0.0.1"))) {
            String token = s.createWorkspace("acme").token().secret();
            assertHttpsRequired(s.http.postJson(EVENTS, token, MINIMUM, Map.of("X-Forwarded-Proto", "http")));
        }
    }

    @Test
    void forwardedProtoFromAnUntrustedAddressIsIgnored() {
        // no trusted proxies: "https" from the client does not make plain HTTP acceptable…
        try (TestServer s = TestServer.start(dir.resolve("a"), Map.of("https.required", "true",
                "https.allow-loopback-http", "false"))) {
            String token = s.createWorkspace("acme").token().secret();
            assertHttpsRequired(s.http.postJson(EVENTS, token, MINIMUM, Map.of("X-Forwarded-Proto", "https")));
        }
        // …and "http" does not take away what a loopback client is allowed
        try (TestServer s = TestServer.start(dir.resolve("b"), Map.of("https.required", "true"))) {
            String token = s.createWorkspace("acme").token().secret();
            assertThat(s.http.postJson(EVENTS, token, MINIMUM, Map.of("X-Forwarded-Proto", "http")).status())
                    .isEqualTo(202);
        }
    }

    /** 403 {@code https_required} in the one error shape of docs/ERRORS.md. */
    private static void assertHttpsRequired(HttpTestClient.Response r) {
        assertThat(r.status()).as(r.body()).isEqualTo(403);
        assertThat(r.header("Content-Type")).startsWith("application/json");
        assertThat(r.json()).containsKeys("message", "error", "request_id");
        assertThat(r.json().get("message")).asString().containsIgnoringCase("https");
        assertThat(r.json().get("request_id")).isEqualTo(r.header("Request-Id"));
        assertThat(r.error()).containsKeys("type", "code", "param", "doc_url")
                .containsEntry("type", "permission_error")
                .containsEntry("code", "https_required")
                .containsEntry("param", null);
        assertThat(r.error().get("doc_url")).asString().endsWith("#https_required");
    }
}
