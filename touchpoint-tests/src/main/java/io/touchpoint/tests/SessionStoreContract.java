package io.touchpoint.tests;

import io.touchpoint.core.store.SessionStore.StoredSession;
import org.junit.jupiter.api.Test;

import java.time.Instant;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Dashboard sessions: found by the hash of their id, ended one by one, per user, and once expired. */
public abstract class SessionStoreContract extends StoreContract {
    private static final Instant T0 = Fixtures.T0;

    @Test
    void aSessionIsFoundByTheHashOfItsIdWithEverythingItCarries() {
        StoredSession user = new StoredSession("hash-u", "csrf-u", T0, T0.plusSeconds(3600), "usr_1", null);
        StoredSession admin = new StoredSession("hash-a", "csrf-a", T0, T0.plusSeconds(60), null, "admin-hash");
        store.sessions().create(user);
        store.sessions().create(admin);

        assertThat(store.sessions().byIdHash("hash-u")).contains(user);
        assertThat(store.sessions().byIdHash("hash-a")).contains(admin);
        assertThat(store.sessions().byIdHash("hash-x")).isEmpty();
    }

    @Test
    void aSessionBelongsToAUserOrToTheAdministratorCredential() {
        assertThatThrownBy(() -> new StoredSession("h", "c", T0, T0, null, null)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new StoredSession("h", "c", T0, T0, "usr_1", "a")).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void sessionsEndOneByOneOrPerUser() {
        store.sessions().create(new StoredSession("h1", "c", T0, T0.plusSeconds(60), "usr_1", null));
        store.sessions().create(new StoredSession("h2", "c", T0, T0.plusSeconds(60), "usr_1", null));
        store.sessions().create(new StoredSession("h3", "c", T0, T0.plusSeconds(60), "usr_2", null));

        assertThat(store.sessions().delete("h1")).isTrue();
        assertThat(store.sessions().delete("h1")).isFalse();
        assertThat(store.sessions().deleteOfUser("usr_1")).isEqualTo(1);
        assertThat(store.sessions().byIdHash("h2")).isEmpty();
        assertThat(store.sessions().byIdHash("h3")).isPresent();
    }

    @Test
    void expiredSessionsArePurged() {
        store.sessions().create(new StoredSession("old", "c", T0, T0.plusSeconds(60), "usr_1", null));
        store.sessions().create(new StoredSession("new", "c", T0, T0.plusSeconds(120), null, "a"));

        assertThat(store.sessions().deleteExpired(T0.plusSeconds(60))).isEqualTo(1);
        assertThat(store.sessions().byIdHash("old")).isEmpty();
        assertThat(store.sessions().byIdHash("new")).isPresent();
    }
}
