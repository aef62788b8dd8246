package io.touchpoint.server.admin;

import io.touchpoint.server.http.Sessions;
import io.touchpoint.server.http.SignInThrottle;
import io.touchpoint.server.support.HttpTestClient.Response;
import io.touchpoint.server.support.Payloads;
import io.touchpoint.server.support.ProxiedClientsTest;
import io.touchpoint.server.support.TestServer;
import org.junit.jupiter.api.Test;

import java.net.http.HttpRequest;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Map;

import static io.touchpoint.server.support.ErrorAssert.assertError;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Dashboard sign-in: the administrator token traded for a session cookie, the cookie accepted where
 * the administrator is, CSRF on every cookie-authenticated change, sign-out, expiry and the sign-in throttle.
 * Loopback is a trusted proxy here, so tests can speak for other client addresses and for HTTPS.
 */
class SessionApiTest extends ProxiedClientsTest {
    private static final String SESSION = "/admin/v1/session";

    /** A signed-in dashboard: its cookie value and CSRF token. */
    record Signed(String cookie, String csrf, Response answer) {
    }

    private Signed signIn(Map<String, String> headers) {
        Response r = http.postJson(SESSION, null, json(Map.of("admin_token", TestServer.ADMIN_TOKEN)), headers);
        assertThat(r.status()).as(r.body()).isEqualTo(201);
        String setCookie = r.header("Set-Cookie");
        String value = setCookie.substring("tp_session=".length(), setCookie.indexOf(';'));
        return new Signed(value, (String) r.json().get("csrf_token"), r);
    }

    private Signed signIn() {
        return signIn(Map.of());
    }

