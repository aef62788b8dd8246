package io.touchpoint.server.http;

import io.touchpoint.server.support.HttpTestClient.Response;
import io.touchpoint.server.support.ProxiedClientsTest;
import io.touchpoint.server.support.TestServer;
import org.junit.jupiter.api.Test;

import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static io.touchpoint.server.support.ErrorAssert.assertError;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Guessing credentials is slowed per client address: the dashboard sign-in lets through exactly its limit of
 * failures however many guesses arrive at once, and refused bearer tokens on the read and admin APIs are answered
 * 429 past the limit, as on ingest, while a valid credential from the same address still works.
 */
class CredentialThrottleTest extends ProxiedClientsTest {

    /**
     * 200 wrong sign-ins whose headers all arrive before any body: every one of them is under way at once, so a
     * throttle that checks when a request starts and counts when it fails would let them all through.
     */
    @Test
    void concurrentWrongSignInsGetNoMoreTriesThanTheLimit() throws Exception {
        clock.advanceToNextMinute();
        int guesses = 200;
        List<Socket> sockets = new ArrayList<>();
        try {
            for (int i = 0; i < guesses; i++) {
                Socket s = new Socket("127.0.0.1", server.port());
                s.setSoTimeout(30_000);
                String body = json(Map.of("admin_token", "tpa_guess_" + i));
                s.getOutputStream().write(("POST /admin/v1/session HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\n"
                        + "X-Forwarded-For: 203.0.113.50\r\nConnection: close\r\nContent-Length: " + body.length() + "\r\n\r\n")
                        .getBytes(StandardCharsets.US_ASCII));
                s.getOutputStream().flush();
                sockets.add(s);
            }
            Thread.sleep(500); // every request is now waiting for its body
            for (int i = 0; i < guesses; i++) {
                sockets.get(i).getOutputStream().write(json(Map.of("admin_token", "tpa_guess_" + i)).getBytes(StandardCharsets.US_ASCII));
                sockets.get(i).getOutputStream().flush();
            }
            int refusedAsWrong = 0, throttled = 0;
            for (Socket s : sockets) {
                String statusLine = new java.io.BufferedReader(new java.io.InputStreamReader(s.getInputStream(),
                        StandardCharsets.US_ASCII)).readLine();
                if (statusLine.startsWith("HTTP/1.1 401")) refusedAsWrong++;
                else if (statusLine.startsWith("HTTP/1.1 429")) throttled++;
            }
            assertThat(refusedAsWrong).isEqualTo(SignInThrottle.MAX_FAILURES_PER_MINUTE);
            assertThat(throttled).isEqualTo(guesses - SignInThrottle.MAX_FAILURES_PER_MINUTE);
        } finally {
            for (Socket s : sockets) s.close();
        }
    }

    @Test
    void aRightSignInDoesNotUseUpATry() {
        clock.advanceToNextMinute();
        Map<String, String> admin = Map.of("X-Forwarded-For", "203.0.113.51");
        for (int i = 0; i < SignInThrottle.MAX_FAILURES_PER_MINUTE + 5; i++) {
            Response r = http.postJson("/admin/v1/session", null, json(Map.of("admin_token", TestServer.ADMIN_TOKEN)), admin);
            assertThat(r.status()).as(r.body()).isEqualTo(201);
        }
        assertError(http.postJson("/admin/v1/session", null, json(Map.of("admin_token", "tpa_wrong")), admin),
                401, "admin_token_invalid");
    }

    @Test
    void refusedBearerTokensOnTheReadAndAdminApisAreThrottledPerAddress() {
        clock.advanceToNextMinute();
        Ws ws = newWorkspace();
        Map<String, String> attacker = Map.of("X-Forwarded-For", "198.51.100.77");
        for (int i = 0; i < Authenticator.REFUSALS_PER_MINUTE; i++) {
            String path = i % 2 == 0 ? "/api/v1/events-log?workspace=" + ws.id() : "/admin/v1/workspaces";
            Response r = get(path, "tp_guess_" + i, attacker);
            assertThat(r.status()).as("guess %d: %s", i, r.body()).isEqualTo(401);
        }
        Response read = get("/api/v1/events-log", "tp_guess", attacker);
        assertError(read, 429, "rate_limited");
        assertThat(Long.parseLong(read.header("Retry-After"))).isBetween(1L, 60L);
        assertError(get("/admin/v1/workspaces", "tpa_guess", attacker), 429, "rate_limited");
        assertError(get("/api/v1/profiles?identifier=email:a@example.com", null, attacker), 429, "rate_limited");

        // a valid credential from the same address is not held up, and other addresses are not affected
        assertThat(get("/api/v1/events-log", ws.token(), attacker).status()).isEqualTo(200);
        assertThat(get("/admin/v1/workspaces", TestServer.ADMIN_TOKEN, attacker).status()).isEqualTo(200);
        assertError(get("/api/v1/events-log", "tp_guess", Map.of("X-Forwarded-For", "198.51.100.78")), 401, "token_invalid");
        // the next minute starts afresh
        clock.advance(Duration.ofSeconds(60));
        assertError(get("/api/v1/events-log", "tp_guess", attacker), 401, "token_invalid");
    }

    private Response get(String path, String token, Map<String, String> headers) {
        var b = http.request(path).GET();
        if (token != null) b.header("Authorization", "Bearer " + token);
        headers.forEach(b::header);
        return http.send(b.build());
    }
}
