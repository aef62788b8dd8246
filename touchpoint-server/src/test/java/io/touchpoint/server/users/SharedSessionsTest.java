package io.touchpoint.server.users;

import io.touchpoint.core.auth.Secrets;
import io.touchpoint.core.model.Role;
import io.touchpoint.core.store.Store;
import io.touchpoint.core.users.Users;
import io.touchpoint.server.http.Sessions;
import io.touchpoint.server.support.HttpTestClient;
import io.touchpoint.server.support.MovableClock;
import io.touchpoint.server.support.ServerTest;
import io.touchpoint.server.support.SignedIn;
import io.touchpoint.server.support.TestServer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Clock;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Sessions live in the store: two servers on one store (as behind a load balancer) accept each other's cookies,
 * a cookie outlives a restart, and a user removed through one server is signed out of the other within
 * {@link Sessions#CACHE_TTL}. The PostgreSQL variant runs the same on one database.
 */
class SharedSessionsTest {
    @TempDir
    Path dir;
    private TestServer one;
    private TestServer two;

    protected Map<String, String> settings() {
        return Map.of();
    }

    private TestServer start() {
        return TestServer.start(dir, settings(), Clock.systemUTC());
    }

    @AfterEach
    void stop() {
        if (one != null) one.close();
        if (two != null) two.close();
    }

    private static SignedIn on(TestServer server, SignedIn s) {
        return new SignedIn(server.http, s.cookie(), s.csrf(), s.answer());
    }

    @Test
    void aCookieOpenedOnOneServerWorksOnTheOtherAndAfterARestart() {
        one = start();
        two = start();
        SignedIn admin = SignedIn.with(one.http, ServerTest.json(Map.of("admin_token", TestServer.ADMIN_TOKEN)));
        SignedIn user = SignedIn.user(one.http, "shared@example.com", "analyst", "all");

        assertThat(on(two, admin).get("/admin/v1/workspaces").status()).isEqualTo(200);
        assertThat(on(two, user).get("/admin/v1/session").json()).containsEntry("csrf_token", user.csrf())
                .containsEntry("role", "analyst");
        HttpTestClient.Response change = on(two, admin).send("POST", "/admin/v1/workspaces", ServerTest.json(Map.of("name", "made-on-two")));
        assertThat(change.status()).as("the CSRF token travels with the session").isEqualTo(201);

        one.close();
        one = start();
        assertThat(on(one, user).get("/admin/v1/session").status()).as("after a restart").isEqualTo(200);
        assertThat(on(one, admin).get("/admin/v1/workspaces").status()).isEqualTo(200);
    }

    @Test
    void aUserRemovedThroughOneServerIsSignedOutOfTheOtherWithinTheCacheTime() throws InterruptedException {
        one = start();
        two = start();
        SignedIn user = SignedIn.user(one.http, "leaving@example.com", "admin", "all");
        assertThat(on(two, user).get("/admin/v1/workspaces").status()).isEqualTo(200);

        long removed = System.nanoTime();
        assertThat(one.http.delete("/admin/v1/users/" + user.userId(), TestServer.ADMIN_TOKEN).status()).isEqualTo(200);
        assertThat(on(one, user).get("/admin/v1/workspaces").status()).as("at once where it was removed").isEqualTo(401);
        while (on(two, user).get("/admin/v1/workspaces").status() == 200) {
            assertThat(System.nanoTime() - removed).as("signed out within the cache time")
                    .isLessThan(Sessions.CACHE_TTL.plusMillis(1500).toNanos());
            Thread.sleep(100);
        }
        assertThat(on(two, user).get("/admin/v1/session").status()).isEqualTo(401);
    }

    @Test
    void theSessionPurgeDeletesExpiredSessionsAndLinksFromTheStore() {
        one = start();
        Store store = one.store();
        MovableClock clock = new MovableClock();
        Sessions sessions = new Sessions(store.sessions(), store.users(), clock);
        Users users = new Users(store, clock);
        users.invite("purged@example.com", Role.ANALYST, true, List.of());
        String idHash = Secrets.sha256Hex(sessions.openForAdministrator("admin-hash").id());
        SessionPurge purge = new SessionPurge(sessions, users);

        purge.purge();
        assertThat(store.sessions().byIdHash(idHash)).isPresent();
        clock.advance(Sessions.LIFETIME);
        purge.purge();
        assertThat(store.sessions().byIdHash(idHash)).isEmpty();
        clock.advance(Users.LINK_LIFETIME);
        purge.purge();
        assertThat(store.users().deleteExpiredLinks(clock.instant().plus(Users.LINK_LIFETIME))).as("already purged").isZero();
    }
}
