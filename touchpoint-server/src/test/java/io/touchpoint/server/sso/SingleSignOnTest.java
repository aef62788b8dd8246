package io.touchpoint.server.sso;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.touchpoint.server.support.HttpTestClient;
import io.touchpoint.server.support.HttpTestClient.Response;
import io.touchpoint.server.support.MovableClock;
import io.touchpoint.server.support.OpenApiSchemas;
import io.touchpoint.server.support.TestServer;
import no.nav.security.mock.oauth2.MockOAuth2Server;
import no.nav.security.mock.oauth2.OAuth2Config;
import no.nav.security.mock.oauth2.token.DefaultOAuth2TokenCallback;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static io.touchpoint.server.support.ErrorAssert.assertError;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Single sign-on against a real OpenID Connect provider: NAV's mock-oauth2-server on a loopback port, with its
 * interactive login form, its discovery document, its signing keys, its one-time codes and its PKCE check. Every step
 * goes over real HTTP as a browser would take it: the server's start route, the provider's login form, the redirect
 * back to the callback, and the session cookie the callback sets, used on the session and admin routes. Every answer
 * is checked against the OpenAPI document.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class SingleSignOnTest {
    private static final String ADMIN = "owner@example.com";
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Pattern STATE = Pattern.compile("&state=([^&]+)");
    private final MovableClock clock = new MovableClock();
    private MockOAuth2Server provider;
    private TestServer server;
    private HttpTestClient http;
    /** A browser's HTTP client apart from the server's: it reaches the provider too, and follows no redirect. */
    private final HttpClient browser = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private JsonNode openApi;
    private OpenApiSchemas schemas;

    @BeforeAll
    void startProviderAndServer(@TempDir Path dir) throws Exception {
        provider = new MockOAuth2Server(new OAuth2Config(true)); // interactive: its login form is filled in below
        provider.start();
        server = TestServer.start(dir, Map.of(
                "sso.issuer", issuer(),
                "sso.client-id", "touchpoint-dashboard",
                "sso.client-secret", "client-secret-for-tests",
                "sso.button-label", "Example SSO",
                "sso.admin-emails", "Owner@Example.com, second@example.com"), clock);
        http = server.http;
        openApi = JSON.readTree(http.get("/openapi.json", null).body());
        schemas = new OpenApiSchemas(openApi);
    }

    @AfterAll
    void stop() {
        if (server != null) server.close();
        if (provider != null) provider.shutdown();
    }

    private String issuer() {
        return provider.issuerUrl("default").toString().replaceAll("/$", "");
    }

    /** A flow begun at the server: its sealed cookie and the provider's authorization address it sent the browser to. */
    record Started(String flowCookie, URI authorize, Response answer) {
        /** The state the provider was given, as sent (base 62: nothing to encode). */
        String state() {
            Matcher m = STATE.matcher("&" + authorize.getRawQuery());
            assertThat(m.find()).as(authorize.toString()).isTrue();
            return m.group(1);
        }
    }

    private Started begin(String next) {
        Response r = http.get(SsoRoutes.START + (next == null ? "" : "?next=" + URLEncoder.encode(next, StandardCharsets.UTF_8)), null);
        documented(SsoRoutes.START, r);
        assertThat(r.status()).as(r.body()).isEqualTo(302);
        String setCookie = r.header("Set-Cookie");
        assertThat(setCookie).startsWith("tp_sso_flow=");
        return new Started(setCookie.substring("tp_sso_flow=".length(), setCookie.indexOf(';')),
                URI.create(r.header("Location")), r);
    }

    /** The provider's login form, shown and then filled in; the provider's redirect back to the server. */
    private URI login(Started flow, String user, Map<String, Object> claims) throws Exception {
        HttpResponse<String> form = browser.send(HttpRequest.newBuilder(flow.authorize()).GET().build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(form.statusCode()).isEqualTo(200);
        assertThat(form.body()).contains("name=\"username\"");
        String body = "username=" + URLEncoder.encode(user, StandardCharsets.UTF_8)
                + "&claims=" + URLEncoder.encode(JSON.writeValueAsString(claims), StandardCharsets.UTF_8);
        HttpResponse<String> signedIn = browser.send(HttpRequest.newBuilder(flow.authorize())
                .header("Content-Type", "application/x-www-form-urlencoded")
                .POST(HttpRequest.BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(signedIn.statusCode()).as(signedIn.body()).isEqualTo(302);
        URI back = URI.create(signedIn.headers().firstValue("Location").orElseThrow());
        assertThat(back.getPath()).isEqualTo(SsoRoutes.CALLBACK);
        return back;
    }

    private Response callback(URI back, String flowCookie, Map<String, String> headers) {
        HttpRequest.Builder b = http.request(back.getRawPath() + "?" + back.getRawQuery());
        if (flowCookie != null) b.header("Cookie", "tp_sso_flow=" + flowCookie);
        headers.forEach(b::header);
        Response r = http.send(b.GET().build());
        documented(SsoRoutes.CALLBACK, r);
        return r;
    }

    private Response callback(URI back, String flowCookie) {
        return callback(back, flowCookie, Map.of());
    }

    private static Map<String, Object> verified(String email) {
        return Map.of("email", email, "email_verified", true);
    }

    private static String sessionCookie(Response r) {
        return r.raw().headers().allValues("Set-Cookie").stream().filter(c -> c.startsWith("tp_session="))
                .map(c -> c.substring("tp_session=".length(), c.indexOf(';'))).findFirst().orElse(null);
    }

    private Response withSession(String path, String session) {
        return http.send(http.request(path).header("Cookie", "tp_session=" + session).GET().build());
    }

    @Test
    void theSignInPageIsToldThatSingleSignOnIsOn() {
        Response r = http.get(SsoRoutes.STATUS, null);
        documented(SsoRoutes.STATUS, r);
        assertThat(r.status()).isEqualTo(200);
        assertThat(r.json()).containsEntry("enabled", true).containsEntry("button_label", "Example SSO")
                .containsEntry("start_url", SsoRoutes.START);
    }

    @Test
    void theWholeFlowOpensADashboardSession() throws Exception {
        Started flow = begin("/dashboard/events?workspace=shop");
        assertThat(flow.answer().header("Set-Cookie")).contains("; Path=/admin/v1/sso").contains("; Max-Age=600")
                .contains("; HttpOnly").contains("; SameSite=Lax").doesNotContain("Secure");
        assertThat(flow.answer().header("Cache-Control")).isEqualTo("no-store");
        String query = flow.authorize().getQuery();
        assertThat(flow.authorize().toString()).startsWith(issuer() + "/authorize?");
        assertThat(query).contains("response_type=code", "client_id=touchpoint-dashboard", "code_challenge_method=S256",
                "redirect_uri=" + server.baseUrl() + SsoRoutes.CALLBACK).contains("code_challenge=", "nonce=", "state=")
                .contains("openid").contains("email");
        assertThat(flow.flowCookie()).as("sealed: the state is not readable in it").doesNotContain(flow.state());

        Response back = callback(login(flow, "owner", verified(ADMIN)), flow.flowCookie());
        assertThat(back.status()).as(back.body()).isEqualTo(200);
        assertThat(back.header("Content-Type")).startsWith("text/html");
        assertThat(back.body()).as("on to the page the flow began from, by a refresh of its own (SingleSignOnBrowserTest)")
                .contains("<meta http-equiv=\"refresh\" content=\"0; url=/dashboard/events?workspace=shop\">");
        List<String> cookies = back.raw().headers().allValues("Set-Cookie");
        assertThat(cookies).anySatisfy(c -> assertThat(c).startsWith("tp_sso_flow=;").contains("Max-Age=0"));
        assertThat(cookies).anySatisfy(c -> assertThat(c).startsWith("tp_session=tps_").contains("; HttpOnly")
                .contains("; SameSite=Strict").contains("; Path=/"));

        String session = sessionCookie(back);
        Response s = withSession("/admin/v1/session", session);
        assertThat(s.status()).as(s.body()).isEqualTo(200);
        assertThat((String) s.json().get("csrf_token")).isNotBlank();
        assertThat(withSession("/admin/v1/workspaces", session).status()).as("the administrator's routes").isEqualTo(200);
    }

    @Test
    void theAdminEmailIsComparedWithoutRegardToCaseAndTheDefaultPageIsTheDashboard() throws Exception {
        Started flow = begin("https://elsewhere.example/steal"); // not a dashboard page: ignored
        Response back = callback(login(flow, "second", verified("SECOND@example.com")), flow.flowCookie());
        assertThat(back.status()).as(back.body()).isEqualTo(200);
        assertThat(back.body()).contains("url=/dashboard\"").doesNotContain("elsewhere");
        assertThat(sessionCookie(back)).isNotNull();
    }

    @Test
    void aUsersVerifiedEmailOpensThatUsersSessionWithTheirRole() throws Exception {
        String ws = (String) http.postJson("/admin/v1/workspaces", TestServer.ADMIN_TOKEN, "{\"name\":\"sso-shop\"}")
                .json().get("id");
        Response invited = http.postJson("/admin/v1/users", TestServer.ADMIN_TOKEN,
                "{\"email\":\"Ana@Example.com\",\"role\":\"analyst\",\"workspaces\":[\"" + ws + "\"]}");
        assertThat(invited.status()).as(invited.body()).isEqualTo(201);
        Started early = begin(null);
        assertError(callback(login(early, "ana", verified("ana@example.com")), early.flowCookie()), 403, "sso_user_unknown");
        String link = (String) invited.json().get("invite_url");
        assertThat(http.postJson("/admin/v1/invites/" + link.substring(link.lastIndexOf('/') + 1), null,
                "{\"password\":\"correct horse battery staple\"}").status()).as("the invitation accepted").isEqualTo(200);

        Started flow = begin(null);
        Response back = callback(login(flow, "ana", verified("ana@example.com")), flow.flowCookie());
        assertThat(back.status()).as(back.body()).isEqualTo(200);
        String session = sessionCookie(back);
        Response s = withSession("/admin/v1/session", session);
        assertThat(s.status()).as(s.body()).isEqualTo(200);
        assertThat(s.json()).containsEntry("administrator", false).containsEntry("role", "analyst");
        assertThat(withSession("/api/v1/events-log?workspace=" + ws, session).status()).as("an analyst reads").isEqualTo(200);
        assertThat(withSession("/admin/v1/workspaces/" + ws + "/settings", session).status())
                .as("and changes nothing").isEqualTo(403);
        assertThat(server.store().audit().search(io.touchpoint.core.audit.AuditQuery.latest(20)).items())
                .anySatisfy(e -> {
                    assertThat(e.action()).isEqualTo("session.signed_in");
                    assertThat(e.actor().kind()).isEqualTo(io.touchpoint.core.audit.Actor.Kind.USER);
                    assertThat(e.actor().label()).isEqualTo("ana@example.com");
                });
    }

    @Test
    void anEmailThatIsNoUserIsRefused() throws Exception {
        Started flow = begin(null);
        Response r = callback(login(flow, "stranger", verified("stranger@example.com")), flow.flowCookie());
        assertError(r, 403, "sso_user_unknown");
        assertThat((String) r.json().get("message")).contains("stranger@example.com");
        assertThat(sessionCookie(r)).isNull();
        assertThat(server.store().audit().search(io.touchpoint.core.audit.AuditQuery.latest(50)).items())
                .anySatisfy(e -> {
                    assertThat(e.action()).isEqualTo("session.sign_in_failed");
                    assertThat(e.actor().label()).isEqualTo("stranger@example.com");
                });
    }

    @Test
    void anUnverifiedOrMissingEmailIsRefused() throws Exception {
        Started unverified = begin(null);
        Response r = callback(login(unverified, "owner", Map.of("email", ADMIN, "email_verified", false)),
                unverified.flowCookie());
        assertError(r, 403, "sso_email_unverified");
        assertThat(sessionCookie(r)).isNull();

        Started silent = begin(null);
        assertError(callback(login(silent, "owner", Map.of("email", ADMIN)), silent.flowCookie()), 403,
                "sso_email_unverified");

        Started none = begin(null);
        Response noEmail = callback(login(none, "owner", Map.of("name", "Owner")), none.flowCookie());
        assertError(noEmail, 403, "sso_email_unverified");
        assertThat((String) noEmail.json().get("message")).contains("no e-mail");
    }

    @Test
    void aTamperedStateOrCookieIsRefused() throws Exception {
        Started flow = begin(null);
        URI back = login(flow, "owner", verified(ADMIN));
        URI otherState = URI.create(back.toString().replace("state=" + flow.state(), "state=forged"));
        assertError(callback(otherState, flow.flowCookie()), 400, "sso_state_mismatch");

        Started second = begin(null);
        URI secondBack = login(second, "owner", verified(ADMIN));
        char[] c = second.flowCookie().toCharArray();
        c[c.length / 2] = c[c.length / 2] == 'A' ? 'B' : 'A';
        assertError(callback(secondBack, new String(c)), 400, "sso_state_mismatch");
        assertError(callback(secondBack, flow.flowCookie()), 400, "sso_state_mismatch"); // another flow's cookie
        assertError(callback(secondBack, null), 400, "sso_flow_missing");
    }

    @Test
    void aReplayedCallbackIsRefused() throws Exception {
        Started flow = begin(null);
        URI back = login(flow, "owner", verified(ADMIN));
        assertThat(callback(back, flow.flowCookie()).status()).isEqualTo(200);
        Response again = callback(back, flow.flowCookie());
        assertError(again, 400, "sso_flow_used");
        assertThat(sessionCookie(again)).isNull();
    }

    @Test
    void aSignInThatTookTooLongIsRefused() throws Exception {
        Started flow = begin(null);
        URI back = login(flow, "owner", verified(ADMIN));
        clock.advance(SsoFlow.LIFETIME.plusSeconds(1));
        assertError(callback(back, flow.flowCookie()), 400, "sso_flow_expired");
    }

    /**
     * The provider signs whatever claims its login form is given, after its own: an ID token for another flow
     * (nonce), another client (audience) or another issuer is refused, and so is one of another type.
     */
    @Test
    void anIdTokenThatFailsValidationIsRefused() throws Exception {
        Map<String, String> forgedClaims = Map.of("nonce", "forged-nonce", "aud", "another-client",
                "iss", "https://impostor.example");
        for (Map.Entry<String, String> forged : forgedClaims.entrySet()) {
            Map<String, Object> claims = new HashMap<>(verified(ADMIN));
            claims.put(forged.getKey(), forged.getValue());
            Started flow = begin(null);
            Response r = callback(login(flow, "owner", claims), flow.flowCookie());
            assertError(r, 401, "sso_token_invalid");
            assertThat((String) r.json().get("message")).as(forged.getKey()).contains(forged.getValue());
            assertThat(sessionCookie(r)).isNull();
        }
        // an access token's type in the ID token's header
        provider.enqueueCallback(new DefaultOAuth2TokenCallback("default", "owner", "at+jwt", null, verified(ADMIN), 3600));
        Started flow = begin(null);
        Response typed = callback(login(flow, "owner", verified(ADMIN)), flow.flowCookie());
        assertError(typed, 401, "sso_token_invalid");
        assertThat((String) typed.json().get("message")).contains("at+jwt");
    }

    /** A code the provider issued for one flow, brought back with another flow's state: the PKCE check refuses it. */
    @Test
    void aCodeFromAnotherFlowIsRefusedByPkce() throws Exception {
        Started victim = begin(null);
        Started attacker = begin(null);
        URI back = login(attacker, "owner", verified(ADMIN));
        URI injected = URI.create(back.toString().replace("state=" + attacker.state(), "state=" + victim.state()));
        Response r = callback(injected, victim.flowCookie());
        assertError(r, 401, "sso_token_invalid");
        assertThat((String) r.json().get("message")).contains("invalid_grant");
        assertThat(sessionCookie(r)).isNull();
    }

    @Test
    void theProvidersErrorIsShownAsA4xx() {
        Started flow = begin(null);
        // what the provider sends back when the person declines: its error instead of a code, with the flow's state
        URI denied = URI.create(SsoRoutes.CALLBACK + "?error=access_denied&error_description="
                + URLEncoder.encode("The user cancelled", StandardCharsets.UTF_8) + "&state=" + flow.state());
        Response r = callback(denied, flow.flowCookie());
        assertError(r, 403, "sso_access_denied");
        assertThat((String) r.json().get("message")).contains("access_denied").contains("The user cancelled");

        Started other = begin(null);
        URI failed = URI.create(SsoRoutes.CALLBACK + "?error=server_error&error_description=%3Cscript%3Ex%3C%2Fscript%3E&state="
                + other.state());
        Response page = callback(failed, other.flowCookie(), Map.of("Accept", "text/html,application/xhtml+xml"));
        assertThat(page.status()).isEqualTo(400);
        assertThat(page.header("Content-Type")).startsWith("text/html");
        assertThat(page.body()).contains("sso_provider_error").contains("server_error").contains("href=\"/sign-in\"")
                .contains("&lt;script&gt;").doesNotContain("<script>");
    }

    @Test
    void aMissingCodeIsRefused() {
        Started flow = begin(null);
        Response r = callback(URI.create(SsoRoutes.CALLBACK + "?state=" + flow.state()), flow.flowCookie());
        assertError(r, 400, "invalid_parameter");
        assertThat(r.error()).containsEntry("param", "code");
    }

    @Test
    void withoutAnIssuerSingleSignOnIsOffAndAnUnreachableProviderIs502(@TempDir Path off, @TempDir Path down) {
        try (TestServer plain = TestServer.start(off)) {
            Response status = plain.http.get(SsoRoutes.STATUS, null);
            assertThat(status.json()).containsEntry("enabled", false).containsEntry("button_label", null);
            assertError(plain.http.get(SsoRoutes.START, null), 404, "sso_not_configured");
            assertError(plain.http.get(SsoRoutes.CALLBACK + "?code=x&state=y", null), 404, "sso_not_configured");
        }
        Map<String, String> settings = new HashMap<>(Map.of("sso.issuer", "http://127.0.0.1:9/nobody", "sso.client-id", "x"));
        try (TestServer unreachable = TestServer.start(down, settings)) {
            Response r = unreachable.http.get(SsoRoutes.START, null);
            assertError(r, 502, "sso_provider_unavailable");
            assertThat(r.header("Set-Cookie")).as("no flow begins").isNull();
            assertError(unreachable.http.get(SsoRoutes.START, null), 502, "sso_provider_unavailable");
        }
    }

    /** The answer's status is one the OpenAPI document gives for the route, and a JSON answer matches its schema. */
    private void documented(String path, Response r) {
        String pointer = schemas.resolve("/paths/" + OpenApiSchemas.segment(path) + "/get/responses/" + r.status());
        assertThat(openApi.at(pointer).isMissingNode()).as("GET " + path + " documents " + r.status() + ": " + r.body())
                .isFalse();
        String type = r.header("Content-Type");
        if (type != null && type.startsWith("application/json")) {
            assertThat(schemas.answerErrors(pointer + "/content/application~1json/schema", r.body())).as(r.body()).isEmpty();
        }
    }
}
