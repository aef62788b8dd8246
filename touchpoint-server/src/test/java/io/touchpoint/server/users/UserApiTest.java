package io.touchpoint.server.users;

import io.touchpoint.server.http.SignInThrottle;
import io.touchpoint.server.support.HttpTestClient.Response;
import io.touchpoint.server.support.ProxiedClientsTest;
import io.touchpoint.server.support.SignedIn;
import io.touchpoint.server.support.TestServer;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;
import java.util.Map;

import static io.touchpoint.server.support.ErrorAssert.assertError;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Users through the admin API: invited with a one-time link, the link accepted with a password that meets the
 * policy, signing in by e-mail and password, roles and workspaces changed, reset links, removal, and the last owner
 * of every workspace kept. Loopback is a trusted proxy here, so tests can speak for other client addresses.
 */
class UserApiTest extends ProxiedClientsTest {
    private static final String USERS = "/admin/v1/users";

    private static String email(String name) {
        return name + "-" + System.nanoTime() + "@example.com";
    }

    private Response invite(String body) {
        return http.postJson(USERS, TestServer.ADMIN_TOKEN, body);
    }

    private Response accept(String token, String password, String client) {
        return http.postJson("/admin/v1/invites/" + token, null, json(Map.of("password", password)),
                Map.of("X-Forwarded-For", client));
    }

    private Response signIn(String email, String password, String client) {
        return http.postJson("/admin/v1/session", null, json(Map.of("email", email, "password", password)),
                Map.of("X-Forwarded-For", client));
    }

    @Test
    void anInvitedUserChoosesAPasswordOnceAndSignsInWithIt() {
        Ws ws = newWorkspace();
        String email = email("ana");
        Response invited = invite(json(Map.of("email", email.toUpperCase(), "role", "analyst", "workspaces", List.of(ws.name()))));
        assertThat(invited.status()).as(invited.body()).isEqualTo(201);
        assertThat(invited.json()).containsEntry("email", email).containsEntry("role", "analyst")
                .containsEntry("workspaces", List.of(ws.id())).containsEntry("status", "invited");
        String url = (String) invited.json().get("invite_url");
        assertThat(url).startsWith(server.baseUrl() + "/invite/tpi_");
        String token = url.substring(url.lastIndexOf('/') + 1);
        assertThat(server.store().users().byEmail(email)).isPresent();
        assertError(signIn(email, SignedIn.PASSWORD, "198.51.100.1"), 401, "sign_in_invalid");

        Response weak = accept(token, "too short", "198.51.100.1");
        assertError(weak, 422, "invalid_value");
        assertThat(weak.error().get("message").toString()).contains("12");
        Response ok = accept(token, SignedIn.PASSWORD, "198.51.100.1");
        assertThat(ok.status()).as(ok.body()).isEqualTo(200);
        assertThat(ok.json()).containsEntry("status", "active");
        assertError(accept(token, SignedIn.PASSWORD, "198.51.100.1"), 404, "invite_invalid");

        Response in = signIn(email, SignedIn.PASSWORD, "198.51.100.1");
        assertThat(in.status()).as(in.body()).isEqualTo(201);
        assertThat(in.header("Set-Cookie")).startsWith("tp_session=tps_").contains("HttpOnly");
        assertThat(in.json()).containsEntry("role", "analyst").containsEntry("workspaces", List.of(ws.id()))
                .containsEntry("administrator", false);
        assertThat(map(in.json().get("user"))).containsEntry("email", email);
        String setCookie = in.header("Set-Cookie");
        SignedIn s = new SignedIn(http, setCookie.substring("tp_session=".length(), setCookie.indexOf(';')),
                (String) in.json().get("csrf_token"), in.json());
        assertThat(s.get("/admin/v1/session").json()).containsEntry("role", "analyst");
        assertThat(s.get("/api/v1/events-log?workspace=" + ws.id()).status()).isEqualTo(200);
    }

