package io.touchpoint.tests;

import io.touchpoint.core.model.Role;
import io.touchpoint.core.model.User;
import io.touchpoint.core.store.DuplicateNameException;
import io.touchpoint.core.store.SessionStore.StoredSession;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * Dashboard users: found by id and lower-cased e-mail, one e-mail each, their access replaced, one-time links used
 * once and only before they expire, and a new password or a removal ending the user's sessions.
 */
public abstract class UserStoreContract extends StoreContract {
    private static final Instant LATER = Fixtures.T0.plus(Duration.ofDays(1));

    static User user(String id, String email, Role role, Set<String> workspaces) {
        return new User(id, email, role, workspaces.isEmpty(), workspaces, Fixtures.T0, null);
    }

    static StoredSession session(String idHash, String userId) {
        return new StoredSession(idHash, "csrf-" + idHash, Fixtures.T0, LATER, userId, null);
    }

    @Test
    void aUserIsFoundByIdAndByEMailWhateverItsCase() {
        User u = user("usr_1", "ana@example.com", Role.ANALYST, Set.of("ws_a", "ws_b"));
        store.users().create(u);

        assertThat(store.users().byId("usr_1")).contains(u);
        assertThat(store.users().byEmail("Ana@Example.COM")).contains(u);
        assertThat(store.users().byEmail("bob@example.com")).isEmpty();
        User all = user("usr_2", "owner@example.com", Role.OWNER, Set.of());
        store.users().create(all);
        assertThat(store.users().byId("usr_2").orElseThrow().allWorkspaces()).isTrue();
        assertThat(store.users().list()).extracting(User::id).containsExactly("usr_1", "usr_2");
    }

    @Test
    void oneEMailIsOneUser() {
        store.users().create(user("usr_1", "ana@example.com", Role.ANALYST, Set.of("ws_a")));
        assertThatThrownBy(() -> store.users().create(user("usr_2", "ana@example.com", Role.OWNER, Set.of())))
                .isInstanceOf(DuplicateNameException.class);
    }

    @Test
    void accessIsReplacedWhole() {
        User u = user("usr_1", "ana@example.com", Role.ANALYST, Set.of("ws_a"));
        store.users().create(u);
        User admin = u.withAccess(Role.ADMIN, false, Set.of("ws_b", "ws_c"));

        assertThat(store.users().updateAccess(admin)).isTrue();
        assertThat(store.users().byId("usr_1")).contains(admin);
        assertThat(store.users().updateAccess(user("usr_none", "x@example.com", Role.ADMIN, Set.of()))).isFalse();
    }

    @Test
    void aLinkSetsThePasswordOnceBeforeItExpiresAndEndsTheUsersSessions() {
        store.users().create(user("usr_1", "ana@example.com", Role.ANALYST, Set.of("ws_a")));
        assertThat(store.users().passwordHash("usr_1")).as("no password before the invitation is accepted").isEmpty();
        store.sessions().create(session("s1", "usr_1"));
        store.users().putLink("usr_1", "link-1", LATER);

        assertThat(store.users().redeemLink("link-unknown", "hash", Fixtures.T0)).isEmpty();
        assertThat(store.users().redeemLink("link-1", "hash-1", Fixtures.T0.plusSeconds(5))).contains("usr_1");
        assertThat(store.users().passwordHash("usr_1")).contains("hash-1");
        assertThat(store.users().byId("usr_1").orElseThrow().passwordSetAt()).isEqualTo(Fixtures.T0.plusSeconds(5));
        assertThat(store.sessions().byIdHash("s1")).as("a new password ends the sessions").isEmpty();
        assertThat(store.users().redeemLink("link-1", "hash-2", Fixtures.T0.plusSeconds(6))).as("used once").isEmpty();
        assertThat(store.users().passwordHash("usr_1")).contains("hash-1");
    }

    @Test
    void aNewLinkReplacesTheOldAndExpiredLinksAreRefusedAndPurged() {
        store.users().create(user("usr_1", "ana@example.com", Role.ANALYST, Set.of("ws_a")));
        store.users().putLink("usr_1", "link-1", LATER);
        store.users().putLink("usr_1", "link-2", LATER);
        assertThat(store.users().redeemLink("link-1", "h", Fixtures.T0)).as("replaced").isEmpty();
        assertThat(store.users().redeemLink("link-2", "h", LATER)).as("expired").isEmpty();

        assertThat(store.users().deleteExpiredLinks(LATER)).isEqualTo(1);
        assertThat(store.users().deleteExpiredLinks(LATER)).isZero();
    }

    @Test
    void removingAUserRemovesItsLinksAndSessionsOnly() {
        store.users().create(user("usr_1", "ana@example.com", Role.ANALYST, Set.of("ws_a")));
        store.users().create(user("usr_2", "bob@example.com", Role.ANALYST, Set.of("ws_a")));
        store.users().putLink("usr_1", "link-1", LATER);
        store.sessions().create(session("s1", "usr_1"));
        store.sessions().create(session("s2", "usr_2"));

        assertThat(store.users().delete("usr_1")).isTrue();
        assertThat(store.users().delete("usr_1")).isFalse();
        assertThat(store.users().byId("usr_1")).isEmpty();
        assertThat(store.users().redeemLink("link-1", "h", Fixtures.T0)).isEmpty();
        assertThat(store.sessions().byIdHash("s1")).isEmpty();
        assertThat(store.sessions().byIdHash("s2")).isPresent();
    }
}
