package io.touchpoint.server.http;

import io.touchpoint.server.support.HttpTestClient.Response;
import io.touchpoint.server.support.MovableClock;
import io.touchpoint.server.support.ServerTest;
import io.touchpoint.server.support.TestServer;
import org.junit.jupiter.api.Test;

import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import static io.touchpoint.server.support.ErrorAssert.assertError;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Guessing credentials is slowed per client address: the dashboard sign-in lets through exactly its limit of
 * failures however many guesses arrive at once, and refused bearer tokens on the read and admin APIs are answered
 * 429 past the limit, as on ingest, while a valid credential from the same address still works.
 */
class CredentialThrottleTest extends ServerTest {
    private final MovableClock clock = new MovableClock();

    @Override
    protected Clock clock() {
        return clock;
    }

    @Override
    protected Map<String, String> settings() {
        return Map.of("proxies.trusted", "127.0.0.1/32");
    }

    @Test
    void concurrentWrongSignInsGetNoMoreTriesThanTheLimit() throws Exception {
        clock.advanceToNextMinute();
        Map<String, String> attacker = Map.of("X-Forwarded-For", "203.0.113.50");
        int guesses = 200;
        CountDownLatch start = new CountDownLatch(1);
        List<Future<Integer>> answers = new ArrayList<>();
        try (ExecutorService pool = Executors.newFixedThreadPool(50)) {
            for (int i = 0; i < guesses; i++) {
                String guess = "tpa_guess_" + i;
                answers.add(pool.submit(() -> {
                    start.await();
                    return http.postJson("/admin/v1/session", null, json(Map.of("admin_token", guess)), attacker).status();
                }));
            }
            start.countDown();
            int refusedAsWrong = 0, throttled = 0;
            for (Future<Integer> f : answers) {
                int status = f.get();
                if (status == 401) refusedAsWrong++;
                else if (status == 429) throttled++;
            }
            assertThat(refusedAsWrong).isEqualTo(SignInThrottle.MAX_FAILURES_PER_MINUTE);
            assertThat(throttled).isEqualTo(guesses - SignInThrottle.MAX_FAILURES_PER_MINUTE);
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