    @Test
    void aFailedSignInNeverSaysWhetherTheEMailExists() {
        String email = email("known");
        SignedIn.user(http, email, "analyst", "all");
        Response wrongPassword = signIn(email, "not the password at all", "198.51.100.2");
        Response unknown = signIn(email("nobody"), "not the password at all", "198.51.100.2");
        assertError(wrongPassword, 401, "sign_in_invalid");
        assertError(unknown, 401, "sign_in_invalid");
        assertThat(wrongPassword.error().get("message")).isEqualTo(unknown.error().get("message"));
        String invitedOnly = email("pending");
        SignedIn.invite(http, invitedOnly, "analyst", "all");
        assertThat(signIn(invitedOnly, "", "198.51.100.2").status()).isEqualTo(422);
        assertError(signIn(invitedOnly, "any password here", "198.51.100.2"), 401, "sign_in_invalid");
    }

    @Test
    void failedSignInsAndLinkGuessesShareTheThrottle() {
        clock.advanceToNextMinute();
        String attacker = "203.0.113.50";
        String email = email("target");
        SignedIn.user(http, email, "admin", "all");
        for (int i = 0; i < SignInThrottle.MAX_FAILURES_PER_MINUTE / 2; i++) {
            assertError(signIn(email, "guess number " + i + "!", attacker), 401, "sign_in_invalid");
            assertError(accept("tpi_guess" + i, SignedIn.PASSWORD, attacker), 404, "invite_invalid");
        }
        assertError(signIn(email, SignedIn.PASSWORD, attacker), 429, "sign_in_throttled");
        assertError(accept("tpi_guess", SignedIn.PASSWORD, attacker), 429, "sign_in_throttled");
        assertThat(signIn(email, SignedIn.PASSWORD, "203.0.113.51").status()).isEqualTo(201);
        clock.advance(Duration.ofSeconds(60));
        assertThat(signIn(email, SignedIn.PASSWORD, attacker).status()).isEqualTo(201);
    }

    @Test
    void badInvitationsAreRefusedWithTheFieldNamed() {
        Ws ws = newWorkspace();
        assertThat(assertError(invite(json(Map.of("email", "not-an-email", "role", "analyst", "workspaces", "all"))), 422,
                "invalid_value")).containsEntry("param", "email");
        assertThat(invite(json(Map.of("email", email("x"), "role", "boss", "workspaces", "all"))).error())
                .containsEntry("param", "role");
        assertThat(invite(json(Map.of("email", email("x"), "role", "admin"))).error()).containsEntry("param", "workspaces");
        assertThat(invite(json(Map.of("email", email("x"), "role", "admin", "workspaces", List.of()))).error())
                .containsEntry("param", "workspaces");
        assertError(invite(json(Map.of("email", email("x"), "role", "admin", "workspaces", List.of("ws_none")))), 404, "not_found");
        String taken = email("taken");
        assertThat(invite(json(Map.of("email", taken, "role", "admin", "workspaces", List.of(ws.id())))).status()).isEqualTo(201);
        assertError(invite(json(Map.of("email", taken.toUpperCase(), "role", "admin", "workspaces", "all"))), 409, "email_taken");
    }

