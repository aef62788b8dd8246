package io.touchpoint.server.destinations.platforms;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import com.sun.net.httpserver.HttpsConfigurator;
import com.sun.net.httpserver.HttpsServer;
import io.touchpoint.server.support.TestCertificates;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The outbound client every sender, ad sync and export uses, against small local servers: what it sends, that a
 * platform's answer comes back as the platform gave it (a 401 without a challenge, a body of several megabytes), and
 * that every transport failure (refused, timed out, a certificate nobody vouches for) is an answer with status 0.
 */
class PlatformHttpTest {
    private final PlatformHttp http = new PlatformHttp(Duration.ofSeconds(2), Duration.ofSeconds(1), "Touchpoint/test");
    private final List<AutoCloseable> open = new ArrayList<>();

    @TempDir
    Path dir;

    @AfterEach
    void close() throws Exception {
        http.close();
        for (AutoCloseable c : open.reversed()) c.close();
    }

    @Test
    void sendsTheBodyAndHeadersAndKeepsTheAnswerAsGiven() throws IOException {
        AtomicReference<String> seen = new AtomicReference<>();
        String base = serve(exchange -> {
            String body = new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
            seen.set(exchange.getRequestMethod() + " " + exchange.getRequestHeaders().getFirst("Content-Type") + " "
                    + exchange.getRequestHeaders().getFirst("User-Agent") + " " + exchange.getRequestHeaders().getFirst("X-Key")
                    + " " + body);
            exchange.getResponseHeaders().add("Retry-After", "7");
            answer(exchange, 429, "{\"error\":\"slow down\"}");
        });
        PlatformHttp.Answer a = http.postJson(base + "/events", Map.of("X-Key", "k1"), Map.of("n", 1));
        assertThat(seen.get()).isEqualTo("POST application/json Touchpoint/test k1 {\"n\":1}");
        assertThat(a.status()).isEqualTo(429);
        assertThat(a.body()).isEqualTo("{\"error\":\"slow down\"}");
        assertThat(a.retryAfter()).contains(Duration.ofSeconds(7));
        assertThat(PlatformHttp.transientStatus(a.status())).isTrue();
    }

    @Test
    void aRefusalWithoutAChallengeIsThePlatformsAnswer() throws IOException {
        String base = serve(exchange -> answer(exchange, 401, "{\"error\":{\"code\":190,\"message\":\"Invalid OAuth access token\"}}"));
        PlatformHttp.Answer a = http.get(base + "/me", Map.of("Authorization", "Bearer bad"));
        assertThat(a.status()).isEqualTo(401);
        assertThat(a.json().path("error").path("code").asInt()).isEqualTo(190);
    }

    @Test
    void anAnswerOfSeveralMegabytesIsReadWhole() throws IOException {
        String big = "{\"rows\":\"" + "x".repeat(5 * 1024 * 1024) + "\"}";
        String base = serve(exchange -> answer(exchange, 200, big));
        PlatformHttp.Answer a = http.get(base + "/report", Map.of());
        assertThat(a.status()).isEqualTo(200);
        assertThat(a.body()).hasSize(big.length());
    }

    @Test
    void noAnswerInTimeIsStatusZero() throws IOException {
        String base = serve(exchange -> {
            try {
                Thread.sleep(3_000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            answer(exchange, 200, "{}");
        });
        long start = System.nanoTime();
        PlatformHttp.Answer a = http.postJson(base + "/events", Map.of(), Map.of());
        assertThat(a.status()).isZero();
        assertThat(a.body()).isEqualTo("timed out after 1 s");
        assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofMillis(2_500));
    }

    @Test
    void aRefusedConnectionIsStatusZero() throws IOException {
        int port;
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            port = s.getLocalPort();
        }
        PlatformHttp.Answer a = http.postJson("http://127.0.0.1:" + port + "/events", Map.of(), Map.of());
        assertThat(a.status()).isZero();
        assertThat(a.body()).startsWith("no answer: ");
        assertThat(PlatformHttp.transientStatus(a.status())).isTrue();
    }

    @Test
    void aCertificateNobodyVouchesForIsRefused() throws Exception {
        String password = "test-keystore-password";
        Path keystore = TestCertificates.pkcs12(Files.createDirectories(dir.resolve("certs")), password);
        KeyStore ks = KeyStore.getInstance("PKCS12");
        try (InputStream in = Files.newInputStream(keystore)) {
            ks.load(in, password.toCharArray());
        }
        KeyManagerFactory keys = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
        keys.init(ks, password.toCharArray());
        SSLContext tls = SSLContext.getInstance("TLS");
        tls.init(keys.getKeyManagers(), null, null);
        HttpsServer server = HttpsServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.setHttpsConfigurator(new HttpsConfigurator(tls));
        List<String> reached = new ArrayList<>();
        server.createContext("/", exchange -> {
            reached.add(exchange.getRequestURI().getPath());
            answer(exchange, 200, "{}");
        });
        server.start();
        open.add(() -> server.stop(0));

        PlatformHttp.Answer a = http.postJson("https://localhost:" + server.getAddress().getPort() + "/hook", Map.of(),
                Map.of("secret", "s"));
        assertThat(a.status()).isZero();
        assertThat(a.body()).startsWith("no answer: ");
        assertThat(reached).as("no request got past the handshake").isEmpty();
    }

    private interface Handler {
        void handle(HttpExchange exchange) throws IOException;
    }

    private String serve(Handler handler) throws IOException {
        HttpServer server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.createContext("/", exchange -> {
            try (exchange) {
                handler.handle(exchange);
            }
        });
        server.setExecutor(java.util.concurrent.Executors.newVirtualThreadPerTaskExecutor());
        server.start();
        open.add(() -> server.stop(0));
        return "http://127.0.0.1:" + server.getAddress().getPort();
    }

    private static void answer(HttpExchange exchange, int status, String body) throws IOException {
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().add("Content-Type", "application/json");
        exchange.sendResponseHeaders(status, bytes.length);
        exchange.getResponseBody().write(bytes);
        exchange.getResponseBody().close();
    }
}
