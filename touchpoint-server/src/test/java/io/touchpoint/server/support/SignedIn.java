package io.touchpoint.server.support;

import java.net.http.HttpRequest;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A dashboard session as a browser holds it: the cookie's value and the CSRF token, with requests sent the way the
 * dashboard sends them. {@link #user} invites a user with the administrator token, accepts the link and signs in.
 */
public record SignedIn(HttpTestClient http, String cookie, String csrf, Map<String, Object> answer) {
    public static final String PASSWORD = "a long enough password";

    /** Signs in with a JSON body for {@code POST /admin/v1/session}; fails the test unless it answers 201. */
    public static SignedIn with(HttpTestClient http, String body) {
        HttpTestClient.Response r = http.postJson("/admin/v1/session", null, body);
        assertThat(r.status()).as(r.body()).isEqualTo(201);
        String setCookie = r.header("Set-Cookie");
        return new SignedIn(http, setCookie.substring("tp_session=".length(), setCookie.indexOf(';')),
                (String) r.json().get("csrf_token"), r.json());
    }

    /** A new user with this role in these workspaces ("all" or a list), signed in with {@link #PASSWORD}. */
    public static SignedIn user(HttpTestClient http, String email, String role, Object workspaces) {
        String token = invite(http, email, role, workspaces);
        HttpTestClient.Response accepted = http.postJson("/admin/v1/invites/" + token, null,
                ServerTest.json(Map.of("password", PASSWORD)));
        assertThat(accepted.status()).as(accepted.body()).isEqualTo(200);
        return with(http, ServerTest.json(Map.of("email", email, "password", PASSWORD)));
    }

    /** Invites a user with the administrator token; answers the invitation link's token. */
    public static String invite(HttpTestClient http, String email, String role, Object workspaces) {
        HttpTestClient.Response r = http.postJson("/admin/v1/users", TestServer.ADMIN_TOKEN,
                ServerTest.json(Map.of("email", email, "role", role, "workspaces", workspaces)));
        assertThat(r.status()).as(r.body()).isEqualTo(201);
        String url = (String) r.json().get("invite_url");
        return url.substring(url.lastIndexOf('/') + 1);
    }

    public String userId() {
        return (String) ServerTest.map(answer.get("user")).get("id");
    }

    /** A request with the cookie, and with the CSRF token unless it is a GET. */
    public HttpTestClient.Response send(String method, String path, String body) {
        HttpRequest.Builder b = http.request(path).header("Cookie", "tp_session=" + cookie);
        if (!List.of("GET", "HEAD").contains(method)) b.header("X-CSRF-Token", csrf);
        if (body != null) b.header("Content-Type", "application/json");
        b.method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body));
        return http.send(b.build());
    }

    public HttpTestClient.Response get(String path) {
        return send("GET", path, null);
    }
}