    @Test
    void anOwnerChangesRolesAndWorkspacesAndSendsAResetLinkThatEndsTheOldSessions() {
        Ws a = newWorkspace();
        Ws b = newWorkspace();
        String email = email("bob");
        SignedIn bob = SignedIn.user(http, email, "analyst", List.of(a.id()));
        SignedIn owner = SignedIn.user(http, email("owner"), "owner", "all");
        String id = bob.userId();

        Response changed = owner.send("PATCH", USERS + "/" + id, json(Map.of("role", "admin", "workspaces", List.of(a.id(), b.id()))));
        assertThat(changed.status()).as(changed.body()).isEqualTo(200);
        assertThat(changed.json()).containsEntry("role", "admin").containsEntry("workspaces", List.of(a.id(), b.id()).stream().sorted().toList());
        assertThat(bob.get("/admin/v1/session").json()).as("the change applies to the open session")
                .containsEntry("role", "admin");
        assertThat(bob.get("/admin/v1/workspaces/" + b.id() + "/settings").status()).isEqualTo(200);

        Response reset = owner.send("PATCH", USERS + "/" + id, json(Map.of("reset_password", true)));
        assertThat(reset.status()).as(reset.body()).isEqualTo(200);
        String url = (String) reset.json().get("reset_url");
        assertThat(url).contains("/invite/tpi_");
        assertThat(bob.get("/admin/v1/session").status()).as("the old password works until a new one is set").isEqualTo(200);
        assertThat(accept(url.substring(url.lastIndexOf('/') + 1), "a brand new password", "198.51.100.3").status()).isEqualTo(200);
        assertError(bob.get("/admin/v1/session"), 401, "session_invalid");
        assertError(signIn(email, SignedIn.PASSWORD, "198.51.100.3"), 401, "sign_in_invalid");
        assertThat(signIn(email, "a brand new password", "198.51.100.3").status()).isEqualTo(201);
    }

    @Test
    void removingAUserEndsTheirSessionsAtOnce() {
        SignedIn carol = SignedIn.user(http, email("carol"), "admin", "all");
        assertThat(carol.get("/admin/v1/workspaces").status()).isEqualTo(200);
        Response removed = http.delete(USERS + "/" + carol.userId(), TestServer.ADMIN_TOKEN);
        assertThat(removed.status()).as(removed.body()).isEqualTo(200);
        assertError(carol.get("/admin/v1/workspaces"), 401, "session_invalid");
        assertError(http.delete(USERS + "/" + carol.userId(), TestServer.ADMIN_TOKEN), 404, "not_found");
        assertThat(list(http.get(USERS, TestServer.ADMIN_TOKEN).json().get("data"))).extracting(u -> u.get("id"))
                .doesNotContain(carol.userId());
    }

    @Test
    void theLastOwnerOfEveryWorkspaceCannotBeRemovedOrDemoted() {
        // the other tests' users, owners among them, out of the way
        server.store().users().list().forEach(u -> server.store().users().delete(u.id()));
        SignedIn first = SignedIn.user(http, email("first"), "owner", "all");
        assertError(first.send("DELETE", USERS + "/" + first.userId(), null), 409, "last_owner");
        assertError(first.send("PATCH", USERS + "/" + first.userId(), json(Map.of("role", "admin"))), 409, "last_owner");
        Ws ws = newWorkspace();
        assertError(first.send("PATCH", USERS + "/" + first.userId(), json(Map.of("workspaces", List.of(ws.id())))), 409, "last_owner");
        String pending = SignedIn.invite(http, email("pending-owner"), "owner", "all");
        assertError(first.send("DELETE", USERS + "/" + first.userId(), null), 409, "last_owner");

        SignedIn second = SignedIn.user(http, email("second"), "owner", "all");
        assertThat(second.send("DELETE", USERS + "/" + first.userId(), null).status()).isEqualTo(200);
        assertThat(pending).isNotBlank();
    }

    @Test
    void onlyAnOwnerOfEveryWorkspaceManagesUsers() {
        Ws ws = newWorkspace();
        SignedIn admin = SignedIn.user(http, email("admin"), "admin", "all");
        SignedIn localOwner = SignedIn.user(http, email("local-owner"), "owner", List.of(ws.id()));
        for (SignedIn s : List.of(admin, localOwner)) {
            assertError(s.get(USERS), 403, "role_insufficient");
            assertError(s.send("POST", USERS, json(Map.of("email", email("x"), "role", "owner", "workspaces", "all"))),
                    403, "role_insufficient");
        }
        assertError(http.get(USERS, ws.token()), 401, "admin_token_invalid");
    }
}