    private Response withCookie(String method, String path, Signed s, String csrf, String body) {
        HttpRequest.Builder b = http.request(path).header("Cookie", "tp_session=" + s.cookie());
        if (csrf != null) b.header("X-CSRF-Token", csrf);
        if (body != null) b.header("Content-Type", "application/json");
        b.method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body));
        return http.send(b.build());
    }

    private Response get(String path, Signed s) {
        return withCookie("GET", path, s, null, null);
    }

    @Test
    void signingInSetsAStrictHttpOnlyCookieAndAnswersTheCsrfToken() {
        Instant before = clock.instant().truncatedTo(ChronoUnit.MILLIS); // the store keeps milliseconds
        Signed s = signIn();
        assertThat(s.answer().header("Set-Cookie")).startsWith("tp_session=tps_")
                .contains("; Path=/").contains("; HttpOnly").contains("; SameSite=Strict").contains("; Max-Age=43200")
                .doesNotContain("Secure");
        assertThat(s.answer().header("Cache-Control")).isEqualTo("no-store");
        assertThat(s.csrf()).hasSizeGreaterThanOrEqualTo(32);
        Instant expires = Instant.parse((String) s.answer().json().get("expires_at"));
        assertThat(expires).isBetween(before.plus(Sessions.LIFETIME), clock.instant().plus(Sessions.LIFETIME));

        Response again = get(SESSION, s);
        assertThat(again.status()).as(again.body()).isEqualTo(200);
        assertThat(again.json()).containsEntry("csrf_token", s.csrf()).containsEntry("expires_at", expires.toString());
        assertThat(signIn().cookie()).as("each sign-in is a session of its own").isNotEqualTo(s.cookie());
    }

    @Test
    void theCookieIsSecureWhenTheRequestCameOverHttps() {
        assertThat(signIn(Map.of("X-Forwarded-Proto", "https")).answer().header("Set-Cookie")).endsWith("; Secure");
        assertThat(signIn(Map.of("X-Forwarded-Proto", "http")).answer().header("Set-Cookie")).doesNotContain("Secure");
    }

    @Test
    void aWrongTokenIs401AndSetsNoCookie() {
        Response r = http.postJson(SESSION, null, json(Map.of("admin_token", "tpa_wrong")),
                Map.of("X-Forwarded-For", "198.51.100.200"));
        assertError(r, 401, "admin_token_invalid");
        assertThat(r.header("Set-Cookie")).isNull();
        Response workspaceToken = http.postJson(SESSION, null, json(Map.of("admin_token", newWorkspace().token())),
                Map.of("X-Forwarded-For", "198.51.100.200"));
        assertError(workspaceToken, 401, "admin_token_invalid");
        Response missing = http.postJson(SESSION, null, "{}");
        assertError(missing, 422, "missing_field");
        assertThat(missing.error()).containsEntry("param", "admin_token");
    }

    @Test
    void failedSignInsAreThrottledPerClientAddress() {
        clock.advanceToNextMinute();
        Map<String, String> attacker = Map.of("X-Forwarded-For", "203.0.113.7");
        for (int i = 0; i < SignInThrottle.MAX_FAILURES_PER_MINUTE; i++) {
            assertError(http.postJson(SESSION, null, json(Map.of("admin_token", "tpa_guess" + i)), attacker),
                    401, "admin_token_invalid");
        }
        Response refused = http.postJson(SESSION, null, json(Map.of("admin_token", "tpa_guess")), attacker);
        assertError(refused, 429, "sign_in_throttled");
        assertThat(Long.parseLong(refused.header("Retry-After"))).isBetween(1L, 60L);
        // even the right token waits: a guesser cannot tell a hit from the refusal
        assertError(http.postJson(SESSION, null, json(Map.of("admin_token", TestServer.ADMIN_TOKEN)), attacker),
                429, "sign_in_throttled");
        // other addresses are not held up, and neither is this one once the minute is over
        assertThat(signIn(Map.of("X-Forwarded-For", "203.0.113.8")).cookie()).isNotBlank();
        clock.advance(Duration.ofSeconds(60));
        assertThat(signIn(attacker).cookie()).isNotBlank();
    }

    @Test
    void anIpv6ClientIsThrottledPerSlash64() {
        clock.advanceToNextMinute();
        for (int i = 0; i < SignInThrottle.MAX_FAILURES_PER_MINUTE; i++) {
            http.postJson(SESSION, null, json(Map.of("admin_token", "tpa_guess")),
                    Map.of("X-Forwarded-For", "2001:db8:1:2::" + Integer.toHexString(i + 1)));
        }
        assertError(http.postJson(SESSION, null, json(Map.of("admin_token", "tpa_guess")),
                Map.of("X-Forwarded-For", "2001:db8:1:2:ffff::1")), 429, "sign_in_throttled");
        assertThat(signIn(Map.of("X-Forwarded-For", "2001:db8:1:3::1")).cookie()).isNotBlank();
    }

    @Test
    void theCookieWorksOnAdminAndReadRoutesButNotOnIngest() {
        Signed s = signIn();
        Ws ws = newWorkspace();
        Response workspaces = get("/admin/v1/workspaces", s);
        assertThat(workspaces.status()).as(workspaces.body()).isEqualTo(200);
        Response log = get("/api/v1/events-log?workspace=" + ws.id(), s);
        assertThat(log.status()).as(log.body()).isEqualTo(200);
        Response report = get("/api/v1/reports/attribution?workspace=" + ws.id(), s);
        assertThat(report.status()).as(report.body()).isEqualTo(200);

        Response ingest = withCookie("POST", "/public-api/v1/events", s, s.csrf(), Payloads.MINIMUM);
        assertError(ingest, 401, "token_missing");
    }

    @Test
    void aChangeWithoutTheRightCsrfTokenIs403AndChangesNothing() {
        Signed s = signIn();
        String name = "csrf-victim-" + System.nanoTime();
        String body = json(Map.of("name", name));
        assertError(withCookie("POST", "/admin/v1/workspaces", s, null, body), 403, "csrf_token_invalid");
        assertError(withCookie("POST", "/admin/v1/workspaces", s, "not-" + s.csrf(), body), 403, "csrf_token_invalid");
        assertError(withCookie("POST", "/admin/v1/workspaces", s, signIn().csrf(), body), 403, "csrf_token_invalid");
        assertThat(server.store().workspaces().byName(name)).as("nothing was created").isEmpty();

        Response ok = withCookie("POST", "/admin/v1/workspaces", s, s.csrf(), body);
        assertThat(ok.status()).as(ok.body()).isEqualTo(201);
        assertThat(server.store().workspaces().byName(name)).isPresent();
    }

    @Test
    void readApiChangesMadeWithTheCookieNeedTheCsrfTokenToo() {
        Signed s = signIn();
        Ws ws = newWorkspace();
        String recompute = "/api/v1/reports/attribution/recompute?workspace=" + ws.id();
        assertError(withCookie("POST", recompute, s, null, null), 403, "csrf_token_invalid");
        Response ok = withCookie("POST", recompute, s, s.csrf(), null);
        assertThat(ok.status()).as(ok.body()).isEqualTo(200);
        assertError(withCookie("DELETE", "/api/v1/profiles/prof_none?workspace=" + ws.id(), s, null, null),
                403, "csrf_token_invalid");
    }

    @Test
    void aBearerTokenNeedsNoCsrfTokenAndWinsOverACookie() {
        Signed s = signIn();
        HttpRequest withBoth = http.request("/admin/v1/workspaces").header("Cookie", "tp_session=" + s.cookie())
                .header("Authorization", "Bearer " + TestServer.ADMIN_TOKEN).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(json(Map.of("name", "bearer-" + System.nanoTime())))).build();
        Response r = http.send(withBoth);
        assertThat(r.status()).as(r.body()).isEqualTo(201);
        // a workspace token beside an admin cookie is still only a workspace token
        HttpRequest asWorkspace = http.request("/admin/v1/workspaces").header("Cookie", "tp_session=" + s.cookie())
                .header("Authorization", "Bearer " + newWorkspace().token()).GET().build();
        assertError(http.send(asWorkspace), 401, "admin_token_invalid");
    }

    @Test
    void signingOutNeedsTheCsrfTokenThenEndsTheSession() {
        Signed s = signIn();
        assertError(withCookie("DELETE", SESSION, s, null, null), 403, "csrf_token_invalid");
        assertThat(get(SESSION, s).status()).as("still signed in").isEqualTo(200);

        Response out = withCookie("DELETE", SESSION, s, s.csrf(), null);
        assertThat(out.status()).as(out.body()).isEqualTo(204);
        assertThat(out.header("Set-Cookie")).startsWith("tp_session=;").contains("Max-Age=0").contains("HttpOnly");

        assertError(get(SESSION, s), 401, "session_invalid");
        assertError(get("/admin/v1/workspaces", s), 401, "session_invalid");
        assertError(get("/api/v1/events-log", s), 401, "session_invalid");
    }

    @Test
    void aSessionEndsTwelveHoursAfterSignInHoweverBusy() {
        Signed s = signIn();
        clock.advance(Sessions.LIFETIME.minusMinutes(1));
        assertThat(get("/admin/v1/workspaces", s).status()).isEqualTo(200);
        clock.advance(Duration.ofMinutes(1));
        assertError(get(SESSION, s), 401, "session_invalid");
        assertError(get("/admin/v1/workspaces", s), 401, "session_invalid");
    }

    @Test
    void anUnknownCookieIs401() {
        Signed forged = new Signed("tps_" + "x".repeat(43), "csrf", null);
        assertError(get(SESSION, forged), 401, "session_invalid");
        assertError(get("/admin/v1/workspaces", forged), 401, "session_invalid");
        Response none = http.get(SESSION, null);
        assertError(none, 401, "session_invalid");
    }
}
